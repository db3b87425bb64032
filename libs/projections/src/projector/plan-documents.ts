/**
 * A projector's own copies of plan documents. Semantic changes and schedules need each plan's
 * state, and PlanUpdated events only carry Yjs deltas, so a projector replays every update
 * into a Y.Doc per plan.
 *
 * Two tiers. Plans being edited stay **hot**: a Y.Doc plus the plan's JSON, in an LRU of
 * `capacity` plans. A plan idle for `idleMs`, or pushed out of the LRU, is **parked**: the
 * Y.Doc is encoded as one Yjs update (for a 35-task plan about 16 KB, against some 200 KiB of
 * heap for the live Y.Doc) and destroyed; its next event decodes it again instead of replaying
 * the stream. Parked states are bounded by `parkedBytes`; beyond that the oldest are dropped,
 * and such a plan, or one never loaded, is rebuilt from its stream up to the version the read
 * model has already projected, which the read model stores per plan.
 *
 * Versions are checked on every event: a plan document only ever moves to version + 1, so a
 * bug that would skip or double-apply an event fails loudly instead of corrupting rows.
 */
import type { EventStore } from '@lib/event-store';
import { readPlan, type CollectionName, type PlanJson } from '@lib/plan-domain';
import * as Y from 'yjs';
import { planStreamId, yjsUpdateOf, type PlanEvent } from '../plan-stream';
import { collectionTypes, refreshPlan, restrictPlan, touchedBy } from './plan-delta';

interface LoadedPlan {
  readonly doc: Y.Doc;
  /** when a batch last loaded or applied to it (ms since epoch) */
  usedAt: number;
  /** stream version of the last event applied; -1 before the first */
  version: number;
  /** readPlan(doc) as of the last plan() call; `touched` says what changed since */
  json: PlanJson | undefined;
  /** entities updates touched since `json` was read, filled by the doc's afterTransaction */
  readonly touched: Map<CollectionName, Set<string>>;
  /** any transaction since `json` was read (meta changes touch no entity) */
  dirty: boolean;
}

/** A plan's document encoded while it is idle. */
interface ParkedPlan {
  readonly state: Uint8Array;
  readonly version: number;
}

export interface PlanDocumentsOptions {
  /** hot documents kept between batches (default 256) */
  readonly capacity?: number;
  /** a hot document unused this long is parked (default 10 s; 0 parks after every batch) */
  readonly idleMs?: number;
  /** total size of parked states; the oldest beyond it are dropped (default 64 MiB) */
  readonly parkedBytes?: number;
  /** the clock, for tests */
  readonly now?: () => number;
}

/** One update's effect: the plan restricted to meta and the entities it touched, before and after. */
export interface PlanDelta {
  readonly before: PlanJson;
  readonly after: PlanJson;
}

const STREAM_PAGE = 1000;

/** An event arrived out of stream order for the projector's copy of the plan. */
export class PlanVersionGapError extends Error {
  readonly code = 'PLAN_VERSION_GAP';
  constructor(
    readonly planId: string,
    readonly expectedVersion: number,
    readonly actualVersion: number,
    readonly position: number,
  ) {
    super(
      `plan ${planId}: expected stream version ${expectedVersion}, got ${actualVersion} (position ${position})`,
    );
    this.name = 'PlanVersionGapError';
  }
}

export class PlanDocuments {
  /** Map order is recency: a touched plan is re-inserted at the end, eviction takes the front. */
  private readonly loaded = new Map<string, LoadedPlan>();
  /** Map order is parking order: the budget drops from the front. */
  private readonly parked = new Map<string, ParkedPlan>();
  private parkedSize = 0;
  readonly capacity: number;
  private readonly idleMs: number;
  private readonly parkedBytes: number;
  private readonly now: () => number;

  constructor(
    private readonly eventStore: EventStore,
    options: PlanDocumentsOptions = {},
  ) {
    this.capacity = options.capacity ?? 256;
    this.idleMs = options.idleMs ?? 10_000;
    this.parkedBytes = options.parkedBytes ?? 64 * 1024 * 1024;
    this.now = options.now ?? Date.now;
  }

  /** how many plans are hot (a Y.Doc in memory) and parked (encoded), and the parked bytes */
  get stats(): { readonly hot: number; readonly parked: number; readonly parkedBytes: number } {
    return { hot: this.loaded.size, parked: this.parked.size, parkedBytes: this.parkedSize };
  }

  /**
   * Makes sure each plan's document is in memory at the version the read model has projected.
   * `projectedVersion` is asked only for plans neither hot nor parked.
   */
  async load(
    planIds: Iterable<string>,
    projectedVersion: (planId: string) => Promise<number>,
  ): Promise<void> {
    const now = this.now();
    for (const planId of planIds) {
      const current = this.loaded.get(planId);
      if (current) {
        current.usedAt = now;
        this.loaded.delete(planId);
        this.loaded.set(planId, current);
        continue;
      }
      const parked = this.unpark(planId);
      const plan = parked ?? (await this.replay(planId, await projectedVersion(planId)));
      plan.usedAt = now;
      this.loaded.set(planId, plan);
    }
  }

