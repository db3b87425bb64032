/** The seeded CRM demo is the one `npm run cli -- demo` loads; tests seed the same history. */
export { CRM_DEMO_PLAN_ID, seedCrmDemo } from '@lib/plan-exchange';
