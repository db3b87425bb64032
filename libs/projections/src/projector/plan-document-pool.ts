/**
 * The plan documents of every projector in one process. Each projector follows `$all` at its
 * own pace, but live they are only a few events apart, so one Y.Doc per plan serves them all:
 * whichever projector reaches an event first applies it, and the plan's JSON after each recent
 * step (with the step's delta) is kept for the projectors that follow. A projector that falls
 * further behind than the steps kept (a rebuild, a catch-up after downtime) is told so and
 * keeps a document of its own until it is back among them (see PlanDocuments).
 *
 * Two tiers. Plans being edited stay **hot**: the Y.Doc and its recent steps, at most
 * `capacity` plans. A plan idle for `idleMs`, or pushed out of the LRU, is **parked**: the Y.Doc
 * is encoded as one Yjs update (for a 35-task plan about 16 KB, against some 200 KiB of heap
 * for the Y.Doc) and destroyed; its next use decodes it instead of replaying the stream. Parked
 * states are bounded by `parkedBytes`; beyond that the oldest are dropped, and such a plan is
 * rebuilt from its stream.
 *
 * A projector pins the plans of the batch it is projecting, at the version it has reached: a
 * pinned plan is never parked, and no step a pinned projector still needs is dropped.
 */
import type { EventStore, RecordedEvent } from '@lib/event-store';
import type { PlanJson } from '@lib/plan-domain';
import { PlanDocument, PlanVersionGapError, type PlanDelta } from './plan-document';

export interface PlanDocumentPoolOptions {
  /** hot documents kept (default 256) */
  readonly capacity?: number;
  /** a hot document no projector used for this long is parked (default 10 s; 0: at once) */
  readonly idleMs?: number;
  /** total size of parked states; the oldest beyond it are dropped (default 64 MiB) */
  readonly parkedBytes?: number;
  /** steps kept behind the newest for projectors that follow (default 64) */
  readonly keptSteps?: number;
  /** the clock, for tests */
  readonly now?: () => number;
}

/** The plan after one event, and what that event changed (a Yjs update only). */
interface Step {
  readonly plan: PlanJson;
  readonly delta: PlanDelta | undefined;
}

interface SharedPlan {
  readonly document: PlanDocument;
  /** by stream version: the plan after that event; contiguous up to document.version */
  readonly steps: Map<number, Step>;
  /** who pinned the plan, at the version each has reached */
  readonly pins: Map<object, number>;
  usedAt: number;
}

interface ParkedPlan {
  readonly state: Uint8Array;
  readonly version: number;
}

export interface PlanDocumentPoolStats {
  readonly hot: number;
  readonly parked: number;
  readonly parkedBytes: number;
}

export class PlanDocumentPool {
  /** Map order is recency: a used plan is re-inserted at the end, eviction takes the front. */
  private readonly hot = new Map<string, SharedPlan>();
  /** Map order is parking order: the budget drops from the front. */
  private readonly parked = new Map<string, ParkedPlan>();
  private parkedSize = 0;
  /** per plan, the load in progress: two projectors never build the same document twice */
  private readonly loading = new Map<string, Promise<unknown>>();
  readonly capacity: number;
  readonly idleMs: number;
  private readonly parkedBytes: number;
  private readonly keptSteps: number;
  readonly now: () => number;

  constructor(
    readonly eventStore: EventStore,
    options: PlanDocumentPoolOptions = {},
  ) {
    this.capacity = options.capacity ?? 256;
    this.idleMs = options.idleMs ?? 10_000;
    this.parkedBytes = options.parkedBytes ?? 64 * 1024 * 1024;
    this.keptSteps = options.keptSteps ?? 64;
    this.now = options.now ?? Date.now;
  }

  get stats(): PlanDocumentPoolStats {
    return { hot: this.hot.size, parked: this.parked.size, parkedBytes: this.parkedSize };
  }

  /**
   * Pins `planId` for `holder` at `version` if the shared document can serve that version:
   * it is there (hot, parked, or built from the stream), at or ahead of it (brought forward
   * from the stream if behind), with the steps since. False when it has moved on too far.
   */
  async join(holder: object, planId: string, version: number): Promise<boolean> {
    const shared = await this.exclusively(planId, async () => {
      const plan = this.hot.get(planId) ?? this.unpark(planId);
      if (plan) {
        if (plan.document.version < version) await this.advanceFromStream(plan, version);
        return plan;
      }
      const document = await PlanDocument.replay(this.eventStore, planId, version);
      return this.adopt(document);
    });
    if (!shared.steps.has(version)) return false;
    this.pin(planId, shared, holder, version);
    return true;
  }

