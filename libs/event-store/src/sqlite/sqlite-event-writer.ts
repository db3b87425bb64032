/**
 * The SQLite store's only writing connection: one batch of appends per transaction (group
 * commit), each append in a savepoint of its own. It runs in the writer thread
 * (sqlite-writer.worker.ts), so the commit's fsync never blocks the event loop.
 */
import Database from 'better-sqlite3';
import { planAppend, type StoredEventRef } from '../append-plan';
import {
  StoreUnavailableError,
  UnsafeStreamDeletionError,
  WrongExpectedVersionError,
} from '../errors';
import type { AppendOptions, AppendResult, NewEvent, RecordedEvent } from '../event-store.port';
import type { BatchOutcome } from '../group-commit';
import { GENESIS_HASH, isBinaryPayload } from '../hash-chain';
import { configureConnection } from './events-table';

export interface AppendRequest {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
  readonly options: AppendOptions;
}

/** An event as a commit wrote it, less its payload and metadata: the caller sent those. */
export type CommittedRow = Omit<RecordedEvent, 'data' | 'metadata'>;

export interface WrittenBatch {
  /** one per request, in order */
  readonly outcomes: BatchOutcome<AppendResult>[];
  /** the file's newest position when the transaction began */
  readonly headBefore: number;
  /**
   * the rows the commit wrote, in position order: every position after headBefore; none when
   * every request was an idempotent retry or failed
   */
  readonly committed: readonly CommittedRow[];
}

export class SqliteEventWriter {
  private readonly db: Database.Database;
  private readonly statements;
  private readonly writeAll: Database.Transaction<
    (requests: readonly AppendRequest[]) => WrittenBatch
  >;

  /** the `events` table must exist (the store creates it before it starts the writer) */
  constructor(file: string, busyTimeoutMs: number) {
    this.db = new Database(file);
    configureConnection(this.db, busyTimeoutMs);
    this.statements = {
      head: this.db.prepare<[], { position: number | null }>(
        'SELECT max(position) AS position FROM events',
      ),
      streamHead: this.db.prepare<[string], { version: number; hash: string }>(
        'SELECT version, hash FROM events WHERE stream_id = ? ORDER BY version DESC LIMIT 1',
      ),
      byId: this.db.prepare<[string], { stream_id: string; version: number; position: number }>(
        'SELECT stream_id, version, position FROM events WHERE id = ?',
      ),
      insert: this.db.prepare(
        `INSERT INTO events (position, id, stream_id, version, type, schema_version, data_kind, data, metadata, prev_hash, hash)
         VALUES (@position, @id, @stream_id, @version, @type, @schema_version, @data_kind, @data, @metadata, @prev_hash, @hash)`,
      ),
    };
    this.writeAll = this.db.transaction((requests: readonly AppendRequest[]) => {
      const headBefore = this.head();
      const outcomes: BatchOutcome<AppendResult>[] = [];
      const committed: CommittedRow[] = [];
      for (const request of requests) {
        const outcome = this.appendOneInSavepoint(request, headBefore + committed.length);
        // SQLite answers some failures (SQLITE_FULL, some I/O errors) by rolling back the whole
        // transaction, not only the savepoint: the earlier requests' rows are gone, and the later
        // ones would each run, and commit, in a transaction of their own. The batch fails whole.
        if (!this.db.inTransaction) throw outcome.ok ? transactionLost() : outcome.error;
        if (outcome.ok) {
          for (const row of outcome.rows) committed.push(row);
          outcomes.push({ ok: true, value: outcome.value });
        } else outcomes.push(outcome);
      }
      // an idempotent retry succeeds without writing, even on a full disk
      return { outcomes, headBefore, committed };
    });
  }

  /**
   * Writes and commits (fsync included) the whole batch; returns once it is durable. Throws,
   * with nothing committed, when the transaction as a whole failed.
   */
  writeBatch(requests: readonly AppendRequest[]): WrittenBatch {
    try {
      return this.writeAll.immediate(requests);
    } catch (error) {
      throw asStoreError(error);
    }
  }

  deleteStream(streamId: string, expectedVersion: number): number {
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
    try {
      return remove.immediate();
    } catch (error) {
      throw asStoreError(error);
    }
  }

  /** For tests and operators: a PRAGMA on this connection (`max_page_count`, `query_only`). */
  pragma(source: string): unknown {
    return this.db.pragma(source, { simple: true });
  }

  close(): void {
    this.db.close();
  }

  private head(): number {
    return this.statements.head.get()?.position ?? 0;
  }

  /**
   * One request inside the batch transaction, its rows placed after `head` (this batch holds the
   * write lock, so nothing else moves it); its failure rolls back only its own savepoint.
   */
  private appendOneInSavepoint(
    request: AppendRequest,
    head: number,
  ): { ok: true; value: AppendResult; rows: CommittedRow[] } | { ok: false; error: unknown } {
    try {
      return { ok: true, ...this.db.transaction(() => this.appendOne(request, head))() };
    } catch (error) {
      return { ok: false, error: asStoreError(error) };
    }
  }

  private appendOne(
    { streamId, events, options }: AppendRequest,
    head: number,
  ): { value: AppendResult; rows: CommittedRow[] } {
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
    const streamHead = this.statements.streamHead.get(streamId) ?? {
      version: -1,
      hash: GENESIS_HASH,
    };
    const plan = planAppend(streamId, events, options, existing, streamHead);
    if (plan.kind === 'retry') return { value: plan.result, rows: [] };

    let position = head;
    const rows = plan.events.map((event): CommittedRow => {
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
      const { id, type, schemaVersion, version, hash, prevHash } = event;
      return { id, streamId, type, schemaVersion, version, position, hash, prevHash };
    });
    const appended = rows.map(({ id, version, position }) => ({ id, version, position }));
    return {
      value: { nextExpectedVersion: appended[appended.length - 1].version, events: appended },
      rows,
    };
  }
}

/**
 * The file cannot be written or read (disk full, I/O error, read-only, locked past the busy
 * timeout): the store is out of reach, which callers report as 503 / close 1011, not as a bug.
 * Nothing of the failed transaction was committed.
 */
const UNAVAILABLE_SQLITE_CODE = /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN|BUSY|LOCKED|NOMEM)/;

export function asStoreError(error: unknown): unknown {
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
