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
 * pinned plan is never parked, and no step a pinned projector still needs is dropped. Steps are
 * only recorded while more than one projector follows a plan: a projector alone with it (a
 * rebuild of one read model) pays for no JSON it would not have read itself.
 */
import type { EventStore, RecordedEvent } from '@lib/event-store';
import type { PlanJson } from '@lib/plan-domain';
import { planStreamId } from '../plan-stream';
import { PlanDocument, PlanVersionGapError, type PlanDelta } from './plan-document';

const STREAM_PAGE = 1000;

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

/**
 * The plan after one event, and what that event changed (a Yjs update only). The oldest step
 * may be a base, recorded when recording started: its delta was not kept, so no one may step
 * onto it, only start from it.
 */
interface Step {
  readonly plan: PlanJson;
  readonly delta: PlanDelta | undefined;
  readonly base: boolean;
}

interface SharedPlan {
  readonly document: PlanDocument;
  /** by stream version: the plan after that event; empty, or contiguous up to document.version */
  readonly steps: Map<number, Step>;
  /** the projectors following the plan on this document (not on copies of their own) */
  readonly followers: Set<object>;
  /** who pinned the plan, at the version each has reached */
  readonly pins: Map<object, number>;
  usedAt: number;
}

interface ParkedPlan {
  readonly state: Uint8Array;
  readonly version: number;
  /** kept, so the first projector back records steps for the others from the start */
  readonly followers: Set<object>;
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
    return this.exclusively(planId, async () => {
      let shared = this.hot.get(planId) ?? this.unpark(planId);
      if (!shared) {
        shared = this.adopt(await PlanDocument.replay(this.eventStore, planId, version));
      } else if (shared.document.version < version) {
        // pinned where it is while the stream is read, so no trim parks it meanwhile
        this.pin(planId, shared, holder, shared.document.version);
        await this.advanceFromStream(shared, version, holder);
      }
      if (!serves(shared, version)) {
        shared.followers.delete(holder);
        shared.pins.delete(holder);
        return false;
      }
      shared.followers.add(holder);
      this.pin(planId, shared, holder, version);
      return true;
    });
  }

  /**
   * Applies `event` for a holder pinned at event.version - 1 and returns its delta (when
   * `withDelta`, or when kept anyway): the holder at the document's version applies it to the
   * document, a holder behind reads the step the first one kept.
   */
  step(
    holder: object,
    planId: string,
    event: RecordedEvent,
    withDelta: boolean,
  ): PlanDelta | undefined {
    const { shared, pinned } = this.pinned(holder, planId);
    if (event.version !== pinned + 1)
      throw new PlanVersionGapError(planId, pinned + 1, event.version, event.position);
    let delta: PlanDelta | undefined;
    if (shared.document.version === pinned) {
      delta = this.advance(shared, event, withDelta, needsStepsFor(shared, holder));
    } else {
      const step = shared.steps.get(event.version);
      // steps after a pinned holder are kept and never bases: anything else is a bug in this
      // class, and failing the batch beats projecting a wrong delta
      if (!step || step.base)
        throw new Error(`plan ${planId}: step ${event.version} is not kept for this projector`);
      delta = step.delta;
    }
    this.pin(planId, shared, holder, event.version);
    this.dropOldSteps(shared);
    return delta;
  }

  /** The plan as the holder sees it at the version it is pinned at. */
  plan(holder: object, planId: string): PlanJson {
    const { shared, pinned } = this.pinned(holder, planId);
    if (pinned === shared.document.version) return shared.document.plan();
    const step = shared.steps.get(pinned);
    if (!step) throw new Error(`plan ${planId}: step ${pinned} is gone while pinned`);
    return step.plan;
  }

  /** True when the shared document can take over a holder's own copy at `version`. */
  canServe(planId: string, version: number): boolean {
    const shared = this.hot.get(planId);
    return shared !== undefined && serves(shared, version);
  }

  /** Pins a plan the holder reached on a copy of its own, now that the shared one serves it. */
  adoptPin(holder: object, planId: string, version: number): void {
    const shared = this.hot.get(planId);
    if (!shared || !serves(shared, version))
      throw new Error(`plan ${planId} cannot serve version ${version}`);
    shared.followers.add(holder);
    this.pin(planId, shared, holder, version);
  }

  /** The holder no longer follows any plan here (its versions were reset). */
  forget(holder: object): void {
    for (const shared of this.hot.values()) {
      shared.followers.delete(holder);
      if (shared.pins.delete(holder)) this.dropOldSteps(shared);
    }
    for (const parked of this.parked.values()) parked.followers.delete(holder);
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

  /**
   * The document moves on by one event. When others need it, the plan before (as a base, if no
   * step holds it yet) and after it are kept as steps; when no one does, nothing is.
   */
  private advance(
    shared: SharedPlan,
    event: RecordedEvent,
    withDelta: boolean,
    record: boolean,
  ): PlanDelta | undefined {
    const { document, steps } = shared;
    if (record) {
      if (!steps.has(document.version))
        steps.set(document.version, { plan: document.plan(), delta: undefined, base: true });
      const delta = document.applyWithDelta(event);
      steps.set(event.version, { plan: document.plan(), delta, base: false });
      return delta;
    }
    // steps must run up to the document's version; a gap in them would serve a wrong plan
    steps.clear();
    if (withDelta) return document.applyWithDelta(event);
    document.apply(event);
    return undefined;
  }

  private async advanceFromStream(
    shared: SharedPlan,
    toVersion: number,
    joining: object,
  ): Promise<void> {
    const { document } = shared;
    while (document.version < toVersion) {
      const page = await this.eventStore.readStream(planStreamId(document.planId), {
        fromVersion: document.version + 1,
        maxCount: Math.min(STREAM_PAGE, toVersion - document.version),
      });
      if (page.length === 0)
        throw new PlanVersionGapError(document.planId, document.version + 1, -1, -1);
      for (const event of page) {
        // a pinned holder may have stepped the document while the page was read
        if (event.version <= document.version) continue;
        // decided per event: others may pin or rejoin while a page is read. Pinned holders
        // need every step; the others can only use the last keptSteps.
        const record =
          pinnedByOthers(shared, joining) ||
          (followedByOthers(shared, joining) && event.version > toVersion - this.keptSteps);
        this.advance(shared, event, false, record);
        this.dropOldSteps(shared);
      }
    }
  }

  private pinned(holder: object, planId: string): { shared: SharedPlan; pinned: number } {
    const shared = this.hot.get(planId);
    const pinned = shared?.pins.get(holder);
    // the projector loads every plan of a batch before projecting it; this is a wiring bug
    if (!shared || pinned === undefined)
      throw new Error(`plan ${planId} is not pinned for this projector`);
    return { shared, pinned };
  }

  private adopt(document: PlanDocument, followers = new Set<object>()): SharedPlan {
    const shared: SharedPlan = {
      document,
      steps: new Map(),
      followers,
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
    this.parked.set(planId, {
      state,
      version: shared.document.version,
      followers: shared.followers,
    });
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
    return this.adopt(PlanDocument.decode(planId, parked.state, parked.version), parked.followers);
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

function pinnedByOthers(shared: SharedPlan, holder: object): boolean {
  for (const other of shared.pins.keys()) if (other !== holder) return true;
  return false;
}

function followedByOthers(shared: SharedPlan, holder: object): boolean {
  for (const other of shared.followers) if (other !== holder) return true;
  return false;
}

/** someone besides `holder` follows the plan here or is pinned on it */
function needsStepsFor(shared: SharedPlan, holder: object): boolean {
  return pinnedByOthers(shared, holder) || followedByOthers(shared, holder);
}

/** the holder at `version` can follow on the shared document from there */
function serves(shared: SharedPlan, version: number): boolean {
  return version === shared.document.version || shared.steps.has(version);
}