  /** Applies one event of a loaded plan: the Yjs update for PlanUpdated, the version for all. */
  apply({ planId, event }: PlanEvent): void {
    const plan = this.require(planId);
    if (event.version !== plan.version + 1)
      throw new PlanVersionGapError(planId, plan.version + 1, event.version, event.position);
    const update = yjsUpdateOf(event);
    // the JSON is brought up to date when next asked for, once for all updates in between
    if (update) Y.applyUpdate(plan.doc, update);
    plan.version = event.version;
    plan.usedAt = this.now();
  }

  /**
   * Like apply, and returns what the update changed, for the semantic diff: diffing the two
   * restricted plans finds exactly the changes diffing the whole plans would.
   */
  applyWithDelta(planEvent: PlanEvent): PlanDelta | undefined {
    if (!yjsUpdateOf(planEvent.event)) {
      this.apply(planEvent);
      return undefined;
    }
    const before = this.plan(planEvent.planId);
    this.apply(planEvent);
    const touched = new Map(this.require(planEvent.planId).touched);
    return {
      before: restrictPlan(before, touched),
      after: restrictPlan(this.plan(planEvent.planId), touched),
    };
  }

  /** The plan as plain JSON at the last applied event. */
  plan(planId: string): PlanJson {
    const plan = this.require(planId);
    if (!plan.json) plan.json = readPlan(plan.doc);
    else if (plan.dirty) plan.json = refreshPlan(plan.json, plan.doc, plan.touched);
    plan.touched.clear();
    plan.dirty = false;
    return plan.json;
  }

  version(planId: string): number {
    return this.require(planId).version;
  }

  /**
   * After a committed batch (and from time to time while no batch comes): parks documents idle
   * for `idleMs` and the least recently used beyond `capacity`. Only call it when no batch is
   * in progress: documents loaded for a batch must stay hot until it commits.
   */
  trim(): void {
    const idleSince = this.now() - this.idleMs;
    for (const [planId, plan] of this.loaded) {
      if (plan.usedAt > idleSince && this.loaded.size <= this.capacity) continue;
      this.park(planId, plan);
    }
  }

  /** Forgets every document, e.g. after a failed batch left them ahead of the committed rows. */
  clear(): void {
    for (const plan of this.loaded.values()) plan.doc.destroy();
    this.loaded.clear();
    this.parked.clear();
    this.parkedSize = 0;
  }

  private park(planId: string, plan: LoadedPlan): void {
    const state = Y.encodeStateAsUpdate(plan.doc);
    plan.doc.destroy();
    this.loaded.delete(planId);
    this.parked.set(planId, { state, version: plan.version });
    this.parkedSize += state.byteLength;
    for (const [oldest, { state: dropped }] of this.parked) {
      if (this.parkedSize <= this.parkedBytes) break;
      this.parked.delete(oldest);
      this.parkedSize -= dropped.byteLength;
    }
  }

  private unpark(planId: string): LoadedPlan | undefined {
    const parked = this.parked.get(planId);
    if (!parked) return undefined;
    this.parked.delete(planId);
    this.parkedSize -= parked.state.byteLength;
    const plan = track(emptyPlan());
    Y.applyUpdate(plan.doc, parked.state);
    plan.version = parked.version;
    plan.touched.clear();
    plan.dirty = false;
    return plan;
  }

  private require(planId: string): LoadedPlan {
    const plan = this.loaded.get(planId);
    // the projector loads every plan of a batch before projecting it; this is a wiring bug
    if (!plan) throw new Error(`plan ${planId} is not loaded in the projector`);
    return plan;
  }

  private async replay(planId: string, toVersion: number): Promise<LoadedPlan> {
    const plan = track(emptyPlan());
    while (plan.version < toVersion) {
      const page = await this.eventStore.readStream(planStreamId(planId), {
        fromVersion: plan.version + 1,
        maxCount: Math.min(STREAM_PAGE, toVersion - plan.version),
      });
      if (page.length === 0) {
        throw new PlanVersionGapError(planId, plan.version + 1, -1, -1);
      }
      for (const event of page) {
        if (event.version !== plan.version + 1)
          throw new PlanVersionGapError(planId, plan.version + 1, event.version, event.position);
        const update = yjsUpdateOf(event);
        if (update) Y.applyUpdate(plan.doc, update);
        plan.version = event.version;
      }
    }
    plan.touched.clear();
    plan.dirty = false;
    return plan;
  }
}

function emptyPlan(): LoadedPlan {
  return {
    doc: new Y.Doc(),
    usedAt: 0,
    version: -1,
    json: undefined,
    touched: new Map(),
    dirty: false,
  };
}

function track(plan: LoadedPlan): LoadedPlan {
  const collections = collectionTypes(plan.doc);
  plan.doc.on('afterTransaction', (transaction: Y.Transaction) => {
    plan.dirty = true;
    touchedBy(transaction, collections, plan.touched);
  });
  return plan;
}
