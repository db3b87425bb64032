/** The communication plan: who is due a status update by their cadence. */
export * from './stakeholder-updates';
