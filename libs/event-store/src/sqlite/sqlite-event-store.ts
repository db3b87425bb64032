/**
 * Embedded SQLite adapter (better-sqlite3, WAL, synchronous=FULL).
 * Appends are written by a connection of their own in a worker thread (writer-thread.ts), so
 * the commit's fsync does not hold up the event loop; reads run on the event loop on a second,
 * read-only connection, which WAL lets read while the writer commits.
 * Positions are the rowid, assigned as head+1 inside the single writer's transaction, so
 * they are contiguous and in commit order. Other processes' appends are found by polling.
 * Subscribers level with the log read the newest events from memory (recent-events.ts): this
 * process' commits are put there as the writer reports them, other processes' are read from the
 * file by the poll.
 */
import Database from 'better-sqlite3';
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { validateAppend } from '../append-plan';
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
import { StoreUnavailableError } from '../errors';
import { GroupCommitQueue, type GroupCommitOptions } from '../group-commit';
import { verifyStreamPages } from '../hash-chain';
import { LastWriteFailure } from '../last-write-failure';
import { RecentEvents } from './recent-events';
import {
  configureConnection,
  DEFAULT_BUSY_TIMEOUT_MS,
  EVENTS_SCHEMA,
  type EventRow,
} from './events-table';
import type { AppendRequest, CommittedRow } from './sqlite-event-writer';
import { withOwnedPayloads } from './writer-protocol';
import { SqliteWriterThread } from './writer-thread';

export interface SqliteEventStoreOptions {
  /** database file path (the writer thread opens it too, so not ':memory:') */
  readonly file: string;
  readonly groupCommit?: Partial<GroupCommitOptions>;
  /** how often subscribers look for appends made by other processes */
  readonly pollIntervalMs?: number;
  readonly busyTimeoutMs?: number;
}

export class SqliteEventStore implements EventStore {
  readonly kind = 'sqlite' as const;
  /** the event loop's connection, read-only */
  private readonly db: Database.Database;
  private readonly writer: SqliteWriterThread;
  private readonly appended = new EventEmitter();
  private readonly queue: GroupCommitQueue<AppendRequest, AppendResult>;
  private readonly statements;
  private readonly lastWrite = new LastWriteFailure();
  private closed = false;
  /** reads run for every subscriber wake-up: compile each distinct query once */
  private readonly statementCache = new Map<string, Database.Statement>();
  /** the page a subscription read last, while the head is where it was (see readPageShared) */
  private lastPage: { key: string; head: number; events: RecordedEvent[] } | undefined;
  /** the newest events, read once per commit, for subscribers that are level with the log */
  private readonly recent: RecentEvents;
  /** finds other processes' appends and wakes this process' subscribers */
  private readonly poll: NodeJS.Timeout;

