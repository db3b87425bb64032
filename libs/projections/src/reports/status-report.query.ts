/**
 * Gathers a status report's sources from the read models and builds it: the same code serves
 * `GET /plans/:id/reports/status` and `cli report`, so both say the same thing about a plan.
 */
import { PlanNotProjectedError, type Projections } from '../projections';
import type { ReadModelName } from '../projector/projection';
import { latestBaseline } from '../timeline/timeline.projection';
import {
  buildStatusReport,
  type StatusReport,
  type StatusReportOptions,
  type StatusReportSources,
} from './status-report';

export interface StatusReportQuery extends StatusReportOptions {
  /** scope growth past this percentage is creep (SCOPE_CREEP_THRESHOLD_PERCENT) */
  readonly scopeCreepThresholdPercent: number;
}

/** The read models a status report reads; a caller waiting for its own writes waits for these. */
export const STATUS_REPORT_READ_MODELS: readonly ReadModelName[] = [
  'timeline',
  'risk-register',
  'objectives',
  'comments',
  'scope',
  'resources',
  'status-reports',
];

/** Throws PlanNotProjectedError when a read model has nothing of the plan (unknown, or not projected yet). */
export async function statusReportSources(
  projections: Projections,
  planId: string,
  query: StatusReportQuery,
): Promise<StatusReportSources> {
  const missing = (readModel: ReadModelName): never => {
    throw new PlanNotProjectedError(planId, readModel, projections.position(readModel));
  };
  const timeline = (await projections.timeline.timeline(planId)) ?? missing('timeline');
  const risks =
    (await projections.riskRegister.riskRegister(planId, { today: query.today })) ??
    missing('risk-register');
  const objectives =
    (await projections.objectives.status(planId, query.today)) ?? missing('objectives');
  const resources = (await projections.resources.allocation(planId)) ?? missing('resources');
  const history =
    (await projections.statusReports.history(planId, query.since)) ?? missing('status-reports');
  return {
    planId,
    timeline,
    baseline: await latestBaseline(projections.readModels, planId),
    risks,
    objectives,
    threads: await projections.comments.threads(planId),
    scope: await projections.scope.scope(planId, query.scopeCreepThresholdPercent),
    resources,
    history,
    progressHistory: await projections.statusReports.progressHistory(planId),
    lastSent: await projections.statusReports.lastSent(planId),
  };
}

export async function statusReport(
  projections: Projections,
  planId: string,
  query: StatusReportQuery,
): Promise<StatusReport> {
  return buildStatusReport(await statusReportSources(projections, planId, query), query);
}
