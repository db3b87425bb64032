/**
 * PostgreSQL adapter (`pg`): one `events` table, global positions from a one-row counter
 * advanced inside the appending transaction, LISTEN/NOTIFY (plus a slow poll) to wake subscribers.
 *
 * Position invariant. Every append transaction first locks the counter row and keeps the lock
 * until COMMIT, so appending transactions from all processes run one after another. Each one
 * takes its positions by advancing that counter, so its positions are exactly the numbers after
 * those of the previous committer, and that committer is already visible when the next one
 * gets its numbers (PostgreSQL makes a commit visible before it releases its locks). Hence
 * positions are contiguous and become visible in increasing order: once a reader has seen N,
 * nothing below N can appear later. A rolled-back transaction or savepoint rolls its counter
 * increment back with it, so failures leave no gap. A sequence would give neither guarantee:
 * nextval() is not transactional (rollbacks leave gaps) and concurrent transactions commit in
 * any order relative to the numbers they drew.
 */
import { EventEmitter } from 'node:events';
import { DatabaseError, Pool, type PoolClient, type QueryResult, type QueryResultRow } from 'pg';
import { planAppend, validateAppend, type StoredEventRef, type StreamHead } from '../append-plan';
import { CatchUpSubscription } from '../catch-up-subscription';
import type {
  AllSubscription,
  AppendOptions,
  AppendResult,
  AppendedEvent,
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
  InvalidEventError,
  StoreUnavailableError,
  WrongExpectedVersionError,
  isStoreUnavailable,
} from '../errors';
import { GroupCommitQueue, type BatchOutcome, type GroupCommitOptions } from '../group-commit';
import { GENESIS_HASH, isBinaryPayload, verifyStreamPages } from '../hash-chain';
import { LastWriteFailure } from '../last-write-failure';
import { AppendListener } from './append-listener';
import { createSchemaExclusively } from './exclusive-schema';

export interface PostgresEventStoreOptions {
  readonly connectionString: string;
  readonly groupCommit?: Partial<GroupCommitOptions>;
  /**
   * how often subscribers re-read `$all` without a notification; only matters when a NOTIFY
   * was missed (listener reconnecting), so it can be slow
   */
  readonly pollIntervalMs?: number;
  /** pool size; with group commit on, appends use one connection at a time, reads the rest */
  readonly maxConnections?: number;
  /** default 10 s, or the query timeout when that is shorter */
  readonly connectTimeoutMs?: number;
  /**
   * A statement without an answer after this long fails with StoreUnavailableError (default
   * 30 s). The client's timer is what ends a hang on a network that drops packets without
   * resetting the connection; the same value as PostgreSQL's statement_timeout stops the server
   * working on a statement the client gave up on, and as idle_in_transaction_session_timeout
   * ends a transaction whose client vanished mid-append, which would otherwise hold the position
   * lock, and with it every other node's appends, until the server's TCP keepalive gives up.
   * The LISTEN connection is not a pooled one and has none of these.
   */
  readonly queryTimeoutMs?: number;
}

const DEFAULT_QUERY_TIMEOUT_MS = 30_000;

/**
 * JSON payloads are stored in `data bytea` as UTF-8 JSON text rather than in a jsonb column:
 * both payload kinds then share one column, and jsonb would refuse strings holding \u0000
 * that the port accepts (and sqlite stores). Key order and number spelling do not matter to
 * the hash chain, which canonicalises. Metadata stays jsonb so SQL can query actor and time.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position bigint PRIMARY KEY,
  id uuid NOT NULL UNIQUE,
  stream_id text NOT NULL,
  version integer NOT NULL CHECK (version >= 0),
  type text NOT NULL,
  schema_version integer NOT NULL,
  data_kind text NOT NULL CHECK (data_kind IN ('json', 'binary')),
  data bytea NOT NULL,
  metadata jsonb NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  UNIQUE (stream_id, version)
);
-- subscriptions filtered by event type (memberships, projections of JSON events) skip the Yjs updates
CREATE INDEX IF NOT EXISTS events_by_type ON events (type, position);
CREATE TABLE IF NOT EXISTS event_position_counter (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  -- the last position handed out, which is also the last committed one (see the module header)
  value bigint NOT NULL
);
INSERT INTO event_position_counter (singleton, value)
  SELECT true, coalesce(max(position), 0) FROM events
  ON CONFLICT (singleton) DO NOTHING;
`;

const NOTIFY_CHANNEL = 'plan_events_appended';
const COLUMNS =
  'position, id, stream_id, version, type, schema_version, data_kind, data, metadata, prev_hash, hash';

/*
 * A batch is written in four round trips whatever its size: BEGIN with the lock, one lookup,
 * one insert, COMMIT with the NOTIFY. Round trips, not fsync, are what bound a batch on a busy
 * machine, so per-request statements would give back most of what group commit wins.
 * Named statements are parsed once per pooled connection.
 */
