/**
 * Read models in their own SQLite file, `<DATA_DIR>/read-models.sqlite`, used with the sqlite
 * and kurrentdb event stores.
 *
 * A file of its own, not the events file: SQLite has one writer per file, so projection
 * transactions there would hold the lock the event writer's group commit needs, and every
 * projected batch would delay acknowledged appends. Read models are rebuildable, so the file
 * runs with `synchronous=NORMAL`: a power cut may lose the last projected batches, and since
 * checkpoint and rows commit together it loses them together, to be projected again.
 *
 * Two connections: the writer (transactions are serialized in process, one at a time), and a
 * reader for queries, which in WAL mode sees the last committed state and never a
 * projection's half-written batch.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type {
  ProjectionLease,
  ReadModelStore,
  SqlSession,
  SqlValue,
} from './read-model-store.port';
import { ReadModelStoreUnavailableError } from './read-model-store.port';

export const SQLITE_READ_MODELS_FILE = 'read-models.sqlite';

export const sqliteReadModelsFile = (dataDir: string): string =>
  join(dataDir, SQLITE_READ_MODELS_FILE);

export interface SqliteReadModelStoreOptions {
  /** database file path, or ':memory:' (one connection then, so reads may see a batch in progress) */
  readonly file: string;
  readonly busyTimeoutMs?: number;
}

/** Prepared statements by SQL text: projectors run the same few statements for every row. */
class StatementCache {
  private readonly statements = new Map<string, Database.Statement<unknown[]>>();
  constructor(private readonly db: Database.Database) {}

  get(sql: string): Database.Statement<unknown[]> {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare<unknown[]>(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

class SqliteSession implements SqlSession {
  constructor(private readonly statements: StatementCache) {}

  async all<Row extends object>(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    return this.statements.get(sql).all(...params) as Row[];
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return this.statements.get(sql).run(...params).changes;
  }

  async insertMany(
    table: string,
    columns: readonly string[],
    rows: readonly (readonly SqlValue[])[],
    conflict = '',
  ): Promise<void> {
    if (rows.length === 0) return;
    const statement = this.statements.get(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ${conflict}`,
    );
    for (const row of rows) statement.run(...row);
  }
}

interface GroupedTransaction {
  readonly work: (session: SqlSession) => Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

type Outcome =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

export class SqliteReadModelStore implements ReadModelStore {
  readonly kind = 'sqlite' as const;
  readonly location: string;
  private readonly writer: Database.Database;
  private readonly reader: Database.Database;
  private readonly writeSession: SqliteSession;
  private readonly readSession: SqliteSession;
  /** the group commit's own statements, prepared once: it runs them for every batch */
  private readonly control: Record<
    'begin' | 'savepoint' | 'release' | 'rollbackTo' | 'commit',
    Database.Statement
  >;
  /** the tail of the queue of writer work; each group of transactions waits for the one before */
  private writeQueue: Promise<unknown> = Promise.resolve();
  /** transactions waiting for the next group commit */
  private readonly grouped: GroupedTransaction[] = [];
  private closed = false;

  constructor(options: SqliteReadModelStoreOptions) {
    this.location = options.file;
    try {
      if (options.file !== ':memory:') mkdirSync(dirname(options.file), { recursive: true });
      this.writer = open(options.file, options.busyTimeoutMs ?? 10_000);
      this.reader =
        options.file === ':memory:'
          ? this.writer
          : open(options.file, options.busyTimeoutMs ?? 10_000);
    } catch (error) {
      throw new ReadModelStoreUnavailableError(options.file, error);
    }
    this.writeSession = new SqliteSession(new StatementCache(this.writer));
    this.control = {
      // IMMEDIATE takes the write lock up front, so a second process (the CLI rebuilding while
      // the server runs) waits on busy_timeout instead of failing at the first write
      begin: this.writer.prepare('BEGIN IMMEDIATE'),
      savepoint: this.writer.prepare('SAVEPOINT grouped'),
      release: this.writer.prepare('RELEASE grouped'),
      rollbackTo: this.writer.prepare('ROLLBACK TO grouped'),
      commit: this.writer.prepare('COMMIT'),
    };
    this.readSession =
      this.reader === this.writer
        ? this.writeSession
        : new SqliteSession(new StatementCache(this.reader));
  }

  all<Row extends object>(sql: string, params?: readonly SqlValue[]): Promise<Row[]> {
    this.assertOpen();
    return this.readSession.all<Row>(sql, params);
  }

  run(sql: string, params?: readonly SqlValue[]): Promise<number> {
    return this.transaction((session) => session.run(sql, params));
  }

  insertMany(
    table: string,
    columns: readonly string[],
    rows: readonly (readonly SqlValue[])[],
    conflict?: string,
  ): Promise<void> {
    return this.transaction((session) => session.insertMany(table, columns, rows, conflict));
  }

  /**
   * Transactions queued while the writer is busy commit together: one BEGIN…COMMIT with each
   * transaction's work in a savepoint of its own. The projectors flush their batches in the same
   * turn, so nine commits become one, while a failing batch still rolls back only its own
   * savepoint. A failure that ends the whole transaction (SQLite rolls it back on a full disk)
   * fails every transaction of the group: none of them committed.
   */
  transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    this.assertOpen();
    return new Promise<T>((resolve, reject) => {
      this.grouped.push({
        work: work as (session: SqlSession) => Promise<unknown>,
        resolve: resolve as (value: unknown) => void,
        reject,
      });
      // the group starts on the next turn, once every timer of this one (each projector's
      // batch window) has queued its batch: microtasks run between timer callbacks
      if (this.grouped.length === 1)
        this.writeQueue = this.writeQueue
          .then(() => new Promise((resolve) => setImmediate(resolve)))
          .then(() => this.commitGroup());
    });
  }

  private async commitGroup(): Promise<void> {
    const group = this.grouped.splice(0);
    let outcomes: Outcome[];
    try {
      outcomes = await this.runGroup(group);
    } catch (error) {
      if (this.writer.inTransaction) this.writer.exec('ROLLBACK');
      for (const { reject } of group) reject(error);
      return;
    }
    group.forEach(({ resolve, reject }, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) resolve(outcome.value);
      else reject(outcome.error);
    });
  }

  /** the group's outcomes once committed; throws when nothing of it committed */
  private async runGroup(group: readonly GroupedTransaction[]): Promise<Outcome[]> {
    const { begin, savepoint, release, rollbackTo, commit } = this.control;
    begin.run();
    const outcomes: Outcome[] = [];
    for (const { work } of group) {
      savepoint.run();
      try {
        const value = await work(this.writeSession);
        release.run();
        outcomes.push({ ok: true, value });
      } catch (error) {
        if (!this.writer.inTransaction) throw error;
        rollbackTo.run();
        release.run();
        outcomes.push({ ok: false, error });
      }
    }
    commit.run();
    return outcomes;
  }

  async migrate(ddl: readonly string[]): Promise<void> {
    await this.transaction(async () => {
      for (const statement of ddl) this.writer.exec(statement);
    });
  }

  async tryLease(): Promise<ProjectionLease> {
    // one file, one machine: the per-batch checkpoint compare-and-set is the guard here
    return { lost: new Promise<void>(() => undefined), release: async () => undefined };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writeQueue;
    if (this.reader !== this.writer) this.reader.close();
    this.writer.close();
  }

  private assertOpen(): void {
    if (this.closed)
      throw new ReadModelStoreUnavailableError(this.location, new Error('store is closed'));
  }
}

function open(file: string, busyTimeoutMs: number): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  return db;
}
