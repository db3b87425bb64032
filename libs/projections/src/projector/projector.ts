/**
 * One ordered projector per read model. It reads `$all` (plan streams only) from its own
 * checkpoint in global position order, groups events into batches, and writes each batch's
 * rows together with the new checkpoint in one transaction. A crash anywhere therefore loses
 * either the whole batch (projected again on restart) or nothing, never half of it, and no
 * event is applied twice: the checkpoint update is a compare-and-set, so a second writer
 * (another process, a rebuild) makes the batch roll back instead of double-applying.
 *
 * Live it follows a catch-up subscription (which switches to live events without a gap);
 * `catchUp()` instead reads pages until the end of the log, for the CLI and tests.
 *
 * On PostgreSQL with several nodes, a lease (advisory lock) lets one node project each read
 * model; the others stand by, serve reads from the shared tables and take over if it dies.
 */
import type { AllSubscription, EventStore, RecordedEvent } from '@lib/event-store';
import { planIdOfStream, PLAN_STREAMS, type PlanEvent } from '../plan-stream';
import type { ProjectionLease, ReadModelStore } from '../store/read-model-store.port';
import {
  advanceCheckpoint,
  CHECKPOINT_DDL,
  isCheckpointMoved,
  projectedPlanVersion,
  readCheckpoint,
  resetCheckpoint,
  writePlanVersions,
  type Checkpoint,
  type PlanVersion,
} from './checkpoints';
import { PlanDocumentPool, type PlanDocumentPoolStats } from './plan-document-pool';
import { PlanDocuments } from './plan-documents';
import {
  SILENT_PROJECTION_LOG,
  type ProjectedChanges,
  type Projection,
  type ProjectionLog,
  type ReadModelName,
} from './projection';

/** What listeners hear after each committed batch. */
export interface ProjectedBatch extends ProjectedChanges {
  readonly readModel: ReadModelName;
  /** the read model's checkpoint after the batch: every plan event up to here is in it */
  readonly position: number;
}

export interface ProjectorOptions {
  /** most events per transaction (default 500) */
  readonly batchSize?: number;
  /**
   * how long a live batch waits for more events after its first one (default 10 ms): fewer,
   * larger transactions under a stream of edits, for that much more projection latency
   */
  readonly batchWindowMs?: number;
  /**
   * the window doubles after each batch that caught several events, up to this, and halves back
   * towards batchWindowMs after each lone event: a busy plan is projected in fewer, larger
   * batches, a quiet one as promptly as before (default: batchWindowMs, a fixed window)
   */
  readonly maxBatchWindowMs?: number;
  /** plan documents kept hot (a Y.Doc) between batches (default 256) */
  readonly maxLoadedDocuments?: number;
  /** a plan document unused this long is parked as its encoded state (default 10 000) */
  readonly documentIdleMs?: number;
  /** plan documents shared with the process' other projectors (default: a pool of its own) */
  readonly documentPool?: PlanDocumentPool;
  /** first pause after a failure, doubled up to maxRetryDelayMs (defaults 500 and 30 000) */
  readonly retryDelayMs?: number;
  readonly maxRetryDelayMs?: number;
  /** how often a standby projector retries the lease and reads the checkpoint (default 500) */
  readonly standbyPollMs?: number;
  readonly log?: ProjectionLog;
  /** called after each committed batch; must not throw */
  readonly onProjected?: (batch: ProjectedBatch) => void;
}

export type ProjectorState =
  'stopped' | 'starting' | 'live' | 'standby' | 'retrying' | 'catching-up';

export interface ProjectorStatus {
  readonly readModel: ReadModelName;
  readonly state: ProjectorState;
  /** committed checkpoint as this process last saw it */
  readonly position: number;
  /** events this process projected since it started */
  readonly eventsProjected: number;
  /** the last failure, until a batch succeeds again */
  readonly lastError: string | null;
  /**
   * plan documents: the shared pool's hot (Y.Doc) and parked (encoded) ones, and the copies of
   * its own this projector keeps while it is behind them
   */
  readonly documents: PlanDocumentPoolStats & { readonly own: number };
}

export interface CatchUpOptions {
  /** stop after the last event at or below this position */
  readonly maxPosition?: number;
  /** after each batch: the new checkpoint and how many events the batch had */
  readonly onBatch?: (position: number, events: number) => void;
}

