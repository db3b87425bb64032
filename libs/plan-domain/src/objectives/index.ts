/** Objectives and KPIs: measurements, status against target and due date, alignment gaps. */
export * from './kpi-status';
