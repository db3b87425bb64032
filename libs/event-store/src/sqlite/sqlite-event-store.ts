/**
 * Embedded SQLite adapter (better-sqlite3, WAL, synchronous=FULL).
 * Positions are the rowid, assigned as head+1 inside the single writer's transaction, so
 * they are contiguous and in commit order. Other processes' appends are found by polling.
 */
import Database from 'better-sqlite3';
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { planAppend, validateAppend, type StoredEventRef } from '../append-plan';
import { CatchUpSubscription } from '../catch-up-subscription';
import type {
  AllFilter,
  AllSubscription,
  AppendOptions,
  AppendResult,
  EventMetadata,
  EventStore,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  VerifyResult,
  WriteFailure,
} from '../event-store.port';
import {
  StoreUnavailableError,
  UnsafeStreamDeletionError,
  WrongExpectedVersionError,
} from '../errors';
import { GroupCommitQueue, type BatchOutcome, type GroupCommitOptions } from '../group-commit';
import { GENESIS_HASH, isBinaryPayload, verifyStreamPages } from '../hash-chain';
import { LastWriteFailure } from '../last-write-failure';

export interface SqliteEventStoreOptions {
  /** database file path, or ':memory:' */
  readonly file: string;
  readonly groupCommit?: Partial<GroupCommitOptions>;
  /** how often subscribers look for appends made by other processes */
  readonly pollIntervalMs?: number;
  readonly busyTimeoutMs?: number;
}

