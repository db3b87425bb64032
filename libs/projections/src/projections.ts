/**
 * The read side in one object: a projector per read model, their queries, rebuild, lag for
 * metrics, read-your-writes waits and the after-batch notifications a live feed listens to.
 *
 *   const projections = new Projections(eventStore, await openReadModelStore(config));
 *   await projections.init();          // tables, checkpoints
 *   projections.start();               // follow the log live
 *   projections.onProjected(({ readModel, planIds, position, entries }) => feed.push(...));
 *   await projections.waitForPosition('timeline', appendedPosition);
 *   const timeline = await projections.timeline.timeline(planId);
 */
import type { EventStore } from '@lib/event-store';
import { planStreamId } from './plan-stream';
import { ChangeLogProjection } from './change-log/change-log.projection';
import { ChangeLogReadModel } from './change-log/change-log.read-model';
import { CommentsProjection } from './comments/comments.projection';
import { CommentsReadModel } from './comments/comments.read-model';
import { ObjectivesProjection } from './objectives/objectives.projection';
import { ObjectivesReadModel } from './objectives/objectives.read-model';
import { StatusHistoryProjection } from './reports/status-history.projection';
import { StatusReportsReadModel } from './reports/status-reports.read-model';
import { ResourcesProjection } from './resources/resources.projection';
import { ResourcesReadModel } from './resources/resources.read-model';
import { ScopeProjection } from './scope/scope.projection';
import { ScopeReadModel } from './scope/scope.read-model';
import { PlanSummaryProjection } from './plan-summary/plan-summary.projection';
import { PlanSummaryReadModel } from './plan-summary/plan-summary.read-model';
import {
  READ_MODELS,
  SILENT_PROJECTION_LOG,
  type Projection,
  type ProjectionLog,
  type ReadModelName,
} from './projector/projection';
import {
  Projector,
  type ProjectedBatch,
  type ProjectorOptions,
  type ProjectorStatus,
} from './projector/projector';
import { RiskRegisterProjection } from './risk-register/risk-register.projection';
import { RiskRegisterReadModel } from './risk-register/risk-register.read-model';
import type { ReadModelStore } from './store/read-model-store.port';
import { TimelineProjection } from './timeline/timeline.projection';
import { PlanDocumentPool, type PlanDocumentPoolStats } from './projector/plan-document-pool';
import { TimelineReadModel } from './timeline/timeline.read-model';

export type ProjectedListener = (batch: ProjectedBatch) => void;

export type ProjectionsOptions = Omit<ProjectorOptions, 'onProjected'> &
  StandardProjectionSettings & {
    /** replaces the standard projections (tests inject failing ones) */
    readonly projections?: readonly Projection[];
  };

export interface StandardProjectionSettings {
  /** scope growth past this percentage of the baseline raises a scope-creep notice (default 10) */
  readonly scopeCreepThresholdPercent?: number;
  /** where projections report events they skip as malformed */
  readonly log?: ProjectionLog;
}

export type ReadModelTarget = ReadModelName | 'all';

export interface RebuildProgress {
  readonly readModel: ReadModelName;
  /** checkpoint reached */
  readonly position: number;
  /** events projected so far in this rebuild */
  readonly events: number;
}

export interface RebuildReport {
  readonly readModel: ReadModelName;
  readonly events: number;
  readonly position: number;
  readonly durationMs: number;
}

/** `?minPosition=` could not be honoured in time: the read model is still behind. */
export class ReadModelNotCaughtUpError extends Error {
  readonly code = 'READ_MODEL_NOT_CAUGHT_UP';
  constructor(
    readonly readModel: ReadModelName,
    readonly requestedPosition: number,
    readonly reachedPosition: number,
    readonly timeoutMs: number,
  ) {
    super(
      `read model ${readModel} reached position ${reachedPosition}, not ${requestedPosition}, within ${timeoutMs} ms; retry shortly`,
    );
    this.name = 'ReadModelNotCaughtUpError';
  }
}

export const isReadModelNotCaughtUp = (error: unknown): error is ReadModelNotCaughtUpError =>
  typeof error === 'object' &&
  error !== null &&
  (error as { code?: unknown }).code === 'READ_MODEL_NOT_CAUGHT_UP';

export const DEFAULT_FRESHNESS_TIMEOUT_MS = 5000;

