/** Snapshots in their own SQLite file, so writing one never waits on the event writer's lock. */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { PlanSnapshot, SnapshotStore } from './snapshot-store.port';

interface SnapshotRow {
  plan_id: string;
  version: number;
  state: Buffer;
  created_at: string;
}

export class SqliteSnapshotStore implements SnapshotStore {
  private readonly db: Database.Database;

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // a lost snapshot is rebuilt from events, so it need not reach the disk before we go on
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 10000');
    this.db.exec(`CREATE TABLE IF NOT EXISTS snapshots (
      plan_id TEXT NOT NULL, version INTEGER NOT NULL, state BLOB NOT NULL, created_at TEXT NOT NULL,
      PRIMARY KEY (plan_id, version))`);
  }

  async latest(
    planId: string,
    maxVersion = Number.MAX_SAFE_INTEGER,
  ): Promise<PlanSnapshot | undefined> {
    const row = this.db
      .prepare<[string, number], SnapshotRow>(
        'SELECT * FROM snapshots WHERE plan_id = ? AND version <= ? ORDER BY version DESC LIMIT 1',
      )
      .get(planId, maxVersion);
    return row && toSnapshot(row);
  }

  async save(snapshot: PlanSnapshot): Promise<void> {
    this.db
      .prepare(
        'INSERT OR REPLACE INTO snapshots (plan_id, version, state, created_at) VALUES (?, ?, ?, ?)',
      )
      .run(snapshot.planId, snapshot.version, Buffer.from(snapshot.state), snapshot.createdAt);
  }

  async prune(planId: string, keep: number): Promise<void> {
    this.db
      .prepare(
        `DELETE FROM snapshots WHERE plan_id = ? AND version NOT IN
           (SELECT version FROM snapshots WHERE plan_id = ? ORDER BY version DESC LIMIT ?)`,
      )
      .run(planId, planId, keep);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

function toSnapshot(row: SnapshotRow): PlanSnapshot {
  return {
    planId: row.plan_id,
    version: row.version,
    state: new Uint8Array(row.state.buffer, row.state.byteOffset, row.state.byteLength),
    createdAt: row.created_at,
  };
}