interface EventRow {
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

interface AppendRequest {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
  readonly options: AppendOptions;
}

const SCHEMA = `
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

export class SqliteEventStore implements EventStore {
  readonly kind = 'sqlite' as const;
  readonly db: Database.Database;
  private readonly appended = new EventEmitter();
  private readonly queue: GroupCommitQueue<AppendRequest, AppendResult>;
  private readonly statements;
  private readonly lastWrite = new LastWriteFailure();
  private closed = false;
  /** reads run for every subscriber wake-up: compile each distinct query once */
  private readonly statementCache = new Map<string, Database.Statement>();
  /** the page a subscription read last, while the head is where it was (see readPageShared) */
  private lastPage: { key: string; head: number; events: RecordedEvent[] } | undefined;

  constructor(private readonly options: SqliteEventStoreOptions) {
    if (options.file !== ':memory:') mkdirSync(dirname(options.file), { recursive: true });
    this.db = new Database(options.file);
    this.db.pragma('journal_mode = WAL');
    // FULL: an acknowledged append survives power loss, not only a process crash
    this.db.pragma('synchronous = FULL');
    this.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 10_000}`);
    this.db.exec(SCHEMA);
    this.appended.setMaxListeners(0);
    this.statements = {
      head: this.db.prepare<[], { position: number | null }>(
        'SELECT max(position) AS position FROM events',
      ),
      streamHead: this.db.prepare<[string], { version: number; hash: string }>(
        'SELECT version, hash FROM events WHERE stream_id = ? ORDER BY version DESC LIMIT 1',
      ),
      byId: this.db.prepare<[string], StoredEventRef & { stream_id: string }>(
        'SELECT stream_id, stream_id AS streamId, version, position FROM events WHERE id = ?',
      ),
      insert: this.db.prepare(
        `INSERT INTO events (position, id, stream_id, version, type, schema_version, data_kind, data, metadata, prev_hash, hash)
         VALUES (@position, @id, @stream_id, @version, @type, @schema_version, @data_kind, @data, @metadata, @prev_hash, @hash)`,
      ),
    };
    const writeAll = this.db.transaction((requests: readonly AppendRequest[]) => {
      const headBefore = this.statements.head.get()?.position ?? 0;
      const outcomes: BatchOutcome<AppendResult>[] = [];
      for (const request of requests) {
        const outcome = this.appendOneInSavepoint(request);
        // SQLite answers some failures (SQLITE_FULL, some I/O errors) by rolling back the whole
        // transaction, not only the savepoint: the earlier requests' rows are gone, and the later
        // ones would each run, and commit, in a transaction of their own. The batch fails whole.
        if (!this.db.inTransaction) throw outcome.ok ? transactionLost() : outcome.error;
        outcomes.push(outcome);
      }
      // an idempotent retry succeeds without writing, even on a full disk
      const wroteEvents = (this.statements.head.get()?.position ?? 0) > headBefore;
      return { outcomes, wroteEvents };
    });
    this.queue = new GroupCommitQueue<AppendRequest, AppendResult>(
      async (requests) => {
        let written: ReturnType<typeof writeAll.immediate>;
        try {
          written = writeAll.immediate(requests);
        } catch (error) {
          const storeError = asStoreError(error);
          this.lastWrite.failed(storeError);
          throw storeError;
        }
        const { outcomes, wroteEvents } = written;
        this.lastWrite.committed(outcomes, wroteEvents);
        if (outcomes.some((o) => o.ok)) this.appended.emit('append');
        return outcomes;
      },
      { enabled: true, windowMs: 0, maxBatch: 500, ...options.groupCommit },
    );
  }

  async appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    this.assertOpen();
    validateAppend(streamId, events);
    return this.queue.submit({ streamId, events, options });
  }

  /** one request inside the batch transaction; its failure rolls back only its own savepoint */
  private appendOneInSavepoint(request: AppendRequest): BatchOutcome<AppendResult> {
    try {
      return { ok: true, value: this.db.transaction(() => this.appendOne(request))() };
    } catch (error) {
      return { ok: false, error: asStoreError(error) };
    }
  }

  private appendOne({ streamId, events, options }: AppendRequest): AppendResult {
    const existing = new Map<string, StoredEventRef>();
    for (const event of events) {
      const ref = this.statements.byId.get(event.id);
      if (ref)
        existing.set(event.id, {
          streamId: ref.stream_id,
          version: ref.version,
          position: ref.position,
        });
    }
    const head = this.statements.streamHead.get(streamId) ?? { version: -1, hash: GENESIS_HASH };
    const plan = planAppend(streamId, events, options, existing, head);
    if (plan.kind === 'retry') return plan.result;

    let position = this.statements.head.get()?.position ?? 0;
    const appended = plan.events.map((event) => {
      position += 1;
      const binary = isBinaryPayload(event.data);
      this.statements.insert.run({
        position,
        id: event.id,
        stream_id: streamId,
        version: event.version,
        type: event.type,
        schema_version: event.schemaVersion,
        data_kind: binary ? 'binary' : 'json',
        data: binary ? Buffer.from(event.data as Uint8Array) : JSON.stringify(event.data),
        metadata: JSON.stringify(event.metadata),
        prev_hash: event.prevHash,
        hash: event.hash,
      });
      return { id: event.id, version: event.version, position };
    });
    return { nextExpectedVersion: appended[appended.length - 1].version, events: appended };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const limit = options.maxCount ?? -1;
    if (options.direction === 'backwards') {
      const from = options.fromVersion ?? Number.MAX_SAFE_INTEGER;
      return this.prepared<[string, number, number], EventRow>(
        'SELECT * FROM events WHERE stream_id = ? AND version <= ? ORDER BY version DESC LIMIT ?',
      )
        .all(streamId, from, limit)
        .map(toRecorded);
    }
    return this.prepared<[string, number, number], EventRow>(
      'SELECT * FROM events WHERE stream_id = ? AND version >= ? ORDER BY version ASC LIMIT ?',
    )
      .all(streamId, options.fromVersion ?? 0, limit)
      .map(toRecorded);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    return this.readPage(options);
  }

  subscribeToAll(options: SubscribeOptions = {}): AllSubscription {
    this.assertOpen();
    return new CatchUpSubscription(
      async (o) => (this.closed ? [] : this.readPageShared(o)),
      (listener) => {
        this.appended.on('append', listener);
        return () => this.appended.off('append', listener);
      },
      {
        ...options,
        pollIntervalMs: this.options.pollIntervalMs ?? 50,
        headPosition: () => (this.closed ? Promise.resolve(0) : this.headPosition()),
      },
    );
  }

  verifyStream(streamId: string): Promise<VerifyResult> {
    return verifyStreamPages(streamId, (fromVersion, maxCount) =>
      this.readStream(streamId, { fromVersion, maxCount }),
    );
  }

  async headPosition(): Promise<number> {
    this.assertOpen();
    return this.statements.head.get()?.position ?? 0;
  }

  async streamVersion(streamId: string): Promise<number> {
    this.assertOpen();
    return this.statements.streamHead.get(streamId)?.version ?? -1;
  }

  async deleteStream(streamId: string, expectedVersion: number): Promise<number> {
    this.assertOpen();
    const remove = this.db.transaction(() => {
      const actual = this.statements.streamHead.get(streamId)?.version ?? -1;
      if (actual !== expectedVersion)
        throw new WrongExpectedVersionError(streamId, expectedVersion, actual);
      // positions are max(position) + 1: deleting the newest event would hand its position out
      // again, below a reader's checkpoint
      const newest = this.db
        .prepare<[], { stream_id: string }>(
          'SELECT stream_id FROM events ORDER BY position DESC LIMIT 1',
        )
        .get();
      if (newest?.stream_id === streamId)
        throw new UnsafeStreamDeletionError(
          streamId,
          'it holds the newest event of the store; append another first (a tombstone)',
        );
      return this.db.prepare('DELETE FROM events WHERE stream_id = ?').run(streamId).changes;
    });
    return remove();
  }

  async ping(): Promise<void> {
    this.assertOpen();
    this.db.prepare('SELECT 1').get();
  }

  lastWriteFailure(): WriteFailure | undefined {
    return this.lastWrite.current();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.appended.emit('append');
    this.db.close();
  }

  private readPage(options: ReadAllOptions): RecordedEvent[] {
    const { clause, params } = filterClause(options.filter);
    return this.prepared<unknown[], EventRow>(
      `SELECT * FROM events WHERE position > ? ${clause} ORDER BY position ASC LIMIT ?`,
    )
      .all(options.fromPosition ?? 0, ...params, options.maxCount ?? -1)
      .map(toRecorded);
  }

  /**
   * Subscriptions in this process wake together after each append and mostly read the same
   * page (every projector from the same position): the last page read is handed to the next
   * reader asking for the same page, for as long as the head has not moved.
   */
  private readPageShared(options: ReadAllOptions): RecordedEvent[] {
    const key = JSON.stringify([options.fromPosition ?? 0, options.maxCount ?? -1, options.filter]);
    const head = this.statements.head.get()?.position ?? 0;
    const last = this.lastPage;
    if (last && last.key === key && last.head === head) return last.events;
    const events = this.readPage(options);
    this.lastPage = { key, head, events };
    return events;
  }

  private prepared<P extends unknown[], R>(sql: string): Database.Statement<P, R> {
    let statement = this.statementCache.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statementCache.set(sql, statement);
    }
    return statement as unknown as Database.Statement<P, R>;
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreUnavailableError('sqlite', new Error('store is closed'));
  }
}