const BEGIN_AND_LOCK =
  // Locked before any stream head is read, not only before positions are assigned: the
  // expected-version checks and the next versions then see every earlier commit, so two
  // processes appending to one stream cannot both plan the same version.
  'BEGIN; SELECT value FROM event_position_counter FOR UPDATE';

/**
 * Everything a batch is planned from, read under the lock: the counter (the last position),
 * the stored refs of the batch's ids and the head of each of its streams.
 */
const LOOKUP = {
  name: 'plan-events-lookup',
  text: `
    SELECT 'counter' AS kind, NULL::text AS id, NULL::text AS stream_id, NULL::int AS version,
           value AS position, NULL::text AS hash
      FROM event_position_counter
    UNION ALL
    SELECT 'stored', id::text, stream_id, version, position, NULL
      FROM events WHERE id = ANY($1::uuid[])
    UNION ALL
    SELECT 'head', NULL, head.stream_id, head.version, head.position, head.hash
      FROM unnest($2::text[]) AS s(stream_id)
      CROSS JOIN LATERAL (
        SELECT stream_id, version, position, hash FROM events
         WHERE events.stream_id = s.stream_id ORDER BY version DESC LIMIT 1
      ) AS head`,
};

/**
 * Moves the counter from the value the batch was planned on to its new head and inserts the
 * rows, in one statement. Should the counter not be where the plan saw it (impossible while
 * the lock holds), the CTE updates nothing and so nothing is inserted.
 */
const INSERT = {
  name: 'plan-events-insert',
  text: `
    WITH counter AS (
      UPDATE event_position_counter SET value = $2 WHERE value = $1 RETURNING value
    )
    INSERT INTO events (${COLUMNS})
    SELECT e.*
      FROM counter,
           unnest($3::bigint[], $4::uuid[], $5::text[], $6::int[], $7::text[], $8::int[], $9::text[],
                  $10::bytea[], $11::jsonb[], $12::text[], $13::text[])
             AS e(${COLUMNS})`,
};

/**
 * SQLSTATEs that mean the database cannot be used right now, as opposed to a statement that
 * failed: connection exceptions (08), operator intervention / shutdown (57P), too many
 * connections, authentication (28), a missing database, and the timeouts (statement cancelled
 * by statement_timeout 57014, session ended by idle_in_transaction_session_timeout 25P03):
 * the database did not get the work done in time, nothing of it was committed.
 */
const UNAVAILABLE_SQLSTATE = /^(08|57P|28|53300$|3D000$|57014$|25P03$)/;

interface EventRow {
  /** bigint arrives as text; positions stay far below 2^53 */
  position: string;
  id: string;
  stream_id: string;
  version: number;
  type: string;
  schema_version: number;
  data_kind: 'json' | 'binary';
  data: Buffer;
  metadata: EventMetadata;
  prev_hash: string;
  hash: string;
}

type LookupRow =
  | { kind: 'counter'; position: string }
  | { kind: 'stored'; id: string; stream_id: string; version: number; position: string }
  | { kind: 'head'; stream_id: string; version: number; hash: string };

interface AppendRequest {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
  readonly options: AppendOptions;
}

/** a sealed event at the position the batch plan gave it */
interface PlacedEvent {
  readonly position: number;
  readonly event: Omit<RecordedEvent, 'position'>;
}

