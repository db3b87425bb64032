/**
 * Throwaway PostgreSQL databases for integration tests and benchmarks: each caller gets a
 * database of its own, so suites can run in parallel and in any order, and drops it after.
 *
 *   const db = await createTestDatabase();   // db.url points at plan_test_<random>
 *   try { ... } finally { await db.drop(); }
 *
 * The server comes from TEST_DATABASE_URL (default: postgres@127.0.0.1:5432/test). An
 * unreachable server is an error, never a skip: a green run must mean PostgreSQL was tested.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  readonly name: string;
  /** connection string for the new database */
  readonly url: string;
  /** terminates every connection still open to the database, then drops it; idempotent */
  drop(): Promise<void>;
}

export class TestDatabaseUnavailableError extends Error {
  readonly code = 'TEST_DATABASE_UNAVAILABLE';
  constructor(serverUrl: string, cause: unknown) {
    super(
      `PostgreSQL for integration tests is not reachable at ${redactPassword(serverUrl)} ` +
        `(set TEST_DATABASE_URL to point at a server where the user may CREATE DATABASE): ` +
        `${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
}

export function testServerUrl(): string {
  return process.env.TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL;
}

export async function createTestDatabase(
  serverUrl: string = testServerUrl(),
): Promise<TestDatabase> {
  const name = `plan_test_${randomBytes(6).toString('hex')}`;
  // template0 never has connections, so parallel CREATE DATABASEs cannot trip over a busy template1
  await withAdminClient(serverUrl, (admin) =>
    admin.query(`CREATE DATABASE ${quote(name)} TEMPLATE template0`),
  );
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    name,
    url: url.toString(),
    drop: async () => {
      if (dropped) return;
      dropped = true;
      // FORCE terminates connections a test left open (a killed child writer, a leaked pool),
      // which would otherwise make DROP DATABASE fail
      await withAdminClient(serverUrl, (admin) =>
        admin.query(`DROP DATABASE IF EXISTS ${quote(name)} WITH (FORCE)`),
      );
    },
  };
}

async function withAdminClient<T>(
  serverUrl: string,
  work: (admin: Client) => Promise<T>,
): Promise<T> {
  const admin = new Client({ connectionString: serverUrl, connectionTimeoutMillis: 10_000 });
  // a connection error after connect() surfaces through the pending query; the listener only
  // keeps it from crashing the process as an unhandled 'error' event
  admin.on('error', () => undefined);
  try {
    await admin.connect();
  } catch (error) {
    await admin.end().catch(() => undefined);
    throw new TestDatabaseUnavailableError(serverUrl, error);
  }
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

function redactPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}