  /**
   * The step `event` makes for a holder whose pin is at event.version - 1: applied to the
   * document by the first holder to get there, read from the kept steps by the others.
   */
  step(holder: object, planId: string, event: RecordedEvent): Step {
    const shared = this.hot.get(planId);
    const pinned = shared?.pins.get(holder);
    if (!shared || pinned === undefined)
      throw new Error(`plan ${planId} is not pinned for this projector`);
    if (event.version !== pinned + 1)
      throw new PlanVersionGapError(planId, pinned + 1, event.version, event.position);
    if (shared.document.version === pinned) {
      const delta = shared.document.applyWithDelta(event);
      shared.steps.set(event.version, { plan: shared.document.plan(), delta });
    }
    const step = shared.steps.get(event.version);
    // pinned holders keep their steps: a missing one is a bug in this class, not bad data
    if (!step) throw new Error(`plan ${planId}: step ${event.version} is gone while pinned`);
    this.pin(planId, shared, holder, event.version);
    this.dropOldSteps(shared);
    return step;
  }

  /** The plan as a holder pinned at `version` sees it. */
  plan(holder: object, planId: string): PlanJson {
    const shared = this.hot.get(planId);
    const pinned = shared?.pins.get(holder);
    const step = pinned === undefined ? undefined : shared!.steps.get(pinned);
    if (!step) throw new Error(`plan ${planId} is not pinned for this projector`);
    return step.plan;
  }

  /** True when the shared document can take over a holder's own copy at `version`. */
  canServe(planId: string, version: number): boolean {
    return this.hot.get(planId)?.steps.has(version) ?? false;
  }

  /** Pins a plan the holder reached on a copy of its own, now that the shared one serves it. */
  adoptPin(holder: object, planId: string, version: number): void {
    const shared = this.hot.get(planId);
    if (!shared?.steps.has(version)) throw new Error(`plan ${planId} cannot serve ${version}`);
    this.pin(planId, shared, holder, version);
  }

  /** The holder's batch committed (or failed): its plans may be parked and their steps dropped. */
  unpinAll(holder: object): void {
    for (const shared of this.hot.values())
      if (shared.pins.delete(holder)) this.dropOldSteps(shared);
  }

  /** Parks unpinned documents idle for idleMs, and the least recently used beyond capacity. */
  trim(): void {
    const idleSince = this.now() - this.idleMs;
    for (const [planId, shared] of this.hot) {
      if (shared.pins.size > 0) continue;
      if (shared.usedAt > idleSince && this.hot.size <= this.capacity) continue;
      this.park(planId, shared);
    }
  }

  /** Forgets every document (the process' projections are being reset or closed). */
  clear(): void {
    for (const shared of this.hot.values()) shared.document.destroy();
    this.hot.clear();
    this.parked.clear();
    this.parkedSize = 0;
  }

  private pin(planId: string, shared: SharedPlan, holder: object, version: number): void {
    shared.pins.set(holder, version);
    shared.usedAt = this.now();
    this.hot.delete(planId);
    this.hot.set(planId, shared);
  }

  /** keeps the newest keptSteps steps, and every step a pinned holder may still ask for */
  private dropOldSteps(shared: SharedPlan): void {
    let keepFrom = shared.document.version - this.keptSteps;
    for (const version of shared.pins.values()) keepFrom = Math.min(keepFrom, version);
    for (const version of shared.steps.keys()) {
      if (version >= keepFrom) break;
      shared.steps.delete(version);
    }
  }

  private async advanceFromStream(shared: SharedPlan, toVersion: number): Promise<void> {
    const { document, steps } = shared;
    await document.catchUp(this.eventStore, toVersion, (version, delta) => {
      steps.set(version, { plan: document.plan(), delta });
      this.dropOldSteps(shared);
    });
  }

  private adopt(document: PlanDocument): SharedPlan {
    const shared: SharedPlan = {
      document,
      steps: new Map([[document.version, { plan: document.plan(), delta: undefined }]]),
      pins: new Map(),
      usedAt: this.now(),
    };
    this.hot.set(document.planId, shared);
    return shared;
  }

  private park(planId: string, shared: SharedPlan): void {
    const state = shared.document.encode();
    shared.document.destroy();
    this.hot.delete(planId);
    this.parked.set(planId, { state, version: shared.document.version });
    this.parkedSize += state.byteLength;
    for (const [oldest, { state: dropped }] of this.parked) {
      if (this.parkedSize <= this.parkedBytes) break;
      this.parked.delete(oldest);
      this.parkedSize -= dropped.byteLength;
    }
  }

  private unpark(planId: string): SharedPlan | undefined {
    const parked = this.parked.get(planId);
    if (!parked) return undefined;
    this.parked.delete(planId);
    this.parkedSize -= parked.state.byteLength;
    return this.adopt(PlanDocument.decode(planId, parked.state, parked.version));
  }

  private async exclusively<T>(planId: string, work: () => Promise<T>): Promise<T> {
    const before = this.loading.get(planId) ?? Promise.resolve();
    const run = before.then(work, work);
    const settled = run.catch(() => undefined);
    this.loading.set(planId, settled);
    try {
      return await run;
    } finally {
      if (this.loading.get(planId) === settled) this.loading.delete(planId);
    }
  }
}
