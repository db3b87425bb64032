/**
 * Read models in PostgreSQL, used with EVENT_STORE=postgres: the same database as the events
 * (DATABASE_URL), tables of their own. Projector leases are session advisory locks, so on
 * several nodes exactly one projects each read model while the others stand by.
 */
import { Client, Pool, types, type PoolClient } from 'pg';
import type {
  ProjectionLease,
  ReadModelStore,
  SqlSession,
  SqlValue,
} from './read-model-store.port';
import { ReadModelStoreUnavailableError } from './read-model-store.port';

export interface PostgresReadModelStoreOptions {
  readonly connectionString: string;
  readonly maxConnections?: number;
  /** default 10 s, or the query timeout when that is shorter */
  readonly connectTimeoutMs?: number;
  /**
   * A pooled statement without an answer after this long fails (client side, so also on a
   * network that drops packets without a reset) and is cancelled on the server
   * (statement_timeout); default 30 s. Lease sessions have no timeout: they hold their advisory
   * lock while idle for as long as the projector runs.
   */
  readonly queryTimeoutMs?: number;
}

const INT8_OID = 20;
/**
 * Two-key advisory locks live in a key space apart from the one-bigint locks the event store
 * takes, so these can never contend with an append. 0x504a = "PJ".
 */
const LEASE_LOCK_CLASS = 0x504a;
const MIGRATION_LOCK_KEY = 0;
/** PostgreSQL caps one statement at 65535 bind parameters. */
const MAX_BIND_PARAMETERS = 65_535;

// Positions are BIGINT; node-postgres returns int8 as strings so as not to lose precision
// beyond 2^53, which positions never reach. Parsed per pool, not globally, so other users
// of `pg` in the process keep the default.
const typeParsers = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID
      ? (value: string) => Number(value)
      : types.getTypeParser(oid, format ?? 'text')) as typeof types.getTypeParser,
};

/** `?` → `$1, $2…`; read-model SQL never has a `?` inside a literal (see the port). */
export function numberPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

class PostgresSession implements SqlSession {
  constructor(private readonly client: Pool | PoolClient) {}

  async all<Row extends object>(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    const result = await this.client.query(numberPlaceholders(sql), params as SqlValue[]);
    return result.rows as Row[];
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    const result = await this.client.query(numberPlaceholders(sql), params as SqlValue[]);
    return result.rowCount ?? 0;
  }

  async insertMany(
    table: string,
    columns: readonly string[],
    rows: readonly (readonly SqlValue[])[],
    conflict = '',
  ): Promise<void> {
    // one round trip per chunk instead of per row: batches of change-log rows run to thousands
    const perChunk = Math.max(1, Math.floor(MAX_BIND_PARAMETERS / columns.length));
    for (let start = 0; start < rows.length; start += perChunk) {
      const chunk = rows.slice(start, start + perChunk);
      const params: SqlValue[] = [];
      const tuples = chunk.map((row) => {
        const placeholders = row.map((value) => {
          params.push(value);
          return `$${params.length}`;
        });
        return `(${placeholders.join(', ')})`;
      });
      await this.client.query(
        `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')} ${conflict}`,
        params,
      );
    }
  }
}

export class PostgresReadModelStore implements ReadModelStore {
  readonly kind = 'postgres' as const;
  readonly location: string;
  private readonly pool: Pool;
  private readonly poolSession: PostgresSession;
  private readonly leases = new Set<Client>();
  private readonly connectTimeoutMs: number;
  private closed = false;

  constructor(private readonly options: PostgresReadModelStoreOptions) {
    this.location = redactPassword(options.connectionString);
    const queryTimeoutMs = options.queryTimeoutMs ?? 30_000;
    this.connectTimeoutMs = options.connectTimeoutMs ?? Math.min(10_000, queryTimeoutMs);
    this.pool = new Pool({
      connectionString: options.connectionString,
      max: options.maxConnections ?? 6,
      connectionTimeoutMillis: this.connectTimeoutMs,
      query_timeout: queryTimeoutMs,
      statement_timeout: queryTimeoutMs,
      application_name: 'plan-read-models',
      types: typeParsers,
    });
    // A pooled idle connection died; the pool already dropped it and the next checkout opens a
    // new one or fails loudly. Without a listener the event would crash the process.
    this.pool.on('error', () => undefined);
    // The pool only listens on idle connections: one checked out for a transaction that dies
    // between statements (pg_terminate_backend, a dropped network) would emit an unheard 'error'
    // and crash the process. With this listener the next statement fails instead.
    this.pool.on('connect', (client) => client.on('error', () => undefined));
    this.poolSession = new PostgresSession(this.pool);
  }

