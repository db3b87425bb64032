/**
 * Opens the adapter the configuration names (`EVENT_STORE=sqlite|postgres|kurrentdb`). The
 * PostgreSQL and KurrentDB drivers are loaded only when configured: the KurrentDB client
 * alone (gRPC, protobuf) costs an idle SQLite node about 25 MiB.
 */
import { join } from 'node:path';
import type { EventStore, EventStoreKind } from './event-store.port';
import { SqliteEventStore } from './sqlite/sqlite-event-store';

export interface EventStoreSettings {
  readonly eventStore: EventStoreKind;
  readonly dataDir: string;
  readonly databaseUrl?: string;
  /** PostgreSQL only: see PostgresEventStoreOptions.queryTimeoutMs */
  readonly databaseQueryTimeoutMs?: number;
  readonly kurrentdbUrl?: string;
  readonly groupCommit?: boolean;
  readonly groupCommitWindowMs?: number;
}

export const SQLITE_EVENTS_FILE = 'events.sqlite';

export async function openEventStore(settings: EventStoreSettings): Promise<EventStore> {
  const groupCommit = {
    enabled: settings.groupCommit ?? true,
    windowMs: settings.groupCommitWindowMs ?? 0,
  };
  switch (settings.eventStore) {
    case 'sqlite':
      return new SqliteEventStore({
        file: join(settings.dataDir, SQLITE_EVENTS_FILE),
        groupCommit,
      });
    case 'postgres': {
      const { PostgresEventStore } = await import('./postgres/postgres-event-store');
      return PostgresEventStore.open({
        connectionString: required(settings.databaseUrl, 'DATABASE_URL'),
        queryTimeoutMs: settings.databaseQueryTimeoutMs,
        groupCommit,
      });
    }
    case 'kurrentdb': {
      const { KurrentDbEventStore } = await import('./kurrentdb/kurrentdb-event-store');
      return KurrentDbEventStore.open({
        connectionString: required(settings.kurrentdbUrl, 'KURRENTDB_URL'),
      });
    }
    default: {
      const unknownKind: never = settings.eventStore;
      throw new Error(`unknown event store ${String(unknownKind)}`);
    }
  }
}

function required(value: string | undefined, name: string): string {
  if (!value) throw new Error(`${name} is required for this event store`);
  return value;
}
