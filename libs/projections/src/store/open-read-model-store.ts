/**
 * Opens the read-model store that goes with the configured event store: PostgreSQL next to a
 * PostgreSQL event store (same DATABASE_URL, own tables), otherwise the SQLite file under
 * DATA_DIR, also for KurrentDB, which has no place for mutable rows. The PostgreSQL driver is
 * loaded only when configured.
 */
import type { EventStoreKind } from '@lib/event-store';
import type { ReadModelStore } from './read-model-store.port';
import { SqliteReadModelStore, sqliteReadModelsFile } from './sqlite-read-model-store';

export interface ReadModelStoreSettings {
  readonly eventStore: EventStoreKind;
  readonly dataDir: string;
  readonly databaseUrl?: string;
  /** PostgreSQL only: see PostgresReadModelStoreOptions.queryTimeoutMs */
  readonly databaseQueryTimeoutMs?: number;
}

export async function openReadModelStore(
  settings: ReadModelStoreSettings,
): Promise<ReadModelStore> {
  switch (settings.eventStore) {
    case 'postgres': {
      if (!settings.databaseUrl)
        throw new Error('DATABASE_URL is required for read models with EVENT_STORE=postgres');
      const { PostgresReadModelStore } = await import('./postgres-read-model-store');
      return new PostgresReadModelStore({
        connectionString: settings.databaseUrl,
        queryTimeoutMs: settings.databaseQueryTimeoutMs,
      });
    }
    case 'sqlite':
    case 'kurrentdb':
      return new SqliteReadModelStore({ file: sqliteReadModelsFile(settings.dataDir) });
    default: {
      const unknownKind: never = settings.eventStore;
      throw new Error(`unknown event store ${String(unknownKind)}`);
    }
  }
}