/** catchUp() or reset() while the live loop runs: two writers in one process would fight. */
export class ProjectorBusyError extends Error {
  readonly code = 'PROJECTOR_BUSY';
  constructor(readonly readModel: string) {
    super(`projector ${readModel} is running live; stop it first`);
    this.name = 'ProjectorBusyError';
  }
}

const WINDOW_CLOSED = Symbol('window closed');

interface PositionWaiter {
  readonly position: number;
  readonly settle: (reached: boolean) => void;
}

export class Projector {
  private readonly pool: PlanDocumentPool;
  private readonly documents: PlanDocuments;
  private readonly batchSize: number;
  private readonly log: ProjectionLog;
  private checkpoint: Checkpoint;
  private state: ProjectorState = 'stopped';
  private lastError: string | null = null;
  private eventsProjected = 0;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private subscription: AllSubscription | undefined;
  private wakeSleeper: (() => void) | undefined;
  private retryDelayMs: number;
  private readonly waiters = new Set<PositionWaiter>();
  /** a batch is between loading its documents and committing */
  private flushing = false;

  constructor(
    private readonly eventStore: EventStore,
    private readonly readModels: ReadModelStore,
    private readonly projection: Projection,
    private readonly options: ProjectorOptions = {},
  ) {
    this.pool =
      options.documentPool ??
      new PlanDocumentPool(eventStore, {
        capacity: options.maxLoadedDocuments,
        idleMs: options.documentIdleMs,
      });
    this.documents = new PlanDocuments(this.pool);
    this.batchSize = options.batchSize ?? 500;
    this.log = options.log ?? SILENT_PROJECTION_LOG;
    this.retryDelayMs = options.retryDelayMs ?? 500;
    this.checkpoint = { position: 0, projectionVersion: projection.version };
  }

  get readModel(): ReadModelName {
    return this.projection.readModel;
  }

  /** the committed checkpoint as this process last saw it */
  get position(): number {
    return this.checkpoint.position;
  }

  status(): ProjectorStatus {
    return {
      readModel: this.readModel,
      state: this.state,
      position: this.checkpoint.position,
      eventsProjected: this.eventsProjected,
      lastError: this.lastError,
      documents: { ...this.pool.stats, own: this.documents.ownDocuments },
    };
  }

