import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SQLITE_EVENTS_FILE, SqliteEventStore } from '@lib/event-store';
import { describePlanMembership } from './plan-membership.scenarios';

describePlanMembership('sqlite', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'plan-membership-'));
  return {
    open: async () => new SqliteEventStore({ file: join(dataDir, SQLITE_EVENTS_FILE) }),
    dispose: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
});
