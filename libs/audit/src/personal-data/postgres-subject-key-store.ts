/**
 * Subject keys in the PostgreSQL database of the events (table `subject_keys`). Erasing sets
 * the key to NULL and then rewrites the table (`VACUUM FULL`), so the old row version with the
 * key is not left in the table's files; PostgreSQL's WAL and any base backup still hold it
 * until they are recycled (see README).
 */
import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { createSchemaExclusively } from '@lib/event-store/postgres/exclusive-schema';
import { SUBJECT_KEY_BYTES } from './sealed-text';
import type { SubjectErasure, SubjectKeyStore } from './subject-key-store.port';

interface KeyRow {
  key: Buffer | null;
  erased_at: Date | null;
  erased_by: string | null;
}

export class PostgresSubjectKeyStore implements SubjectKeyStore {
  private constructor(private readonly pool: Pool) {}

  static async open(
    connectionString: string,
    queryTimeoutMs = 30_000,
  ): Promise<PostgresSubjectKeyStore> {
    const pool = new Pool({
      connectionString,
      max: 2,
      connectionTimeoutMillis: Math.min(10_000, queryTimeoutMs),
      query_timeout: queryTimeoutMs,
      application_name: 'plan-subject-keys',
    });
    // a dropped idle connection is replaced on the next query; unhandled it would end the process
    pool.on('error', () => undefined);
    try {
      await createSchemaExclusively(
        pool,
        `CREATE TABLE IF NOT EXISTS subject_keys (
          subject_id text PRIMARY KEY, key bytea, created_at timestamptz NOT NULL,
          erased_at timestamptz, erased_by text)`,
      );
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new PostgresSubjectKeyStore(pool);
  }

  async keyFor(subjectId: string): Promise<Buffer | undefined> {
    await this.pool.query(
      'INSERT INTO subject_keys (subject_id, key, created_at) VALUES ($1, $2, now()) ON CONFLICT DO NOTHING',
      [subjectId, randomBytes(SUBJECT_KEY_BYTES)],
    );
    return this.existingKey(subjectId);
  }

  async existingKey(subjectId: string): Promise<Buffer | undefined> {
    const { rows } = await this.pool.query<KeyRow>(
      'SELECT key, erased_at, erased_by FROM subject_keys WHERE subject_id = $1',
      [subjectId],
    );
    return rows[0]?.key ?? undefined;
  }

  async erase(subjectId: string, by: string, at: string): Promise<SubjectErasure> {
    const { rows } = await this.pool.query<KeyRow & { was_erased: boolean }>(
      `WITH before AS (SELECT erased_at, erased_by FROM subject_keys WHERE subject_id = $1)
       INSERT INTO subject_keys (subject_id, key, created_at, erased_at, erased_by)
       VALUES ($1, NULL, $2, $2, $3)
       ON CONFLICT (subject_id) DO UPDATE SET key = NULL,
         erased_at = COALESCE(subject_keys.erased_at, excluded.erased_at),
         erased_by = COALESCE(subject_keys.erased_by, excluded.erased_by)
       RETURNING key, erased_at, erased_by, (SELECT erased_at IS NOT NULL FROM before) AS was_erased`,
      [subjectId, at, by],
    );
    const row = rows[0];
    // the old row version still holds the key until the table is rewritten
    if (!row.was_erased) await this.pool.query('VACUUM FULL subject_keys');
    return {
      subjectId,
      erasedAt: (row.erased_at ?? new Date(at)).toISOString(),
      erasedBy: row.erased_by ?? by,
      alreadyErased: row.was_erased === true,
    };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