  all<Row extends object>(sql: string, params?: readonly SqlValue[]): Promise<Row[]> {
    return this.unavailableOnConnect(() => this.poolSession.all<Row>(sql, params));
  }

  run(sql: string, params?: readonly SqlValue[]): Promise<number> {
    return this.unavailableOnConnect(() => this.poolSession.run(sql, params));
  }

  insertMany(
    table: string,
    columns: readonly string[],
    rows: readonly (readonly SqlValue[])[],
    conflict?: string,
  ): Promise<void> {
    return this.transaction((session) => session.insertMany(table, columns, rows, conflict));
  }

  async transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    const client = await this.unavailableOnConnect(() => this.pool.connect());
    let broken = false;
    try {
      await client.query('BEGIN');
      const value = await work(new PostgresSession(client));
      await client.query('COMMIT');
      return value;
    } catch (error) {
      // a connection that failed or timed out cannot be trusted with a ROLLBACK, which would
      // only wait another full timeout behind the statement that hangs; it is destroyed instead
      if (isConnectionError(error)) broken = true;
      else {
        try {
          await client.query('ROLLBACK');
        } catch {
          // the connection is gone, and with it the transaction: nothing was committed
          broken = true;
        }
      }
      throw isConnectionError(error)
        ? new ReadModelStoreUnavailableError(this.location, error)
        : error;
    } finally {
      client.release(broken);
    }
  }

  async migrate(ddl: readonly string[]): Promise<void> {
    await this.transaction(async (session) => {
      // CREATE TABLE IF NOT EXISTS is not safe against a twin running at the same moment (both
      // pass the check, one fails on the catalog's unique index), so nodes starting together take turns
      await session.all('SELECT pg_advisory_xact_lock(?, ?)', [
        LEASE_LOCK_CLASS,
        MIGRATION_LOCK_KEY,
      ]);
      for (const statement of ddl) await session.run(statement);
    });
  }

  async tryLease(name: string): Promise<ProjectionLease | undefined> {
    // a dedicated connection, not a pooled one: the lock lives exactly as long as this session
    const client = new Client({
      connectionString: this.options.connectionString,
      connectionTimeoutMillis: this.connectTimeoutMs,
      application_name: `plan-projector:${name}`,
    });
    let markLost: () => void = () => undefined;
    const lost = new Promise<void>((resolve) => (markLost = resolve));
    client.on('error', () => markLost());
    client.on('end', () => markLost());
    try {
      await client.connect();
      const rows = await client.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked',
        [LEASE_LOCK_CLASS, name],
      );
      if (!rows.rows[0]?.locked) {
        await client.end();
        return undefined;
      }
    } catch (error) {
      await client.end().catch(() => undefined);
      throw new ReadModelStoreUnavailableError(this.location, error);
    }
    this.leases.add(client);
    return {
      lost,
      release: async () => {
        if (!this.leases.delete(client)) return;
        // ending the session releases its advisory locks
        await client.end().catch(() => undefined);
      },
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.leases].map((client) => client.end().catch(() => undefined)));
    this.leases.clear();
    await this.pool.end();
  }

  private async unavailableOnConnect<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (isConnectionError(error)) throw new ReadModelStoreUnavailableError(this.location, error);
      throw error;
    }
  }
}

function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string')
    return error instanceof Error && /timeout|terminated|connect/i.test(error.message);
  // node's socket errors, PostgreSQL's class 08 (connection exception), 57P0x (shutdown) and
  // 57014 (statement cancelled, i.e. statement_timeout)
  return (
    /^(ECONN|ENOTFOUND|ETIMEDOUT|EHOSTUNREACH|EPIPE)/.test(code) ||
    code.startsWith('08') ||
    code.startsWith('57P0') ||
    code === '57014'
  );
}

function redactPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres (unparseable DATABASE_URL)';
  }
}
