/**
 * One plan's document as projectors replay it: a Y.Doc at a stream version, and the plan's JSON
 * kept current one update at a time (plan-delta). Versions only ever move to version + 1, so a
 * bug that would skip or double-apply an event fails loudly instead of corrupting rows.
 */
import type { EventStore, RecordedEvent } from '@lib/event-store';
import { readPlan, type CollectionName, type PlanJson } from '@lib/plan-domain';
import * as Y from 'yjs';
import { planStreamId, yjsUpdateOf } from '../plan-stream';
import { collectionTypes, refreshPlan, restrictPlan, touchedBy } from './plan-delta';

/** One update's effect: the plan restricted to meta and the entities it touched, before and after. */
export interface PlanDelta {
  readonly before: PlanJson;
  readonly after: PlanJson;
}

/** An event arrived out of stream order for a projector's copy of the plan. */
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

const STREAM_PAGE = 1000;

export class PlanDocument {
  private readonly doc = new Y.Doc();
  /** stream version of the last event applied; -1 before the first */
  private at = -1;
  /** readPlan(doc) as of the last plan() call; `touched` says what changed since */
  private json: PlanJson | undefined;
  /** entities updates touched since `json` was read, filled by the doc's afterTransaction */
  private readonly touched = new Map<CollectionName, Set<string>>();
  /** any transaction since `json` was read (meta changes touch no entity) */
  private dirty = false;

  private constructor(readonly planId: string) {
    const collections = collectionTypes(this.doc);
    this.doc.on('afterTransaction', (transaction: Y.Transaction) => {
      this.dirty = true;
      touchedBy(transaction, collections, this.touched);
    });
  }

  /** The plan from its stream, every event up to `toVersion` (-1: before the first). */
  static async replay(store: EventStore, planId: string, toVersion: number): Promise<PlanDocument> {
    const document = new PlanDocument(planId);
    await document.catchUp(store, toVersion);
    return document;
  }

  /** A document encode() produced, at the version it had then. */
  static decode(planId: string, state: Uint8Array, version: number): PlanDocument {
    const document = new PlanDocument(planId);
    Y.applyUpdate(document.doc, state);
    document.at = version;
    document.settle();
    return document;
  }

  get version(): number {
    return this.at;
  }

  /** Reads and applies the stream's events after this version, up to `toVersion`. */
  async catchUp(store: EventStore, toVersion: number): Promise<void> {
    while (this.at < toVersion) {
      const page = await store.readStream(planStreamId(this.planId), {
        fromVersion: this.at + 1,
        maxCount: Math.min(STREAM_PAGE, toVersion - this.at),
      });
      if (page.length === 0) throw new PlanVersionGapError(this.planId, this.at + 1, -1, -1);
      for (const event of page) {
        // another caller may have applied some while the page was read
        if (event.version <= this.at) continue;
        this.apply(event);
      }
    }
  }

  /** Applies the next event of the stream: the Yjs update for PlanUpdated, the version for all. */
  apply(event: RecordedEvent): void {
    if (event.version !== this.at + 1)
      throw new PlanVersionGapError(this.planId, this.at + 1, event.version, event.position);
    const update = yjsUpdateOf(event);
    // the JSON is brought up to date when next asked for, once for all updates in between
    if (update) Y.applyUpdate(this.doc, update);
    this.at = event.version;
  }

  /**
   * Like apply, and returns what a Yjs update changed, for the semantic diff: diffing the two
   * restricted plans finds exactly the changes diffing the whole plans would.
   */
  applyWithDelta(event: RecordedEvent): PlanDelta | undefined {
    if (!yjsUpdateOf(event)) {
      this.apply(event);
      return undefined;
    }
    const before = this.plan();
    this.apply(event);
    const touched = new Map(this.touched);
    return { before: restrictPlan(before, touched), after: restrictPlan(this.plan(), touched) };
  }

  /** The plan as plain JSON at the last applied event; the same object until the next change. */
  plan(): PlanJson {
    if (!this.json) this.json = readPlan(this.doc);
    else if (this.dirty) this.json = refreshPlan(this.json, this.doc, this.touched);
    this.settle();
    return this.json;
  }

  /** The whole document as one Yjs update (decode() brings it back). */
  encode(): Uint8Array {
    return Y.encodeStateAsUpdate(this.doc);
  }

  destroy(): void {
    this.doc.destroy();
  }

  private settle(): void {
    this.touched.clear();
    this.dirty = false;
  }
}
