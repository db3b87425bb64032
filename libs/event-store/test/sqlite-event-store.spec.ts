import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SQLITE_EVENTS_FILE, SqliteEventStore } from '@lib/event-store';
import { describeEventStoreContract } from './event-store.contract';

describeEventStoreContract('sqlite', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'plan-events-'));
  const file = join(dataDir, SQLITE_EVENTS_FILE);
  return {
    settings: { eventStore: 'sqlite', dataDir },
    contiguousPositions: true,
    open: async () => new SqliteEventStore({ file }),
    tamper: async (streamId, version) => {
      const raw = new Database(file);
      raw
        .prepare(
          `UPDATE events SET data = json_set(data, '$.title', 'tampered') WHERE stream_id = ? AND version = ?`,
        )
        .run(streamId, version);
      raw.close();
    },
    dispose: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
});