interface BatchWrite {
  readonly outcomes: BatchOutcome<AppendResult>[];
  readonly appendedCount: number;
}

const EMPTY_STREAM: StreamHead = { version: -1, hash: GENESIS_HASH };

type Queryable = Pool | PoolClient;
type Statement = string | { readonly name?: string; readonly text: string };

export class PostgresEventStore implements EventStore {
  readonly kind = 'postgres' as const;
  private readonly pool: Pool;
  private readonly listener: AppendListener;
  private readonly appended = new EventEmitter();
  private readonly queue: GroupCommitQueue<AppendRequest, AppendResult>;
  private readonly subscriptions = new Set<AllSubscription>();
  private readonly inFlight = new Set<Promise<AppendResult>>();
  private readonly lastWrite = new LastWriteFailure();
  private closed = false;

  static async open(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    const store = new PostgresEventStore(options);
    try {
      await store.createSchema();
      await store.listener.start();
      return store;
    } catch (error) {
      await store.close();
      throw error;
    }
  }

  private constructor(private readonly options: PostgresEventStoreOptions) {
    const queryTimeoutMs = options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
    // an append that needs a new connection is held up no longer than one that hangs on a query
    const connectTimeoutMs = options.connectTimeoutMs ?? Math.min(10_000, queryTimeoutMs);
    this.pool = new Pool({
      connectionString: options.connectionString,
      max: options.maxConnections ?? 10,
      connectionTimeoutMillis: connectTimeoutMs,
      query_timeout: queryTimeoutMs,
      statement_timeout: queryTimeoutMs,
      idle_in_transaction_session_timeout: queryTimeoutMs,
      application_name: 'plan-event-store',
    });
    // An idle pooled connection died (server restart, network): the pool has already dropped
    // it, and the next checkout opens a fresh one or fails with StoreUnavailableError, so no
    // caller's work is lost here. Without a listener the event would crash the process.
    this.pool.on('error', () => undefined);
    // The pool listens for errors only on idle connections. A connection checked out for a batch
    // that dies between two statements (pg_terminate_backend, a dropped network) would emit an
    // 'error' no one listens to and crash the process; the statement that follows fails instead
    // (StoreUnavailableError) and the connection is released as broken.
    this.pool.on('connect', (client) => client.on('error', () => undefined));
    this.appended.setMaxListeners(0);
    this.listener = new AppendListener(
      {
        connectionString: options.connectionString,
        channel: NOTIFY_CHANNEL,
        connectTimeoutMs,
        maxBackoffMs: 5_000,
      },
      () => this.appended.emit('append'),
    );
    this.queue = new GroupCommitQueue<AppendRequest, AppendResult>(
      (requests) => this.writeBatch(requests),
      {
        enabled: true,
        windowMs: 0,
        maxBatch: 500,
        ...options.groupCommit,
      },
    );
  }

  private async createSchema(): Promise<void> {
    try {
      await createSchemaExclusively(this.pool, SCHEMA);
    } catch (error) {
      throw asStoreError(error);
    }
  }

