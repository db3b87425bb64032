/**
 * The ReadModelStore port: where projectors keep their rows and checkpoints. Two adapters,
 * SQLite (`<DATA_DIR>/read-models.sqlite`) and PostgreSQL (the event store's database, own
 * tables). Read models speak plain SQL through it, written once for both dialects:
 *
 *   await session.run('INSERT INTO t (a, b) VALUES (?, ?) ON CONFLICT (a) DO UPDATE SET b = excluded.b', [1, 'x']);
 *
 * - placeholders are `?` (the PostgreSQL adapter numbers them), so no `?` inside SQL literals;
 * - column types are TEXT, INTEGER and BIGINT; JSON is stored as TEXT, so both stores hold the
 *   very same bytes and a rebuild can be compared row by row;
 * - BIGINT comes back as a JS number in both (positions stay far below 2^53).
 */

export type SqlValue = string | number | null;

export interface SqlSession {
  /** rows of a query that returns data */
  all<Row extends object>(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
  /** a statement that returns no data; resolves to the number of rows it changed */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /**
   * Inserts many rows into one table. The adapter picks the fastest form (a reused prepared
   * statement, multi-row VALUES); `conflict` is appended verbatim, e.g. `ON CONFLICT (k) DO NOTHING`.
   */
  insertMany(
    table: string,
    columns: readonly string[],
    rows: readonly (readonly SqlValue[])[],
    conflict?: string,
  ): Promise<void>;
}

/** The exclusive right to write one read model, for as long as it is held. */
export interface ProjectionLease {
  /** resolves when the lease was lost (its connection died); never rejects */
  readonly lost: Promise<void>;
  release(): Promise<void>;
}

export type ReadModelStoreKind = 'sqlite' | 'postgres';

export interface ReadModelStore extends SqlSession {
  readonly kind: ReadModelStoreKind;
  /** where the rows live, for logs (a file path, a URL without password) */
  readonly location: string;
  /**
   * Runs `work` in one transaction: everything it wrote commits together or not at all. Reads
   * outside a transaction never see another transaction's uncommitted rows.
   */
  transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
  /** Creates tables and indexes; safe to run at every start and from several processes at once. */
  migrate(ddl: readonly string[]): Promise<void>;
  /**
   * Tries to become the one writer of `name` among all processes sharing the store; undefined
   * when another process holds it. Stores that cannot tell (SQLite) always grant it: there, the
   * checkpoint compare-and-set in each batch is what keeps two writers from double-applying.
   */
  tryLease(name: string): Promise<ProjectionLease | undefined>;
  close(): Promise<void>;
}

/** The store could not be opened or reached; names the store, never a password. */
export class ReadModelStoreUnavailableError extends Error {
  readonly code = 'READ_MODEL_STORE_UNAVAILABLE';
  constructor(
    readonly location: string,
    cause: unknown,
  ) {
    super(
      `read-model store ${location} unavailable: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
    this.name = 'ReadModelStoreUnavailableError';
  }
}

export const isReadModelStoreUnavailable = (
  error: unknown,
): error is ReadModelStoreUnavailableError =>
  typeof error === 'object' &&
  error !== null &&
  (error as { code?: unknown }).code === 'READ_MODEL_STORE_UNAVAILABLE';
