/**
 * PlanMembership against a real PostgreSQL (TEST_DATABASE_URL, default
 * postgres@127.0.0.1:5432/test), in a database of its own: read-your-writes here has to bridge
 * LISTEN/NOTIFY latency, and "another node" is a second connection pool.
 */
import { PostgresEventStore } from '@lib/event-store/postgres/postgres-event-store';
import { createTestDatabase, type TestDatabase } from '../../../test/support/postgres-database';
import { describePlanMembership } from './plan-membership.scenarios';

describePlanMembership('postgres', async () => {
  const db: TestDatabase = await createTestDatabase();
  return {
    open: () => PostgresEventStore.open({ connectionString: db.url }),
    dispose: () => db.drop(),
  };
});
