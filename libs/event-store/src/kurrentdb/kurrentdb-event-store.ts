/**
 * KurrentDB adapter (`@kurrent/kurrentdb-client`): plan streams map 1:1 to KurrentDB streams,
 * the global position is the event's commit position in `$all` (ordered, not contiguous), and
 * subscriptions are KurrentDB's own catch-up subscriptions to `$all`.
 *
 * KurrentDB only stores what it is sent, so the adapter seals the hash chain itself: it takes
 * the stream's head, seals the batch after it (append-plan.ts) and appends with that exact
 * revision as the expected one, so no other writer can slip in between and fork the chain.
 * KurrentDB has no index by event id: a retried batch is recognised among the stream's latest
 * events (`idempotencyWindow`) or at the versions its expected version names. The head and the
 * latest ids are remembered per stream (stream-tails.ts): an append to a stream this process
 * wrote before is one write plus one read of the appended events for their positions; a stale
 * memory (another process appended) is refused by KurrentDB and the stream is read again.
 */
import {
  BACKWARDS,
  DeadlineExceededError,
  END,
  FORWARDS,
  KurrentDBClient,
  MaxAppendSizeExceededError,
  NotLeaderError,
  START,
  StreamNotFoundError,
  TimeoutError,
  UnavailableError,
  WrongExpectedVersionError as KurrentWrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type ReadPosition,
  type ReadStreamOptions as KurrentReadStreamOptions,
  type ResolvedEvent,
} from '@kurrent/kurrentdb-client';
import { planAppend, validateAppend } from '../append-plan';
import { InvalidEventError, StoreUnavailableError } from '../errors';
import type {
  AllSubscription,
  AppendOptions,
  AppendResult,
  EventStore,
  ExpectedVersion,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  VerifyResult,
  WriteFailure,
} from '../event-store.port';
import { ChainVerifier, GENESIS_HASH } from '../hash-chain';
import { LastWriteFailure } from '../last-write-failure';
import { KurrentDbAllSubscription } from './kurrentdb-all-subscription';
import {
  storedIn,
  StreamTails,
  tailCoversSlot,
  type StreamTail,
  type TailEvent,
} from './stream-tails';
import {
  appendStreamState,
  decodeRecord,
  encodeEvent,
  matchesFilter,
  positionToReadPosition,
  recordPosition,
  revisionToVersion,
  serverFilter,
  UnreadableEventError,
  wrongExpectedVersion,
} from './kurrentdb-codec';

export interface KurrentDbEventStoreOptions {
  /** e.g. `kurrentdb://127.0.0.1:2113?tls=false` */
  readonly connectionString: string;
  /**
   * How many of a stream's latest events an append searches for its own ids. A retry arrives
   * soon after the attempt it repeats, so its original is among the latest events unless more
   * than this many were appended to the same plan in between (then it is stored again).
   */
  readonly idempotencyWindow?: number;
  /** attempts of an append whose head another process moved between our read and our write */
  readonly maxAppendAttempts?: number;
  /**
   * How many streams' heads (and latest ids) are remembered between appends (default 1000), so
   * an append to one of them is a single write, without reading the stream first.
   */
  readonly rememberedStreams?: number;
}

const DEFAULT_IDEMPOTENCY_WINDOW = 100;
const DEFAULT_MAX_APPEND_ATTEMPTS = 20;
const DEFAULT_REMEMBERED_STREAMS = 1000;
const READ_PAGE_SIZE = 500;
const VERIFY_PAGE_SIZE = 1000;

/** gRPC status codes of raw (unconverted) client errors that mean the server is out of reach */
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_UNAVAILABLE = 14;

export class KurrentDbEventStore implements EventStore {
  readonly kind = 'kurrentdb' as const;
  /** the last append queued per stream, so this process appends to one stream one batch at a time */
  private readonly appendTails = new Map<string, Promise<void>>();
  private readonly subscriptions = new Set<KurrentDbAllSubscription>();
  private readonly lastWrite = new LastWriteFailure();
  private readonly tails: StreamTails;
  private closed = false;

  private constructor(
    private readonly client: KurrentDBClient,
    private readonly options: KurrentDbEventStoreOptions,
  ) {
    this.tails = new StreamTails(
      options.rememberedStreams ?? DEFAULT_REMEMBERED_STREAMS,
      Math.max(1, options.idempotencyWindow ?? DEFAULT_IDEMPOTENCY_WINDOW),
    );
  }

