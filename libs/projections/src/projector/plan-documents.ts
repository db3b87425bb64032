/**
 * A projector's own copies of plan documents. Semantic changes and schedules need each plan's
 * state, and PlanUpdated events only carry Yjs deltas, so a projector replays every update
 * into a Y.Doc per plan. Docs are kept in an LRU (a busy server touches few plans at a time,
 * a rebuild walks all of them); an evicted or never-loaded plan is rebuilt from its stream up
 * to the version the read model has already projected, which the read model stores per plan.
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
  /** stream version of the last event applied; -1 before the first */
  version: number;
  /** readPlan(doc) as of the last plan() call; `touched` says what changed since */
  json: PlanJson | undefined;
  /** entities updates touched since `json` was read, filled by the doc's afterTransaction */
  readonly touched: Map<CollectionName, Set<string>>;
  /** any transaction since `json` was read (meta changes touch no entity) */
  dirty: boolean;
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

  constructor(
    private readonly eventStore: EventStore,
    /** how many documents stay in memory between batches */
    readonly capacity: number,
  ) {}

  get size(): number {
    return this.loaded.size;
  }

  has(planId: string): boolean {
    return this.loaded.has(planId);
  }

  /**
   * Makes sure each plan's document is in memory at the version the read model has projected.
   * `projectedVersion` is asked only for plans not in memory.
   */
  async load(
    planIds: Iterable<string>,
    projectedVersion: (planId: string) => Promise<number>,
  ): Promise<void> {
    for (const planId of planIds) {
      const current = this.loaded.get(planId);
      if (current) {
        this.loaded.delete(planId);
        this.loaded.set(planId, current);
        continue;
      }
      const version = await projectedVersion(planId);
      this.loaded.set(planId, await this.replay(planId, version));
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

  /** Drops the least recently used documents beyond capacity. */
  trim(): void {
    for (const [planId, plan] of this.loaded) {
      if (this.loaded.size <= this.capacity) return;
      plan.doc.destroy();
      this.loaded.delete(planId);
    }
  }

  /** Forgets every document, e.g. after a failed batch left them ahead of the committed rows. */
  clear(): void {
    for (const plan of this.loaded.values()) plan.doc.destroy();
    this.loaded.clear();
  }

  private require(planId: string): LoadedPlan {
    const plan = this.loaded.get(planId);
    // the projector loads every plan of a batch before projecting it; this is a wiring bug
    if (!plan) throw new Error(`plan ${planId} is not loaded in the projector`);
    return plan;
  }

  private async replay(planId: string, toVersion: number): Promise<LoadedPlan> {
    const plan = track({
      doc: new Y.Doc(),
      version: -1,
      json: undefined,
      touched: new Map(),
      dirty: false,
    });
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

function track(plan: LoadedPlan): LoadedPlan {
  const collections = collectionTypes(plan.doc);
  plan.doc.on('afterTransaction', (transaction: Y.Transaction) => {
    plan.dirty = true;
    touchedBy(transaction, collections, plan.touched);
  });
  return plan;
}