  async appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    this.assertOpen();
    // invalid input never takes a place in a batch transaction
    validateAppend(streamId, events);
    const pending = this.queue.submit({ streamId, events, options });
    this.inFlight.add(pending);
    const settled = (): void => void this.inFlight.delete(pending);
    pending.then(settled, settled);
    return pending;
  }

  /**
   * One transaction for the whole batch, planned in memory and written with one insert. A
   * request that breaks the append rules (wrong expected version, duplicate id) is refused
   * while planning, before anything is written, so it fails alone. Should the database refuse
   * the combined insert (say, metadata jsonb cannot hold), the batch is written again with one
   * savepoint per request, so only the offending request's caller gets the error.
   * A failure of the connection or of COMMIT fails the whole batch with StoreUnavailableError;
   * its outcome is then unknown, and a retry with the same event ids is safe because appends
   * are idempotent by id.
   */
  private async writeBatch(
    requests: readonly AppendRequest[],
  ): Promise<BatchOutcome<AppendResult>[]> {
    const client = await checkout(this.pool).catch((error: unknown) => {
      this.lastWrite.failed(error);
      throw error;
    });
    let broken: Error | undefined;
    try {
      let written: BatchWrite;
      try {
        written = await inTransaction(client, () => this.planAndWrite(client, requests));
      } catch (error) {
        if (requests.length === 1 || isStoreUnavailable(error)) throw error;
        written = await inTransaction(client, () => this.writeEachInSavepoint(client, requests));
      }
      this.lastWrite.committed(written.outcomes, written.appendedCount > 0);
      if (written.appendedCount > 0) this.appended.emit('append');
      return written.outcomes;
    } catch (error) {
      // any other failure was rolled back; a connection that failed itself is in doubt and is
      // destroyed rather than handed to the next caller
      if (isStoreUnavailable(error)) broken = error;
      this.lastWrite.failed(error);
      throw error;
    } finally {
      client.release(broken);
    }
  }

  private async writeEachInSavepoint(
    client: PoolClient,
    requests: readonly AppendRequest[],
  ): Promise<BatchWrite> {
    const outcomes: BatchOutcome<AppendResult>[] = [];
    let appendedCount = 0;
    for (const request of requests) {
      await run(client, 'SAVEPOINT append_request');
      try {
        const written = await this.planAndWrite(client, [request]);
        await run(client, 'RELEASE SAVEPOINT append_request');
        outcomes.push(written.outcomes[0]);
        appendedCount += written.appendedCount;
      } catch (error) {
        if (isStoreUnavailable(error)) throw error;
        await run(client, 'ROLLBACK TO SAVEPOINT append_request');
        outcomes.push({ ok: false, error });
      }
    }
    return { outcomes, appendedCount };
  }

  /**
   * Applies the append rules to each request in turn against what the lookup found plus what
   * the earlier requests of the batch appended, exactly as if each had its own transaction.
   */
  private async planAndWrite(
    client: PoolClient,
    requests: readonly AppendRequest[],
  ): Promise<BatchWrite> {
    const lookup = await run<LookupRow>(client, LOOKUP, [
      requests.flatMap((r) => r.events.map((e) => e.id)),
      [...new Set(requests.map((r) => r.streamId))],
    ]);
    let lastPosition = 0;
    const stored = new Map<string, StoredEventRef>();
    const heads = new Map<string, StreamHead>();
    for (const row of lookup.rows) {
      if (row.kind === 'counter') lastPosition = Number(row.position);
      else if (row.kind === 'stored') {
        stored.set(row.id, {
          streamId: row.stream_id,
          version: row.version,
          position: Number(row.position),
        });
      } else heads.set(row.stream_id, { version: row.version, hash: row.hash });
    }

    const planOn = lastPosition;
    const rows: PlacedEvent[] = [];
    const outcomes = requests.map(({ streamId, events, options }): BatchOutcome<AppendResult> => {
      try {
        const existing = new Map<string, StoredEventRef>();
        for (const { id } of events) {
          const ref = stored.get(id);
          if (ref) existing.set(id, ref);
        }
        const plan = planAppend(
          streamId,
          events,
          options,
          existing,
          heads.get(streamId) ?? EMPTY_STREAM,
        );
        if (plan.kind === 'retry') return { ok: true, value: plan.result };
        const appended = plan.events.map((event): AppendedEvent => {
          lastPosition += 1;
          rows.push({ position: lastPosition, event });
          stored.set(event.id, { streamId, version: event.version, position: lastPosition });
          return { id: event.id, version: event.version, position: lastPosition };
        });
        const last = plan.events[plan.events.length - 1];
        heads.set(streamId, { version: last.version, hash: last.hash });
        return { ok: true, value: { nextExpectedVersion: last.version, events: appended } };
      } catch (error) {
        return { ok: false, error };
      }
    });
    if (rows.length > 0) await insertRows(client, planOn, rows);
    return { outcomes, appendedCount: rows.length };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const backwards = options.direction === 'backwards';
    const { rows } = await run<EventRow>(
      this.pool,
      backwards
        ? `SELECT ${COLUMNS} FROM events WHERE stream_id = $1 AND ($2::bigint IS NULL OR version <= $2)
           ORDER BY version DESC LIMIT $3`
        : `SELECT ${COLUMNS} FROM events WHERE stream_id = $1 AND version >= $2::bigint ORDER BY version ASC LIMIT $3`,
      [streamId, options.fromVersion ?? (backwards ? null : 0), options.maxCount ?? null],
    );
    return rows.map(toRecorded);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const types = options.filter?.eventTypes;
    const { rows } = await run<EventRow>(
      this.pool,
      `SELECT ${COLUMNS} FROM events
       WHERE position > $1
         AND ($2::text IS NULL OR starts_with(stream_id, $2))
         AND ($3::text[] IS NULL OR type = ANY($3))
       ORDER BY position ASC LIMIT $4`,
      [
        options.fromPosition ?? 0,
        options.filter?.streamPrefix || null,
        types && types.length > 0 ? types : null,
        options.maxCount ?? null,
      ],
    );
    return rows.map(toRecorded);
  }

  subscribeToAll(options: SubscribeOptions = {}): AllSubscription {
    this.assertOpen();
    const inner = new CatchUpSubscription(
      (o) => (this.closed ? Promise.resolve([]) : this.readAll(o)),
      (listener) => {
        this.appended.on('append', listener);
        return () => this.appended.off('append', listener);
      },
      {
        ...options,
        pollIntervalMs: this.options.pollIntervalMs ?? 1_000,
        headPosition: () => (this.closed ? Promise.resolve(0) : this.headPosition()),
      },
    );
    // tracked so that closing the store ends its subscriptions instead of leaving them polling
    const subscription: AllSubscription = {
      [Symbol.asyncIterator]: () => inner[Symbol.asyncIterator](),
      close: async () => {
        this.subscriptions.delete(subscription);
        await inner.close();
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  verifyStream(streamId: string): Promise<VerifyResult> {
    return verifyStreamPages(streamId, (fromVersion, maxCount) =>
      this.readStream(streamId, { fromVersion, maxCount }),
    );
  }

  async headPosition(): Promise<number> {
    this.assertOpen();
    // the counter only moves inside appending transactions, so its committed value is the head
    const { rows } = await run<{ value: string }>(
      this.pool,
      'SELECT value FROM event_position_counter',
    );
    return Number(rows[0]?.value ?? 0);
  }

  async streamVersion(streamId: string): Promise<number> {
    this.assertOpen();
    const { rows } = await run<{ version: number | null }>(
      this.pool,
      'SELECT max(version) AS version FROM events WHERE stream_id = $1',
      [streamId],
    );
    return rows[0]?.version ?? -1;
  }

  async deleteStream(streamId: string, expectedVersion: number): Promise<number> {
    this.assertOpen();
    const client = await checkout(this.pool);
    try {
      // the position lock orders this with every append (positions come from the counter row,
      // which a deletion never lowers)
      await run(client, BEGIN_AND_LOCK);
      try {
        const { rows } = await run<{ version: number | null }>(
          client,
          'SELECT max(version) AS version FROM events WHERE stream_id = $1',
          [streamId],
        );
        const actual = rows[0]?.version ?? -1;
        if (actual !== expectedVersion)
          throw new WrongExpectedVersionError(streamId, expectedVersion, actual);
        const deleted = await run(client, 'DELETE FROM events WHERE stream_id = $1', [streamId]);
        await run(client, 'COMMIT');
        return deleted.rowCount ?? 0;
      } catch (error) {
        if (!isStoreUnavailable(error)) await run(client, 'ROLLBACK');
        throw error;
      }
    } finally {
      client.release();
    }
  }

  async ping(): Promise<void> {
    this.assertOpen();
    await run(this.pool, 'SELECT 1');
  }

  lastWriteFailure(): WriteFailure | undefined {
    return this.lastWrite.current();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // appends already accepted finish (or fail) on the pool before it goes away
    await Promise.allSettled([...this.inFlight]);
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    await this.listener.close();
    await this.pool.end();
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreUnavailableError('postgres', new Error('store is closed'));
  }
}

/** every database call goes through here, so a connection failure is typed where it happens */
async function run<R extends QueryResultRow = QueryResultRow>(
  db: Queryable,
  statement: Statement,
  values?: unknown[],
): Promise<QueryResult<R>> {
  try {
    return await db.query<R>(
      typeof statement === 'string' ? { text: statement, values } : { ...statement, values },
    );
  } catch (error) {
    throw asStoreError(error);
  }
}

async function checkout(pool: Pool): Promise<PoolClient> {
  try {
    return await pool.connect();
  } catch (error) {
    throw new StoreUnavailableError('postgres', error);
  }
}

/** BEGIN (taking the position lock), work, COMMIT; rolled back if the work throws */
async function inTransaction(
  client: PoolClient,
  work: () => Promise<BatchWrite>,
): Promise<BatchWrite> {
  await run(client, BEGIN_AND_LOCK);
  try {
    const written = await work();
    // a notification is delivered on COMMIT, and only if the transaction commits
    await run(client, written.appendedCount > 0 ? `NOTIFY ${NOTIFY_CHANNEL}; COMMIT` : 'COMMIT');
    return written;
  } catch (error) {
    if (!isStoreUnavailable(error)) await run(client, 'ROLLBACK');
    throw error;
  }
}

async function insertRows(
  client: PoolClient,
  planOn: number,
  rows: readonly PlacedEvent[],
): Promise<void> {
  const column = <T>(pick: (row: PlacedEvent) => T): T[] => rows.map(pick);
  const result = await run(client, INSERT, [
    planOn,
    planOn + rows.length,
    column((r) => r.position),
    column((r) => r.event.id),
    column((r) => r.event.streamId),
    column((r) => r.event.version),
    column((r) => r.event.type),
    column((r) => r.event.schemaVersion),
    column((r) => (isBinaryPayload(r.event.data) ? 'binary' : 'json')),
    column((r) =>
      isBinaryPayload(r.event.data)
        ? r.event.data
        : Buffer.from(JSON.stringify(r.event.data), 'utf8'),
    ),
    column((r) => JSON.stringify(r.event.metadata)),
    column((r) => r.event.prevHash),
    column((r) => r.event.hash),
  ]).catch((error: unknown) => {
    throw unstorableMetadata(rows, error) ?? error;
  });
  if (result.rowCount !== rows.length) {
    throw new Error(
      `position counter was not at ${planOn} under its lock; the batch was not written`,
    );
  }
}

/**
 * A DatabaseError is the server refusing one statement; anything else `pg` throws is the
 * socket, a timeout or an ended pool, i.e. the store being out of reach.
 */
function asStoreError(error: unknown): unknown {
  if (error instanceof DatabaseError && !UNAVAILABLE_SQLSTATE.test(error.code ?? '')) return error;
  return new StoreUnavailableError('postgres', error);
}

/** jsonb refuses \u0000 and unpaired surrogates that JSON text allows; that is the caller's input */
function unstorableMetadata(
  rows: readonly PlacedEvent[],
  error: unknown,
): InvalidEventError | undefined {
  const refused =
    error instanceof DatabaseError && (error.code === '22P05' || error.code === '22P02');
  if (!refused) return undefined;
  // with several streams in the statement the culprit is found by the per-request retry
  return new InvalidEventError(
    rows[0].event.streamId,
    'metadata',
    `cannot be stored as jsonb: ${error.message}`,
  );
}

function toRecorded(row: EventRow): RecordedEvent {
  const data =
    row.data_kind === 'binary'
      ? new Uint8Array(row.data.buffer, row.data.byteOffset, row.data.byteLength)
      : JSON.parse(row.data.toString('utf8'));
  return {
    id: row.id,
    streamId: row.stream_id,
    type: row.type,
    data,
    metadata: row.metadata,
    schemaVersion: row.schema_version,
    version: row.version,
    position: Number(row.position),
    hash: row.hash,
    prevHash: row.prev_hash,
  };
}