  /** connects and pings, so a wrong URL or a server that is down fails at start-up */
  static async open(options: KurrentDbEventStoreOptions): Promise<KurrentDbEventStore> {
    const client = KurrentDBClient.connectionString(options.connectionString);
    const store = new KurrentDbEventStore(client, options);
    try {
      await store.ping();
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  async appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    this.assertOpen();
    validateAppend(streamId, events);
    // Concurrent appends to one plan would all read the same head and all but one would have to
    // retry; queueing them per stream costs nothing, as they could not commit in parallel anyway.
    return this.oneAtATime(streamId, () =>
      this.appendChained(streamId, events, options).catch((error: unknown) => {
        this.lastWrite.failed(error);
        throw error;
      }),
    );
  }

  private async appendChained(
    streamId: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    const expected = options.expectedVersion ?? 'any';
    const maxAttempts = this.options.maxAppendAttempts ?? DEFAULT_MAX_APPEND_ATTEMPTS;
    const ids = events.map((e) => e.id);
    for (let attempt = 1; ; attempt++) {
      // the first attempt trusts what this process remembers of the stream; KurrentDB checks it
      const remembered = attempt === 1 ? this.tails.get(streamId) : undefined;
      const known = remembered && tailCoversSlot(remembered, expected) ? remembered : undefined;
      const tail = known ?? (await this.readTail(streamId, ids, expected));
      let plan: ReturnType<typeof planAppend>;
      try {
        plan = planAppend(streamId, events, options, storedIn(tail, ids), tail.head);
      } catch (error) {
        // a conflict found in what was remembered may be stale: decide it on what is stored
        if (known) {
          this.tails.forget(streamId);
          continue;
        }
        throw error;
      }
      if (plan.kind === 'retry') return plan.result;
      try {
        await this.client.appendToStream(streamId, plan.events.map(encodeEvent), {
          streamState: appendStreamState(expected, tail.head.version),
        });
        this.lastWrite.written();
      } catch (error) {
        this.tails.forget(streamId);
        if (!(error instanceof KurrentWrongExpectedVersionError))
          throw toAppendError(streamId, error);
        // Another process appended since our read (or since what we remembered). Look again:
        // for 'any' we re-seal after the new head; for a caller's expected version the next
        // planAppend reports the conflict, or finds this very batch stored by a concurrent retry.
        if (attempt >= maxAttempts)
          throw wrongExpectedVersion(streamId, expected, error.actualState);
        if (!known) await backOff(attempt);
        continue;
      }
      const result = await this.appendedResult(streamId, plan.events);
      const last = plan.events[plan.events.length - 1];
      this.tails.remember(
        streamId,
        { version: last.version, hash: last.hash },
        result.events.map((e) => ({ ...e, streamId })),
        tail,
      );
      return result;
    }
  }

  /**
   * The stream's head and latest events (the idempotency window), read from the stream and
   * remembered. An expected version names where the batch went if it was stored: when that slot
   * is older than the window it is read too, so a late retry is recognised.
   */
  private async readTail(
    streamId: string,
    ids: readonly string[],
    expected: ExpectedVersion,
  ): Promise<StreamTail> {
    const latest = await this.readResolved(streamId, {
      direction: BACKWARDS,
      fromRevision: END,
      maxCount: Math.max(1, this.options.idempotencyWindow ?? DEFAULT_IDEMPOTENCY_WINDOW),
    });
    if (latest.length === 0) {
      const empty = { head: { version: -1, hash: GENESIS_HASH }, recent: new Map() };
      this.tails.remember(streamId, empty.head, []);
      return empty;
    }
    const headEvent = decodeResolved(latest[0]);
    const head = { version: headEvent.version, hash: headEvent.hash };
    const window = latest.reverse().map((resolved) => tailEvent(streamId, resolved));
    this.tails.remember(streamId, head, window);

    const slot = expected === 'any' ? undefined : expected === 'no_stream' ? 0 : expected + 1;
    if (slot === undefined || slot > head.version || slot >= window[0].version) {
      return { head, recent: new Map(window.map(({ id, ...ref }) => [id, ref])) };
    }
    const wanted = new Set(ids);
    const atSlot = await this.readResolved(streamId, {
      direction: FORWARDS,
      fromRevision: BigInt(slot),
      maxCount: ids.length,
    });
    // not remembered: the tail holds the latest events only
    const recent = new Map(window.map(({ id, ...ref }) => [id, ref]));
    for (const resolved of atSlot) {
      if (!resolved.event || !wanted.has(resolved.event.id)) continue;
      const { id, ...ref } = tailEvent(streamId, resolved);
      recent.set(id, ref);
    }
    return { head, recent };
  }

  /**
   * Reads the appended events back for their positions: the append result carries one position
   * for the whole batch, and each event's own commit position is what readers see in `$all`.
   */
  private async appendedResult(
    streamId: string,
    sealed: readonly Omit<RecordedEvent, 'position'>[],
  ): Promise<AppendResult> {
    const stored = await this.readStream(streamId, {
      fromVersion: sealed[0].version,
      maxCount: sealed.length,
    });
    const appended = sealed.map((event, i) => {
      const read = stored[i];
      if (read?.id !== event.id) {
        throw new Error(
          `stream ${streamId}: version ${event.version} holds ${read?.id ?? 'nothing'} right after appending ${event.id}`,
        );
      }
      return { id: event.id, version: event.version, position: read.position };
    });
    return { nextExpectedVersion: appended[appended.length - 1].version, events: appended };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    if (options.maxCount !== undefined && options.maxCount <= 0) return [];
    const backwards = options.direction === 'backwards';
    if (backwards && options.fromVersion !== undefined && options.fromVersion < 0) return [];
    const resolved = await this.readResolved(streamId, {
      direction: backwards ? BACKWARDS : FORWARDS,
      fromRevision: backwards
        ? options.fromVersion === undefined
          ? END
          : BigInt(options.fromVersion)
        : BigInt(Math.max(0, options.fromVersion ?? 0)),
      ...(options.maxCount === undefined ? {} : { maxCount: options.maxCount }),
    });
    return resolved.map(decodeResolved);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const from = options.fromPosition ?? 0;
    const maxCount = options.maxCount ?? Number.POSITIVE_INFINITY;
    const filter = serverFilter(options.filter);
    const events: RecordedEvent[] = [];
    if (maxCount <= 0) return events;

    // KurrentDB reads from (not after) a position, and the exact filter runs here, so pages are
    // read until enough events matched. Each page starts at the previous page's last event,
    // which is skipped as already seen, hence at least 2 per page.
    let cursor: ReadPosition = from === 0 ? START : positionToReadPosition(from);
    let seen = from;
    for (;;) {
      const pageSize = Math.min(READ_PAGE_SIZE, maxCount - events.length + 1);
      const page: AsyncIterable<AllStreamResolvedEvent> = this.client.readAll({
        direction: FORWARDS,
        fromPosition: cursor,
        maxCount: pageSize,
        filter,
      });
      let read = 0;
      try {
        for await (const resolved of page) {
          read++;
          const record = resolved.event;
          if (!record) continue;
          cursor = record.position;
          const position = resolvedPosition(resolved);
          if (position <= seen) continue;
          seen = position;
          if (!matchesFilter(record, options.filter)) continue;
          events.push(decodeResolved(resolved));
          if (events.length >= maxCount) return events;
        }
      } catch (error) {
        throw toStoreError(error);
      }
      if (read < pageSize) return events;
    }
  }

  subscribeToAll(options: SubscribeOptions = {}): AllSubscription {
    this.assertOpen();
    const fromPosition = options.fromPosition ?? 0;
    const native = this.client.subscribeToAll({
      fromPosition: fromPosition === 0 ? START : positionToReadPosition(fromPosition),
      filter: serverFilter(options.filter),
    });
    const subscription: KurrentDbAllSubscription = new KurrentDbAllSubscription(native, {
      fromPosition,
      filter: options.filter,
      mapError: toStoreError,
      onRelease: () => this.subscriptions.delete(subscription),
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  /**
   * Walks the chain like every adapter, and also reports an event that is not ours at all (one
   * appended around the adapter, since stored events cannot be edited) as the broken link.
   */
  async verifyStream(streamId: string): Promise<VerifyResult> {
    this.assertOpen();
    const verifier = new ChainVerifier(streamId);
    let verified = 0;
    for (let from = 0; ; from += VERIFY_PAGE_SIZE) {
      const page = await this.readResolved(streamId, {
        direction: FORWARDS,
        fromRevision: BigInt(from),
        maxCount: VERIFY_PAGE_SIZE,
      });
      for (const resolved of page) {
        let event: RecordedEvent;
        try {
          event = decodeResolved(resolved);
        } catch (error) {
          if (!(error instanceof UnreadableEventError)) throw error;
          return {
            ok: false,
            streamId,
            eventCount: verified,
            brokenAtVersion: error.version,
            eventId: error.eventId,
            reason: error.reason,
          };
        }
        if (!verifier.push(event)) return verifier.result();
        verified++;
      }
      if (page.length < VERIFY_PAGE_SIZE) return verifier.result();
    }
  }

  async headPosition(): Promise<number> {
    this.assertOpen();
    try {
      for await (const resolved of this.client.readAll({
        direction: BACKWARDS,
        fromPosition: END,
        maxCount: 1,
        filter: serverFilter(undefined),
      })) {
        if (resolved.event) return resolvedPosition(resolved);
      }
    } catch (error) {
      throw toStoreError(error);
    }
    return 0;
  }

  async streamVersion(streamId: string): Promise<number> {
    this.assertOpen();
    const [head] = await this.readResolved(streamId, {
      direction: BACKWARDS,
      fromRevision: END,
      maxCount: 1,
    });
    return head?.event ? revisionToVersion(head.event.revision) : -1;
  }

  async ping(): Promise<void> {
    this.assertOpen();
    try {
      for await (const _ of this.client.readAll({
        direction: BACKWARDS,
        fromPosition: END,
        maxCount: 1,
      })) {
        break;
      }
    } catch (error) {
      // whatever stops the cheapest read (connection, TLS, credentials) makes the store unusable
      throw error instanceof StoreUnavailableError
        ? error
        : new StoreUnavailableError('kurrentdb', error);
    }
  }

  lastWriteFailure(): WriteFailure | undefined {
    return this.lastWrite.current();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    await this.client.dispose();
  }

  /** Events of one stream in the client's form; a stream that does not exist reads as empty. */
  private async readResolved(
    streamId: string,
    options: KurrentReadStreamOptions,
  ): Promise<ResolvedEvent[]> {
    const resolved: ResolvedEvent[] = [];
    try {
      for await (const event of this.client.readStream(streamId, options)) resolved.push(event);
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw toStoreError(error);
    }
    return resolved;
  }

  private oneAtATime<T>(streamId: string, task: () => Promise<T>): Promise<T> {
    const previous = this.appendTails.get(streamId) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.appendTails.set(streamId, tail);
    void tail.then(() => {
      if (this.appendTails.get(streamId) === tail) this.appendTails.delete(streamId);
    });
    return result;
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreUnavailableError('kurrentdb', new Error('store is closed'));
  }
}

function decodeResolved(resolved: ResolvedEvent): RecordedEvent {
  if (!resolved.event) throw new Error('KurrentDB returned a link without its event');
  return decodeRecord(resolved.event, resolved.commitPosition);
}

/** id, version and position of a stored event, without decoding its payload */
function tailEvent(streamId: string, resolved: ResolvedEvent): TailEvent {
  if (!resolved.event) throw new Error('KurrentDB returned a link without its event');
  return {
    id: resolved.event.id,
    streamId,
    version: revisionToVersion(resolved.event.revision),
    position: resolvedPosition(resolved),
  };
}

function resolvedPosition(resolved: ResolvedEvent): number {
  if (!resolved.event) throw new Error('KurrentDB returned a link without its event');
  return recordPosition(resolved.event, resolved.commitPosition);
}

/** Client errors that mean "the server is out of reach" become StoreUnavailableError; others pass. */
export function toStoreError(error: unknown): unknown {
  if (error instanceof StoreUnavailableError) return error;
  const unreachable =
    error instanceof UnavailableError ||
    error instanceof DeadlineExceededError ||
    error instanceof TimeoutError ||
    // a follower refuses writes; the client reconnects to the leader for the next call
    error instanceof NotLeaderError ||
    (typeof error === 'object' &&
      error !== null &&
      'code' in error &&
      (error.code === GRPC_UNAVAILABLE || error.code === GRPC_DEADLINE_EXCEEDED));
  return unreachable ? new StoreUnavailableError('kurrentdb', error) : error;
}

function toAppendError(streamId: string, error: unknown): unknown {
  if (error instanceof MaxAppendSizeExceededError) {
    return new InvalidEventError(
      streamId,
      'events',
      `exceed KurrentDB's maximum append size of ${error.maxAppendSize} bytes (server setting MaxAppendSize)`,
    );
  }
  return toStoreError(error);
}

/**
 * Spreads out the retries of writers that collided on one stream (random, growing up to 100 ms),
 * so the one that lost does not keep losing to the same writer's next append.
 */
function backOff(attempt: number): Promise<void> {
  const delayMs = Math.random() * Math.min(100, 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, delayMs));
}
