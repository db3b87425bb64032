/**
 * @lib/plan-exchange: plans in and out of other tools' formats — MS Project XML (MSPDI), CSV
 * of tasks, JSON, iCalendar — as pure conversions over the plain plan JSON (no I/O, no clock),
 * plus the import report that lists whatever a source held that the plan model cannot.
 */
export * from './import-report';
export * from './converted-plan';
export * from './plan-exchange';
export { readMspdi } from './mspdi/read-mspdi';
export { writeMspdi, type MspdiExportOptions } from './mspdi/write-mspdi';
export { MSPDI_ATTRIBUTES } from './mspdi/mspdi-attributes';
export { readTasksCsv, writeTasksCsv, type CsvImportOptions } from './csv/tasks-csv';
export { readPlanJson } from './plan-json-import';
export { writePlanCalendar, type PlanCalendarOptions } from './ical/plan-calendar.ics';
export {
  importedPlanEvents,
  PLAN_IMPORTED,
  type ImportSource,
} from './events/imported-plan-events';
export { CRM_DEMO_OWNER, CRM_DEMO_PLAN_ID, seedCrmDemo } from './demo/crm-demo';
