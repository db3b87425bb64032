import type { Pool } from 'pg';

/** any constant works; it only has to be the same in every process that creates a schema */
const SCHEMA_LOCK_KEY = 0x706c_616e; // 'plan'

/**
 * Runs idempotent DDL (`CREATE … IF NOT EXISTS`) in one transaction under an advisory lock.
 * `IF NOT EXISTS` alone is not safe against a process doing the same at the same moment: both
 * pass the check and one fails on the catalog's unique index (23505 on pg_type), which is
 * exactly what happens when several nodes start together on a fresh database.
 */
export async function createSchemaExclusively(pool: Pool, ddl: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK_KEY]);
    await client.query(ddl);
    await client.query('COMMIT');
    client.release();
  } catch (error) {
    // the connection may be mid-transaction or dead; it is not handed to anyone else
    client.release(true);
    throw error;
  }
}