  /**
   * Creates the tables and checkpoint. A read model stored by another projection version is
   * dropped and projected again from position 0 (its rows may mean something else).
   */
  async prepare(): Promise<void> {
    const name = this.readModel;
    await this.readModels.migrate(CHECKPOINT_DDL);
    const stored = await readCheckpoint(this.readModels, name);
    if (stored && stored.projectionVersion !== this.projection.version) {
      this.log.warn(
        `read model ${name} was projected by version ${stored.projectionVersion}, this is version ${this.projection.version}: rebuilding it from position 0`,
      );
      await this.readModels.transaction(async (session) => {
        for (const table of this.projection.tables)
          await session.run(`DROP TABLE IF EXISTS ${table}`);
        await resetCheckpoint(session, name, this.projection.version);
      });
    }
    await this.readModels.migrate(this.projection.ddl);
    if (!stored) {
      // DO NOTHING: a node starting at the same moment may already have projected a batch
      await this.readModels.run(
        'INSERT INTO projection_checkpoints (projection, position, projection_version) VALUES (?, 0, ?) ON CONFLICT (projection) DO NOTHING',
        [name, this.projection.version],
      );
    }
    await this.reload();
  }

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.state = 'starting';
    this.loop = this.run().finally(() => {
      this.state = 'stopped';
      this.loop = undefined;
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeSleeper?.();
    await this.subscription?.close();
    await this.loop;
    for (const waiter of [...this.waiters]) waiter.settle(false);
  }

  get running(): boolean {
    return this.loop !== undefined;
  }

  /** Projects until the end of the log (or `maxPosition`), without subscribing; not while live. */
  async catchUp(options: CatchUpOptions = {}): Promise<void> {
    if (this.loop) throw new ProjectorBusyError(this.readModel);
    this.state = 'catching-up';
    try {
      await this.reload();
      for (;;) {
        const page = await this.eventStore.readAll({
          fromPosition: this.checkpoint.position,
          maxCount: this.batchSize,
          filter: PLAN_STREAMS,
        });
        const { maxPosition } = options;
        const events =
          maxPosition === undefined ? page : page.filter((e) => e.position <= maxPosition);
        if (events.length > 0) {
          await this.flush(events);
          options.onBatch?.(this.checkpoint.position, events.length);
          await yieldToEventLoop();
        }
        if (page.length < this.batchSize || events.length < page.length) return;
      }
    } finally {
      this.state = 'stopped';
    }
  }

  /** Empties the read model and moves its checkpoint back to 0, in one transaction. */
  async reset(): Promise<void> {
    if (this.loop) throw new ProjectorBusyError(this.readModel);
    await this.readModels.transaction(async (session) => {
      for (const table of this.projection.tables) await session.run(`DELETE FROM ${table}`);
      await resetCheckpoint(session, this.readModel, this.projection.version);
    });
    this.documents.clear();
    this.checkpoint = { position: 0, projectionVersion: this.projection.version };
  }

  /** Resolves true once the checkpoint reaches `position`, false after `timeoutMs`. */
  waitForPosition(position: number, timeoutMs: number): Promise<boolean> {
    if (this.checkpoint.position >= position) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const waiter: PositionWaiter = {
        position,
        settle: (reached) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(reached);
        },
      };
      const timer = setTimeout(() => waiter.settle(false), timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** head of the log − checkpoint, in positions (0 when caught up) */
  async lag(): Promise<number> {
    return Math.max(0, (await this.eventStore.headPosition()) - this.checkpoint.position);
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      let lease: ProjectionLease | undefined;
      try {
        lease = await this.readModels.tryLease(this.readModel);
        if (!lease) {
          this.state = 'standby';
          await this.refreshCheckpoint();
          await this.sleep(this.options.standbyPollMs ?? 500);
          continue;
        }
        await this.reload();
        this.state = 'live';
        await this.follow(lease);
      } catch (error) {
        if (this.stopping) break;
        await this.recover(error);
      } finally {
        await lease?.release();
      }
    }
  }

  /** Subscribes from the checkpoint and flushes batches until stopped or the lease is lost. */
  private async follow(lease: ProjectionLease): Promise<void> {
    const baseWindowMs = this.options.batchWindowMs ?? 10;
    const maxWindowMs = Math.max(baseWindowMs, this.options.maxBatchWindowMs ?? baseWindowMs);
    let batchWindowMs = baseWindowMs;
    const subscription = this.eventStore.subscribeToAll({
      fromPosition: this.checkpoint.position,
      filter: PLAN_STREAMS,
    });
    this.subscription = subscription;
    let leaseLost = false;
    void lease.lost.then(() => {
      leaseLost = true;
      void subscription.close();
    });
    const iterator = subscription[Symbol.asyncIterator]();
    const pull = (): Promise<IteratorResult<RecordedEvent>> => {
      const next = iterator.next();
      // when a failed flush ends the loop, the pending read may reject with no one awaiting it
      next.catch(() => undefined);
      return next;
    };
    let pending = pull();
    let windowClosed: Promise<typeof WINDOW_CLOSED> | undefined;
    // A batch stays open this long after its first event (or until it is full): under a stream
    // of edits one transaction then carries several events instead of one each. With a zero
    // window it closes once the event loop has run I/O callbacks, i.e. with what had arrived.
    const whenWindowCloses = (): Promise<typeof WINDOW_CLOSED> =>
      (windowClosed ??= new Promise((resolve) => {
        const close = (): void => {
          windowClosed = undefined;
          resolve(WINDOW_CLOSED);
        };
        if (batchWindowMs > 0) setTimeout(close, batchWindowMs);
        else setImmediate(close);
      }));
    let batch: RecordedEvent[] = [];
    // with no batch coming, documents still go idle; a batch in progress keeps its own hot
    const sweep = setInterval(
      () => {
        if (!this.flushing) this.documents.trim();
      },
      // a document goes idle between one and one and a half idleMs after its last use
      Math.max(250, (this.options.documentIdleMs ?? 10_000) / 2),
    );
    sweep.unref();
    try {
      while (!this.stopping && !leaseLost) {
        const next =
          batch.length === 0 ? await pending : await Promise.race([pending, whenWindowCloses()]);
        if (next === WINDOW_CLOSED) {
          if (baseWindowMs > 0)
            batchWindowMs =
              batch.length > 1
                ? Math.min(maxWindowMs, batchWindowMs * 2)
                : Math.max(baseWindowMs, batchWindowMs / 2);
          await this.flush(batch);
          batch = [];
          await yieldToEventLoop();
          continue;
        }
        if (next.done) return;
        batch.push(next.value);
        pending = pull();
        if (batch.length >= this.batchSize) {
          await this.flush(batch);
          batch = [];
          await yieldToEventLoop();
        }
      }
    } finally {
      clearInterval(sweep);
      this.subscription = undefined;
      await subscription.close();
    }
  }

  /** One transaction: the batch's rows, per-plan versions and the checkpoint compare-and-set. */
  private async flush(events: readonly RecordedEvent[]): Promise<void> {
    if (events.length === 0) return;
    this.flushing = true;
    try {
      await this.projectBatch(events);
    } finally {
      this.flushing = false;
    }
  }

  private async projectBatch(events: readonly RecordedEvent[]): Promise<void> {
    const planEvents: PlanEvent[] = [];
    const lastVersions = new Map<string, PlanVersion>();
    for (const event of events) {
      const planId = planIdOfStream(event.streamId);
      // a stream named exactly `plan-` matches the prefix but names no plan; nothing to project
      if (planId === undefined) continue;
      planEvents.push({ planId, event });
      lastVersions.set(planId, { version: event.version, position: event.position });
    }
    const name = this.readModel;
    const from = this.checkpoint;
    const to = events[events.length - 1].position;
    let changes: ProjectedChanges;
    try {
      // documents are loaded before the transaction: reading the event store inside it would
      // hold the read-model write lock (SQLite) or a connection (PostgreSQL) for no reason
      await this.documents.load(lastVersions.keys(), (planId) =>
        projectedPlanVersion(this.readModels, name, planId),
      );
      changes = await this.readModels.transaction(async (session) => {
        await advanceCheckpoint(session, name, from, to);
        const projected = await this.projection.project(planEvents, this.documents, session);
        for (const [planId, { version }] of lastVersions) {
          const reached = this.documents.version(planId);
          if (reached !== version) {
            throw new Error(
              `projection ${name} left plan ${planId} at stream version ${reached}, but the batch ends at ${version}`,
            );
          }
        }
        await writePlanVersions(session, name, lastVersions);
        return projected;
      });
    } catch (error) {
      // the documents may be ahead of the rows that did not commit
      this.documents.clear();
      throw error;
    }
    this.checkpoint = { position: to, projectionVersion: from.projectionVersion };
    this.eventsProjected += events.length;
    this.lastError = null;
    this.retryDelayMs = this.options.retryDelayMs ?? 500;
    this.documents.trim();
    this.settleWaiters();
    this.options.onProjected?.({
      readModel: name,
      position: to,
      planIds: changes.planIds,
      entries: changes.entries,
      ...(changes.notices?.length ? { notices: changes.notices } : {}),
    });
  }

  private async recover(error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    this.lastError = message;
    this.state = 'retrying';
    this.documents.clear();
    if (isCheckpointMoved(error))
      this.log.warn(`projector ${this.readModel}: ${message}; resuming from the stored checkpoint`);
    else
      this.log.error(
        `projector ${this.readModel} failed at position ${this.checkpoint.position}, retrying in ${this.retryDelayMs} ms: ${message}`,
      );
    await this.sleep(this.retryDelayMs);
    this.retryDelayMs = Math.min(this.retryDelayMs * 2, this.options.maxRetryDelayMs ?? 30_000);
  }

  /** Re-reads the stored checkpoint; forgets the documents if it moved under this process. */
  private async reload(): Promise<void> {
    const stored = await readCheckpoint(this.readModels, this.readModel);
    const checkpoint = stored ?? { position: 0, projectionVersion: this.projection.version };
    if (
      checkpoint.position !== this.checkpoint.position ||
      checkpoint.projectionVersion !== this.checkpoint.projectionVersion
    ) {
      this.documents.clear();
    }
    this.checkpoint = checkpoint;
    this.settleWaiters();
  }

  /** Standby: another node projects; follow its progress for waiters and lag. */
  private async refreshCheckpoint(): Promise<void> {
    const stored = await readCheckpoint(this.readModels, this.readModel);
    if (stored) this.checkpoint = stored;
    this.documents.clear();
    this.settleWaiters();
  }

  private settleWaiters(): void {
    for (const waiter of [...this.waiters])
      if (this.checkpoint.position >= waiter.position) waiter.settle(true);
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wakeSleeper = done;
    });
  }
}

/**
 * Lets HTTP requests in between batches: with SQLite, reads and writes settle as microtasks,
 * so a long catch-up would otherwise never give the event loop back.
 */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
