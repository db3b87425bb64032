/**
 * `demo`: loads the CRM demo plan (two weeks of history by several users: edits, comments, a
 * baseline, KPI readings) into this store unless it is there, and prints its URL and a token
 * for its owner. `npm run cli -- demo && npm start`, then open the URL.
 */
import type { AppConfig } from '@lib/config';
import { loadJwtSecret, STDERR_AUTH_LOG, TokenService } from '@lib/auth';
import { openEventStore } from '@lib/event-store';
import { planStreamId } from '@lib/plan-domain';
import { CRM_DEMO_OWNER, CRM_DEMO_PLAN_ID, seedCrmDemo } from '@lib/plan-exchange';

export const DEMO_USAGE =
  '  demo                           load the sample CRM plan with its history; prints its URL and a token\n';

export async function demoCommand(config: AppConfig): Promise<number> {
  const store = await openEventStore(config);
  let loaded = false;
  try {
    if ((await store.streamVersion(planStreamId(CRM_DEMO_PLAN_ID))) < 0) {
      await seedCrmDemo(store);
      loaded = true;
    }
  } finally {
    await store.close();
  }
  const token = new TokenService(loadJwtSecret(config, STDERR_AUTH_LOG)).mint({
    sub: CRM_DEMO_OWNER,
    name: 'Maria (PM)',
    expiresIn: '7d',
  });
  const host = ['0.0.0.0', '::'].includes(config.host) ? 'localhost' : config.host;
  process.stdout.write(
    [
      loaded
        ? `demo plan "${CRM_DEMO_PLAN_ID}" loaded into ${config.eventStore} (${config.dataDir})`
        : `demo plan "${CRM_DEMO_PLAN_ID}" is already in ${config.eventStore} (${config.dataDir})`,
      `url:   http://${host}:${config.port}/p/${CRM_DEMO_PLAN_ID}`,
      `token: ${token}`,
      `(signs you in as ${CRM_DEMO_OWNER}, the plan's owner, for 7 days; start the server with "npm start")`,
      '',
    ].join('\n'),
  );
  return 0;
}
