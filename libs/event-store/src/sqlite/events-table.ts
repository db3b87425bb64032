/**
 * The SQLite `events` table, shared by the store's two connections: the writer thread's, which
 * appends, and the event loop's, which reads.
 */
import type Database from 'better-sqlite3';

export const EVENTS_SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  stream_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  type TEXT NOT NULL,
  schema_version INTEGER NOT NULL,
  data_kind TEXT NOT NULL CHECK (data_kind IN ('json', 'binary')),
  data BLOB NOT NULL,
  metadata TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  UNIQUE (stream_id, version)
);
-- subscriptions filtered by event type (memberships, projections of JSON events) skip the Yjs updates
CREATE INDEX IF NOT EXISTS events_by_type ON events (type, position);
`;

export interface EventRow {
  position: number;
  id: string;
  stream_id: string;
  version: number;
  type: string;
  schema_version: number;
  data_kind: 'json' | 'binary';
  data: Buffer | string;
  metadata: string;
  prev_hash: string;
  hash: string;
}

export const DEFAULT_BUSY_TIMEOUT_MS = 10_000;

/** Settings every connection to the events file needs, whichever thread holds it. */
export function configureConnection(db: Database.Database, busyTimeoutMs: number): void {
  db.pragma('journal_mode = WAL');
  // FULL: an acknowledged append survives power loss, not only a process crash
  db.pragma('synchronous = FULL');
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
}
