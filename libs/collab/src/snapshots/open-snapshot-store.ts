/**
 * Opens the snapshot store that goes with the configured event store: a `plan_snapshots`
 * table next to a PostgreSQL event store, otherwise a SQLite file. The PostgreSQL driver is
 * loaded only when configured.
 */
import { join } from 'node:path';
import type { SnapshotStore } from './snapshot-store.port';
import { SqliteSnapshotStore } from './sqlite-snapshot-store';

export interface SnapshotStoreSettings {
  readonly eventStore: string;
  readonly dataDir: string;
  readonly databaseUrl?: string;
  readonly databaseQueryTimeoutMs?: number;
}

export async function openSnapshotStore(settings: SnapshotStoreSettings): Promise<SnapshotStore> {
  if (settings.eventStore === 'postgres' && settings.databaseUrl) {
    const { PostgresSnapshotStore } = await import('./postgres-snapshot-store');
    return PostgresSnapshotStore.open(settings.databaseUrl, {
      queryTimeoutMs: settings.databaseQueryTimeoutMs,
    });
  }
  return new SqliteSnapshotStore(join(settings.dataDir, 'snapshots.sqlite'));
}