  constructor(private readonly options: SqliteEventStoreOptions) {
    if (options.file === ':memory:' || options.file === '')
      throw new Error('SqliteEventStore needs a database file: its writer thread opens it too');
    mkdirSync(dirname(options.file), { recursive: true });
    const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
    this.db = new Database(options.file);
    configureConnection(this.db, busyTimeoutMs);
    // created here, synchronously, so a file that cannot be opened fails the constructor
    this.db.exec(EVENTS_SCHEMA);
    // every write goes through the writer thread; this connection could only ever read stale
    this.db.pragma('query_only = ON');
    this.appended.setMaxListeners(0);
    this.statements = {
      head: this.db.prepare<[], { position: number | null }>(
        'SELECT max(position) AS position FROM events',
      ),
      streamHead: this.db.prepare<[string], { version: number }>(
        'SELECT version FROM events WHERE stream_id = ? ORDER BY version DESC LIMIT 1',
      ),
    };
    this.recent = new RecentEvents(
      (position, maxCount) => this.readPage({ fromPosition: position, maxCount }),
      () => this.statements.head.get()?.position ?? 0,
    );
    this.poll = setInterval(() => {
      if (!this.closed && this.recent.refresh()) this.appended.emit('append');
    }, options.pollIntervalMs ?? 50);
    this.poll.unref();
    this.writer = new SqliteWriterThread({ file: options.file, busyTimeoutMs });
    this.queue = new GroupCommitQueue<AppendRequest, AppendResult>(
      async (requests) => {
        const owned = withOwnedPayloads(requests);
        let written: Awaited<ReturnType<SqliteWriterThread['append']>>;
        try {
          written = await this.writer.append(owned);
        } catch (error) {
          this.lastWrite.failed(error);
          throw error;
        }
        const { outcomes, headBefore, committed } = written;
        const wroteEvents = committed.length > 0;
        this.lastWrite.committed(outcomes, wroteEvents);
        if (wroteEvents) this.recent.committed(headBefore, recordedEvents(owned, committed));
        if (outcomes.some((o) => o.ok)) this.appended.emit('append');
        return outcomes;
      },
      {
        enabled: true,
        windowMs: 0,
        maxBatch: 500,
        maxBatchBytes: 1024 * 1024,
        ...options.groupCommit,
      },
      payloadBytes,
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
      async (o) => (this.closed ? [] : (this.recent.page(o) ?? this.readPageShared(o))),
      (listener) => {
        this.appended.on('append', listener);
        return () => this.appended.off('append', listener);
      },
      {
        ...options,
        // the store polls for other processes' appends once, for every subscriber
        pollIntervalMs: 0,
        // what the last refresh saw: a subscriber is woken after every refresh that moved it
        headPosition: () => Promise.resolve(this.closed ? 0 : this.recent.head),
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

  /** retention: committed by the writer thread, like appends */
  async deleteStream(streamId: string, expectedVersion: number): Promise<number> {
    this.assertOpen();
    const deleted = await this.writer.deleteStream(streamId, expectedVersion);
    this.recent.reset();
    return deleted;
  }

  async ping(): Promise<void> {
    this.assertOpen();
    this.db.prepare('SELECT 1').get();
  }

  lastWriteFailure(): WriteFailure | undefined {
    return this.lastWrite.current();
  }

  /**
   * A PRAGMA on the writer thread's connection, with its value: how tests (or an operator) make
   * the file refuse writes the way a full disk or a read-only mount would (`max_page_count`,
   * `query_only`). The event loop's connection is read-only and reads alike either way.
   */
  async writerPragma(source: string): Promise<unknown> {
    this.assertOpen();
    return this.writer.pragma(source);
  }

  /** appends already sent to the writer are committed first; later ones fail as unavailable */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.poll);
    this.appended.emit('append');
    this.db.close();
    // last to close: the writer's connection checkpoints the WAL into the file and removes it
    await this.writer.close();
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

function payloadBytes({ events }: AppendRequest): number {
  let bytes = 0;
  for (const event of events) if (event.data instanceof Uint8Array) bytes += event.data.byteLength;
  return bytes;
}

/**
 * The events a commit wrote, as a read would return them, without reading them: the rows the
 * writer reports, with the payloads and metadata the requests carried (a JSON payload or
 * metadata round-tripped through JSON, as it is stored).
 */
function recordedEvents(
  requests: readonly AppendRequest[],
  rows: readonly CommittedRow[],
): RecordedEvent[] {
  const sent = new Map<string, NewEvent>();
  for (const request of requests) for (const event of request.events) sent.set(event.id, event);
  return rows.map((row) => {
    const event = sent.get(row.id);
    if (!event) throw new Error(`the writer reported event ${row.id}, which was not sent`);
    const data = event.data instanceof Uint8Array ? event.data : roundTrip(event.data);
    return { ...row, data, metadata: roundTrip(event.metadata) };
  });
}

function roundTrip<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function filterClause(filter: AllFilter | undefined): { clause: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (filter?.streamPrefix) {
    // case-sensitive, as on the other stores (SQLite's LIKE folds ASCII case)
    parts.push('substr(stream_id, 1, ?) = ?');
    params.push(filter.streamPrefix.length, filter.streamPrefix);
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
