/** Snapshots in the same PostgreSQL database as the events (table `plan_snapshots`). */
import { createSchemaExclusively } from '@lib/event-store/postgres/exclusive-schema';
import { Pool } from 'pg';
import type { PlanSnapshot, SnapshotStore } from './snapshot-store.port';

interface SnapshotRow {
  plan_id: string;
  version: string;
  state: Buffer;
  created_at: Date;
}

export interface PostgresSnapshotStoreOptions {
  /**
   * a statement without an answer after this long fails (client side, also on a network that
   * drops packets without a reset) and is cancelled on the server (statement_timeout)
   */
  readonly queryTimeoutMs?: number;
}

export class PostgresSnapshotStore implements SnapshotStore {
  private constructor(private readonly pool: Pool) {}

  static async open(
    connectionString: string,
    options: PostgresSnapshotStoreOptions = {},
  ): Promise<PostgresSnapshotStore> {
    const queryTimeoutMs = options.queryTimeoutMs ?? 30_000;
    const pool = new Pool({
      connectionString,
      max: 4,
      connectionTimeoutMillis: Math.min(10_000, queryTimeoutMs),
      query_timeout: queryTimeoutMs,
      statement_timeout: queryTimeoutMs,
      application_name: 'plan-snapshots',
    });
    // An idle pooled connection died (database restart, network): the pool drops it and the next
    // query opens a new one or fails (snapshots are a cache; failures are reported and retried).
    // Without a listener the event would crash the process.
    pool.on('error', () => undefined);
    try {
      // nodes starting together on a fresh database would otherwise race on the catalog
      await createSchemaExclusively(
        pool,
        `CREATE TABLE IF NOT EXISTS plan_snapshots (
          plan_id text NOT NULL, version bigint NOT NULL, state bytea NOT NULL,
          created_at timestamptz NOT NULL, PRIMARY KEY (plan_id, version))`,
      );
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new PostgresSnapshotStore(pool);
  }

  async latest(
    planId: string,
    maxVersion = Number.MAX_SAFE_INTEGER,
  ): Promise<PlanSnapshot | undefined> {
    const { rows } = await this.pool.query<SnapshotRow>(
      'SELECT * FROM plan_snapshots WHERE plan_id = $1 AND version <= $2 ORDER BY version DESC LIMIT 1',
      [planId, maxVersion],
    );
    const row = rows[0];
    return (
      row && {
        planId: row.plan_id,
        version: Number(row.version),
        state: new Uint8Array(row.state.buffer, row.state.byteOffset, row.state.byteLength),
        createdAt: row.created_at.toISOString(),
      }
    );
  }

  async save(snapshot: PlanSnapshot): Promise<void> {
    await this.pool.query(
      `INSERT INTO plan_snapshots (plan_id, version, state, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (plan_id, version) DO NOTHING`,
      [snapshot.planId, snapshot.version, Buffer.from(snapshot.state), snapshot.createdAt],
    );
  }

  async prune(planId: string, keep: number): Promise<void> {
    await this.pool.query(
      `DELETE FROM plan_snapshots WHERE plan_id = $1 AND version NOT IN
         (SELECT version FROM plan_snapshots WHERE plan_id = $1 ORDER BY version DESC LIMIT $2)`,
      [planId, keep],
    );
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
