/**
 * The risk register read model: every risk scored and levelled, the heat map, counts, overdue
 * reviews relative to a given "today", links to critical-path tasks and the exposure trend.
 *
 *   buildRiskRegister(risks, { today: '2027-04-02', criticalTaskIds: schedule.criticalPath })
 */
import { compareIds } from '../scheduling/activity-graph';
import { epochDayOf, requireEpochDay, type IsoDate } from '../scheduling/calendar-days';
import { exposureTrend, type ExposurePoint } from './exposure-trend';
import { buildHeatMap, type HeatMap } from './heat-map';
import { RISK_STATUSES, type RiskInput, type RiskSnapshot, type RiskStatus } from './risk.model';
import { isOnRiskScale, riskLevel, riskScore, type RiskLevel } from './risk-score';

export interface RiskRegisterOptions {
  /** The date reviews are judged against; the register never reads a clock. */
  readonly today: IsoDate;
  /** Usually `Schedule.criticalPath`. */
  readonly criticalTaskIds?: Iterable<string>;
  /** Which risks the heat map counts; open only by default. */
  readonly heatMapStatuses?: readonly RiskStatus[];
  /** History for the exposure trend; without it the trend is empty. */
  readonly snapshots?: readonly RiskSnapshot[];
}

export interface RegisteredRisk {
  readonly id: string;
  readonly title: string | null;
  readonly category: string | null;
  readonly owner: string | null;
  readonly response: string | null;
  readonly status: RiskStatus;
  readonly probability: number;
  readonly impact: number;
  readonly score: number;
  readonly level: RiskLevel;
  readonly reviewDate: IsoDate | null;
  readonly reviewOverdue: boolean;
  readonly linkedTaskIds: readonly string[];
  /** The linked tasks that are on the critical path, sorted. */
  readonly criticalTaskIds: readonly string[];
  readonly onCriticalPath: boolean;
}

export interface OverdueReview {
  readonly riskId: string;
  readonly owner: string | null;
  readonly reviewDate: IsoDate;
  readonly daysOverdue: number;
}

/** A field the register could not use as given; the risk stays in the register regardless. */
export interface InvalidRiskField {
  readonly riskId: string;
  readonly field: 'probability' | 'impact' | 'status' | 'reviewDate';
  readonly value: unknown;
}

export interface RiskRegister {
  readonly today: IsoDate;
  /** Highest score first, then by id. */
  readonly risks: readonly RegisteredRisk[];
  /** `heatMap[probability - 1][impact - 1]`, counting `heatMapStatuses`. */
  readonly heatMap: HeatMap;
  readonly heatMapStatuses: readonly RiskStatus[];
  readonly countsByStatus: Readonly<Record<RiskStatus, number>>;
  readonly openCountsByLevel: Readonly<Record<RiskLevel, number>>;
  /** Sum of open risks' scores. */
  readonly openExposure: number;
  /** Open risks whose review date is before today, oldest first. */
  readonly overdueReviews: readonly OverdueReview[];
  /** Open risks linked to at least one critical task, by id. */
  readonly openCriticalPathRiskIds: readonly string[];
  readonly exposureTrend: readonly ExposurePoint[];
  /** Sorted by risk id; off-scale risks are scored as given but left out of the heat map. */
  readonly invalidFields: readonly InvalidRiskField[];
}

export function buildRiskRegister(
  risks: readonly RiskInput[],
  options: RiskRegisterOptions,
): RiskRegister {
  const todayDay = requireEpochDay('today', options.today);
  const critical = new Set(options.criticalTaskIds ?? []);
  const heatMapStatuses = options.heatMapStatuses ?? ['open'];
  const invalidFields: InvalidRiskField[] = [];
  const overdueReviews: OverdueReview[] = [];

  const registered = risks.map((risk): RegisteredRisk => {
    for (const field of ['probability', 'impact'] as const) {
      if (!isOnRiskScale(risk[field]))
        invalidFields.push({ riskId: risk.id, field, value: risk[field] });
    }
    if (!RISK_STATUSES.includes(risk.status)) {
      invalidFields.push({ riskId: risk.id, field: 'status', value: risk.status });
    }
    const reviewDate = risk.reviewDate ?? null;
    const reviewDay = reviewDate === null || reviewDate === '' ? null : epochDayOf(reviewDate);
    if (reviewDate !== null && reviewDate !== '' && reviewDay === null) {
      invalidFields.push({ riskId: risk.id, field: 'reviewDate', value: reviewDate });
    }
    // Only an open risk still needs its review; a mitigated or closed one is not chased.
    const reviewOverdue = risk.status === 'open' && reviewDay !== null && reviewDay < todayDay;
    if (reviewOverdue && reviewDate !== null) {
      overdueReviews.push({
        riskId: risk.id,
        owner: risk.owner ?? null,
        reviewDate,
        daysOverdue: todayDay - (reviewDay as number),
      });
    }
    const linkedTaskIds = risk.linkedTaskIds ?? [];
    const criticalTaskIds = [...new Set(linkedTaskIds.filter((id) => critical.has(id)))].sort();
    const score = riskScore(risk);
    return {
      id: risk.id,
      title: risk.title ?? null,
      category: risk.category ?? null,
      owner: risk.owner ?? null,
      response: risk.response ?? null,
      status: risk.status,
      probability: risk.probability,
      impact: risk.impact,
      score,
      level: riskLevel(score),
      reviewDate,
      reviewOverdue,
      linkedTaskIds,
      criticalTaskIds,
      onCriticalPath: criticalTaskIds.length > 0,
    };
  });
  registered.sort((a, b) => bySortableScore(b) - bySortableScore(a) || compareIds(a.id, b.id));

  const countsByStatus: Record<RiskStatus, number> = { open: 0, mitigated: 0, closed: 0 };
  const openCountsByLevel: Record<RiskLevel, number> = { low: 0, medium: 0, high: 0, critical: 0 };
  let openExposure = 0;
  for (const risk of registered) {
    if (!RISK_STATUSES.includes(risk.status)) continue;
    countsByStatus[risk.status]++;
    if (risk.status !== 'open') continue;
    openCountsByLevel[risk.level]++;
    openExposure += risk.score;
  }

  return {
    today: options.today,
    risks: registered,
    heatMap: buildHeatMap(risks, heatMapStatuses),
    heatMapStatuses,
    countsByStatus,
    openCountsByLevel,
    openExposure,
    overdueReviews: overdueReviews.sort(
      (a, b) => compareIds(a.reviewDate, b.reviewDate) || compareIds(a.riskId, b.riskId),
    ),
    openCriticalPathRiskIds: registered
      .filter((r) => r.status === 'open' && r.onCriticalPath)
      .map((r) => r.id)
      .sort(compareIds),
    exposureTrend: exposureTrend(options.snapshots ?? []),
    invalidFields: invalidFields.sort((a, b) => compareIds(a.riskId, b.riskId)),
  };
}

/** NaN scores (missing fields) sort last instead of breaking the comparator. */
function bySortableScore(risk: RegisteredRisk): number {
  return Number.isNaN(risk.score) ? -Infinity : risk.score;
}