export function standardProjections(settings: StandardProjectionSettings = {}): Projection[] {
  return [
    new ChangeLogProjection(),
    new TimelineProjection(),
    new RiskRegisterProjection(),
    new PlanSummaryProjection(),
    new CommentsProjection(settings.log),
    new ObjectivesProjection(),
    new ScopeProjection(settings.scopeCreepThresholdPercent),
    new ResourcesProjection(),
    new StatusHistoryProjection(),
  ];
}

export class Projections {
  readonly changeLog: ChangeLogReadModel;
  readonly timeline: TimelineReadModel;
  readonly riskRegister: RiskRegisterReadModel;
  readonly planSummary: PlanSummaryReadModel;
  readonly comments: CommentsReadModel;
  readonly objectives: ObjectivesReadModel;
  readonly scope: ScopeReadModel;
  readonly resources: ResourcesReadModel;
  readonly statusReports: StatusReportsReadModel;
  private readonly projectors = new Map<ReadModelName, Projector>();
  private readonly listeners = new Set<ProjectedListener>();
  private readonly log: ProjectionLog;
  private readonly documentPool: PlanDocumentPool;

  constructor(
    private readonly eventStore: EventStore,
    readonly readModels: ReadModelStore,
    options: ProjectionsOptions = {},
  ) {
    this.log = options.log ?? SILENT_PROJECTION_LOG;
    // one document per plan for all projectors: they follow the same log a few events apart
    const documentPool = (this.documentPool = new PlanDocumentPool(eventStore, {
      capacity: options.maxLoadedDocuments,
      idleMs: options.documentIdleMs,
    }));
    for (const projection of options.projections ?? standardProjections(options)) {
      this.projectors.set(
        projection.readModel,
        new Projector(eventStore, readModels, projection, {
          ...options,
          documentPool,
          onProjected: (batch) => this.notify(batch),
        }),
      );
    }
    this.changeLog = new ChangeLogReadModel(readModels);
    this.timeline = new TimelineReadModel(readModels);
    this.riskRegister = new RiskRegisterReadModel(readModels);
    this.planSummary = new PlanSummaryReadModel(readModels);
    this.comments = new CommentsReadModel(readModels);
    this.objectives = new ObjectivesReadModel(readModels);
    this.scope = new ScopeReadModel(readModels);
    this.resources = new ResourcesReadModel(readModels);
    this.statusReports = new StatusReportsReadModel(readModels);
  }

  get readModelNames(): ReadModelName[] {
    return [...this.projectors.keys()];
  }

  /** Creates tables and checkpoints; run once before start(), catchUp() or rebuild(). */
  async init(): Promise<void> {
    for (const projector of this.projectors.values()) await projector.prepare();
  }

  start(): void {
    for (const projector of this.projectors.values()) projector.start();
  }

  async stop(): Promise<void> {
    await Promise.all([...this.projectors.values()].map((p) => p.stop()));
  }

  /** Projects to the end of the log without following it (CLI, tests); not while live. */
  async catchUp(
    target: ReadModelTarget = 'all',
    options: { readonly maxPosition?: number } = {},
  ): Promise<void> {
    for (const projector of this.select(target)) await projector.catchUp(options);
  }

  /**
   * Drops each read model's rows and checkpoint and replays the log from position 0. Live
   * projectors are stopped for it and started again after; readers see the read model fill up
   * again meanwhile (lag shows how far it is).
   */
  async rebuild(
    target: ReadModelTarget,
    onProgress?: (progress: RebuildProgress) => void,
  ): Promise<RebuildReport[]> {
    const reports: RebuildReport[] = [];
    for (const projector of this.select(target)) {
      const wasRunning = projector.running;
      if (wasRunning) await projector.stop();
      const started = performance.now();
      let events = 0;
      try {
        await projector.reset();
        await projector.catchUp({
          onBatch: (position, count) => {
            events += count;
            onProgress?.({ readModel: projector.readModel, position, events });
          },
        });
      } finally {
        if (wasRunning) projector.start();
      }
      reports.push({
        readModel: projector.readModel,
        events,
        position: projector.position,
        durationMs: performance.now() - started,
      });
    }
    return reports;
  }

  /** head position − checkpoint per read model, for metrics */
  async lag(): Promise<Record<ReadModelName, number>> {
    const head = await this.eventStore.headPosition();
    const lag = {} as Record<ReadModelName, number>;
    for (const [name, projector] of this.projectors)
      lag[name] = Math.max(0, head - projector.position);
    return lag;
  }

  status(): ProjectorStatus[] {
    return [...this.projectors.values()].map((p) => p.status());
  }

  /** the plan documents the projectors share: hot (a Y.Doc) and parked (encoded) */
  documents(): PlanDocumentPoolStats {
    return this.documentPool.stats;
  }

