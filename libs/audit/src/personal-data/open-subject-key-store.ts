/**
 * Opens the subject key store next to the configured event store: a PostgreSQL table with a
 * PostgreSQL event store, otherwise a SQLite file. The PostgreSQL driver is loaded only then.
 */
import { join } from 'node:path';
import type { SubjectKeyStore } from './subject-key-store.port';
import { SqliteSubjectKeyStore } from './sqlite-subject-key-store';

export interface SubjectKeyStoreSettings {
  readonly eventStore: string;
  readonly dataDir: string;
  readonly databaseUrl?: string;
  readonly databaseQueryTimeoutMs?: number;
}

export async function openSubjectKeyStore(
  settings: SubjectKeyStoreSettings,
): Promise<SubjectKeyStore> {
  if (settings.eventStore === 'postgres' && settings.databaseUrl) {
    const { PostgresSubjectKeyStore } = await import('./postgres-subject-key-store');
    return PostgresSubjectKeyStore.open(settings.databaseUrl, settings.databaseQueryTimeoutMs);
  }
  return new SqliteSubjectKeyStore(join(settings.dataDir, 'subject-keys.sqlite'));
}