/**
 * The file cannot be written or read (disk full, I/O error, read-only, locked past the busy
 * timeout): the store is out of reach, which callers report as 503 / close 1011, not as a bug.
 * Nothing of the failed transaction was committed.
 */
const UNAVAILABLE_SQLITE_CODE = /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN|BUSY|LOCKED|NOMEM)/;

function asStoreError(error: unknown): unknown {
  const { name, code, message } = (error ?? {}) as {
    name?: unknown;
    code?: unknown;
    message?: unknown;
  };
  // by shape, not instanceof: the native addon keeps the SqliteError class (and Error) of the
  // first copy of better-sqlite3 loaded in the process, and a module registry (jest) may load
  // others, each in a realm of its own
  if (name === 'SqliteError' && typeof code === 'string' && UNAVAILABLE_SQLITE_CODE.test(code)) {
    return new StoreUnavailableError('sqlite', new Error(`${String(message)} (${code})`));
  }
  return error;
}

function transactionLost(): StoreUnavailableError {
  return new StoreUnavailableError('sqlite', new Error('SQLite rolled the batch transaction back'));
}

function filterClause(filter: AllFilter | undefined): { clause: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (filter?.streamPrefix) {
    parts.push(`stream_id LIKE ? ESCAPE '\\'`);
    params.push(`${filter.streamPrefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  }
  if (filter?.eventTypes && filter.eventTypes.length > 0) {
    parts.push(`type IN (${filter.eventTypes.map(() => '?').join(', ')})`);
    params.push(...filter.eventTypes);
  }
  return { clause: parts.map((p) => `AND ${p}`).join(' '), params };
}

function toRecorded(row: EventRow): RecordedEvent {
  const data =
    row.data_kind === 'binary'
      ? new Uint8Array(
          (row.data as Buffer).buffer,
          (row.data as Buffer).byteOffset,
          (row.data as Buffer).byteLength,
        )
      : JSON.parse(typeof row.data === 'string' ? row.data : (row.data as Buffer).toString('utf8'));
  return {
    id: row.id,
    streamId: row.stream_id,
    type: row.type,
    data,
    metadata: JSON.parse(row.metadata) as EventMetadata,
    schemaVersion: row.schema_version,
    version: row.version,
    position: row.position,
    hash: row.hash,
    prevHash: row.prev_hash,
  };
}
