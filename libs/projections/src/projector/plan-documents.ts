/**
 * The plan documents one projector works with. Semantic changes and schedules need each plan's
 * state, and PlanUpdated events only carry Yjs deltas, so every update is replayed into a
 * document. Normally that is the process' shared document (PlanDocumentPool), which the
 * projector follows at its own version. A projector too far behind it (a rebuild, a catch-up
 * after downtime) replays into a document of its own, and hands it back to the pool as soon as
 * the shared one has the version it reached.
 *
 * An evicted or never-loaded plan is rebuilt up to the version the read model has already
 * projected, which the read model stores per plan.
 */
import type { PlanJson } from '@lib/plan-domain';
import type { PlanEvent } from '../plan-stream';
import { PlanDocument, type PlanDelta } from './plan-document';
import { PlanDocumentPool, type PlanDocumentPoolOptions } from './plan-document-pool';

export class PlanDocuments {
  /** plans served by the pool, at the version this projector reached */
  private readonly cursors = new Map<string, number>();
  /**
   * plans this projector is too far behind the pool for: copies of its own, in recency order,
   * at most the pool's capacity, each dropped when unused for the pool's idle time
   */
  private readonly own = new Map<string, { document: PlanDocument; usedAt: number }>();

  constructor(private readonly pool: PlanDocumentPool) {}

  /** a projector on its own, e.g. a CLI replay */
  static standalone(
    store: ConstructorParameters<typeof PlanDocumentPool>[0],
    options?: PlanDocumentPoolOptions,
  ): PlanDocuments {
    return new PlanDocuments(new PlanDocumentPool(store, options));
  }

  /** documents this projector keeps of its own while it is behind the shared ones */
  get ownDocuments(): number {
    return this.own.size;
  }

  /**
   * Makes sure each plan's document is at the version the read model has projected, pinned
   * until trim(). `projectedVersion` is asked only for plans this projector has not seen.
   */
  async load(
    planIds: Iterable<string>,
    projectedVersion: (planId: string) => Promise<number>,
  ): Promise<void> {
    for (const planId of planIds) {
      const own = this.own.get(planId);
      if (own) {
        this.own.delete(planId);
        this.own.set(planId, { document: own.document, usedAt: this.pool.now() });
        continue;
      }
      const version = this.cursors.get(planId) ?? (await projectedVersion(planId));
      if (await this.pool.join(this, planId, version)) {
        this.cursors.set(planId, version);
        continue;
      }
      this.cursors.delete(planId);
      const document = await PlanDocument.replay(this.pool.eventStore, planId, version);
      this.own.set(planId, { document, usedAt: this.pool.now() });
    }
  }

  /** Applies one event of a loaded plan: the Yjs update for PlanUpdated, the version for all. */
  apply(planEvent: PlanEvent): void {
    this.step(planEvent, false);
  }

  /**
   * Like apply, and returns what the update changed, for the semantic diff: diffing the two
   * restricted plans finds exactly the changes diffing the whole plans would.
   */
  applyWithDelta(planEvent: PlanEvent): PlanDelta | undefined {
    return this.step(planEvent, true);
  }

  private step({ planId, event }: PlanEvent, withDelta: boolean): PlanDelta | undefined {
    const own = this.own.get(planId)?.document;
    if (!own) {
      const delta = this.pool.step(this, planId, event, withDelta);
      this.cursors.set(planId, event.version);
      return delta;
    }
    let delta: PlanDelta | undefined;
    if (withDelta) delta = own.applyWithDelta(event);
    else own.apply(event);
    // caught up with the shared document: back to it
    if (this.pool.canServe(planId, own.version)) this.rejoin(planId, own);
    return delta;
  }

  /** The plan as plain JSON at the last applied event. */
  plan(planId: string): PlanJson {
    const own = this.own.get(planId)?.document;
    if (own) return own.plan();
    this.require(planId);
    return this.pool.plan(this, planId);
  }

  version(planId: string): number {
    return this.own.get(planId)?.document.version ?? this.require(planId);
  }

  /**
   * After a committed batch, or while none is in progress: hands own copies the pool can serve
   * back to it, drops those unused for the idle time or beyond capacity (their next batch
   * replays them), unpins this projector's plans and lets the pool park what went idle.
   */
  trim(): void {
    const idleSince = this.pool.now() - this.pool.idleMs;
    for (const [planId, { document, usedAt }] of this.own) {
      if (this.pool.canServe(planId, document.version)) this.rejoin(planId, document);
      else if (usedAt <= idleSince || this.own.size > this.pool.capacity) {
        // the next batch of this plan replays it from the stream again
        this.own.delete(planId);
        document.destroy();
      }
    }
    this.pool.unpinAll(this);
    this.pool.trim();
  }

  /** Forgets this projector's versions, e.g. after a failed batch left them ahead of its rows. */
  clear(): void {
    this.pool.forget(this);
    this.cursors.clear();
    for (const { document } of this.own.values()) document.destroy();
    this.own.clear();
  }

  private rejoin(planId: string, own: PlanDocument): void {
    this.pool.adoptPin(this, planId, own.version);
    this.cursors.set(planId, own.version);
    this.own.delete(planId);
    own.destroy();
  }

  private require(planId: string): number {
    const version = this.cursors.get(planId);
    // the projector loads every plan of a batch before projecting it; this is a wiring bug
    if (version === undefined) throw new Error(`plan ${planId} is not loaded in the projector`);
    return version;
  }
}