  position(readModel: ReadModelName): number {
    return this.projector(readModel).position;
  }

  /**
   * Read-your-writes: resolves once `readModel` has projected everything up to `position` (the
   * position an append returned), throws ReadModelNotCaughtUpError after `timeoutMs`.
   */
  async waitForPosition(
    readModel: ReadModelName,
    position: number,
    timeoutMs = DEFAULT_FRESHNESS_TIMEOUT_MS,
  ): Promise<void> {
    const projector = this.projector(readModel);
    // a position no append has returned yet would only time out as "not caught up" (503, retry),
    // which a client would retry forever: it is a wrong position, said at once
    if (projector.position < position) {
      const head = await this.eventStore.headPosition();
      if (position > head) throw new UnknownPositionError(position, head);
    }
    if (!(await projector.waitForPosition(position, timeoutMs))) {
      throw new ReadModelNotCaughtUpError(readModel, position, projector.position, timeoutMs);
    }
  }

  /**
   * Read-your-writes by stream version, for callers that were told a plan version (REST
   * commands answer with it) rather than a global position.
   */
  async waitForPlanVersion(
    readModel: ReadModelName,
    planId: string,
    version: number,
    timeoutMs = DEFAULT_FRESHNESS_TIMEOUT_MS,
  ): Promise<void> {
    const [event] = await this.eventStore.readStream(planStreamId(planId), {
      fromVersion: version,
      maxCount: 1,
    });
    if (!event)
      throw new UnknownPlanVersionError(
        planId,
        version,
        await this.eventStore.streamVersion(planStreamId(planId)),
      );
    await this.waitForPosition(readModel, event.position, timeoutMs);
  }

  /**
   * Called after every committed batch of every read model, in commit order per read model.
   * Returns the unsubscribe function. A listener that throws is logged; the batch stays
   * committed and the other listeners still hear it (the feed can resume from positions).
   */
  onProjected(listener: ProjectedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(batch: ProjectedBatch): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(batch);
      } catch (error) {
        this.log.error(
          `onProjected listener failed for ${batch.readModel} at position ${batch.position}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }

  private select(target: ReadModelTarget): Projector[] {
    return target === 'all' ? [...this.projectors.values()] : [this.projector(target)];
  }

  private projector(readModel: ReadModelName): Projector {
    const projector = this.projectors.get(readModel);
    if (!projector) throw new UnknownReadModelError(readModel, [...this.projectors.keys()]);
    return projector;
  }
}

export class UnknownReadModelError extends Error {
  readonly code = 'UNKNOWN_READ_MODEL';
  constructor(
    readonly readModel: string,
    known: readonly string[] = READ_MODELS,
  ) {
    super(`unknown read model ${JSON.stringify(readModel)}; known: ${known.join(', ')}`);
    this.name = 'UnknownReadModelError';
  }
}

/**
 * A plan has no row in a read model: it does not exist, or its events are not projected yet
 * (a reader that just created it should pass the append's position as `minPosition`).
 */
export class PlanNotProjectedError extends Error {
  readonly code = 'PLAN_NOT_PROJECTED';
  constructor(
    readonly planId: string,
    readonly readModel: ReadModelName,
    readonly position: number,
  ) {
    super(
      `plan ${planId} has no ${readModel} as of position ${position}: unknown plan, or not projected yet`,
    );
    this.name = 'PlanNotProjectedError';
  }
}

export const isPlanNotProjected = (error: unknown): error is PlanNotProjectedError =>
  typeof error === 'object' &&
  error !== null &&
  (error as { code?: unknown }).code === 'PLAN_NOT_PROJECTED';

/** `?minPosition=` is beyond the last position of the log: no append returned it. */
export class UnknownPositionError extends Error {
  readonly code = 'UNKNOWN_POSITION';
  constructor(
    readonly position: number,
    readonly headPosition: number,
  ) {
    super(`minPosition ${position} is beyond the log's last position ${headPosition}`);
    this.name = 'UnknownPositionError';
  }
}

/** `?minVersion=` names a version the plan's stream does not have (yet). */
export class UnknownPlanVersionError extends Error {
  readonly code = 'UNKNOWN_PLAN_VERSION';
  constructor(
    readonly planId: string,
    readonly version: number,
    readonly lastVersion: number,
  ) {
    super(`minVersion ${version} is beyond plan ${planId}'s last version ${lastVersion}`);
    this.name = 'UnknownPlanVersionError';
  }
}
