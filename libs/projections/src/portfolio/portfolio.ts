/**
 * One line per plan for a portfolio view, from the plan's read models: finish forecast
 * against the latest baseline, how far the critical path slipped, open critical/high risks,
 * budget use, the next milestone. Pure: the caller reads the views and passes `today`.
 *
 * SPI and CPI need earned value (planned value and actual cost per date), which the read
 * models do not hold yet: the fields are there, null, so dashboards can be written against
 * the final shape.
 */
import type { RiskLevel } from '@lib/plan-domain';
import type { PlanSummaryView } from '../plan-summary/plan-summary.read-model';
import type { RiskRegisterView } from '../risk-register/risk-register.read-model';
import type { TimelineView } from '../timeline/timeline.read-model';

export interface PortfolioFinish {
  /** when the current schedule finishes */
  readonly forecast: string | null;
  /** the latest baseline's finish; null without a baseline */
  readonly baseline: string | null;
  /** forecast − baseline in days; positive is late */
  readonly deltaDays: number | null;
}

export interface PortfolioRisk {
  readonly id: string;
  readonly title: string | null;
  readonly level: RiskLevel;
  readonly score: number;
}

export interface PortfolioPlan {
  readonly planId: string;
  readonly title: string;
  readonly status: string;
  readonly archived: boolean;
  /** the caller's role on the plan */
  readonly role: string;
  readonly finish: PortfolioFinish;
  /**
   * the largest finish slip against the baseline among the activities on the critical path
   * now; null without a baseline
   */
  readonly criticalPathSlipDays: number | null;
  /** finish or critical path later than the baseline */
  readonly slipping: boolean;
  readonly percentComplete: number | null;
  readonly openRisks: {
    readonly critical: number;
    readonly high: number;
    /** the open critical and high risks, highest score first */
    readonly top: readonly PortfolioRisk[];
  };
  readonly budget: {
    readonly currency: string;
    readonly budget: number;
    readonly plannedCost: number;
    /** plannedCost / budget in percent; null without a budget */
    readonly usedPercent: number | null;
    readonly overBudget: boolean;
  } | null;
  readonly nextMilestone: {
    readonly id: string;
    readonly title: string;
    readonly date: string;
    readonly lateByDays: number;
  } | null;
  /** earned value indices; null until earned value is tracked */
  readonly spi: number | null;
  readonly cpi: number | null;
  /** the highest global position the line was computed from */
  readonly position: number;
}

export interface PortfolioInput {
  readonly planId: string;
  readonly title: string;
  readonly role: string;
  readonly archived: boolean;
  readonly summary?: PlanSummaryView;
  readonly timeline?: TimelineView;
  readonly risks?: RiskRegisterView;
}

const TOP_RISKS = 5;

export function portfolioLine(input: PortfolioInput): PortfolioPlan {
  const { summary, timeline, risks } = input;
  const baseline = timeline?.baseline ?? null;
  const critical = new Set(timeline?.criticalPath ?? []);
  const criticalSlips = (timeline?.activities ?? [])
    .filter((a) => critical.has(a.id) && a.slippage)
    .map((a) => a.slippage!.finishDeltaDays);
  const criticalPathSlipDays = baseline
    ? criticalSlips.length > 0
      ? Math.max(0, ...criticalSlips)
      : 0
    : null;
  const deltaDays = baseline?.projectFinishDeltaDays ?? null;
  const openSevere = (risks?.risks ?? [])
    .filter((r) => r.status === 'open' && (r.level === 'critical' || r.level === 'high'))
    .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
  const next = (timeline?.milestones ?? [])
    .filter((m) => m.status !== 'done')
    .sort((a, b) => a.date.localeCompare(b.date) || a.id.localeCompare(b.id))[0];
  const budget = summary?.budget;
  return {
    planId: input.planId,
    title: summary?.title ?? input.title,
    status: summary?.status ?? 'unknown',
    archived: input.archived,
    role: input.role,
    finish: {
      forecast: timeline?.projectFinish ?? null,
      baseline: baseline?.projectFinish ?? null,
      deltaDays,
    },
    criticalPathSlipDays,
    slipping: (deltaDays ?? 0) > 0 || (criticalPathSlipDays ?? 0) > 0,
    percentComplete: timeline?.percentComplete ?? null,
    openRisks: {
      critical: risks?.openCountsByLevel.critical ?? 0,
      high: risks?.openCountsByLevel.high ?? 0,
      top: openSevere
        .slice(0, TOP_RISKS)
        .map((r) => ({ id: r.id, title: r.title, level: r.level, score: r.score })),
    },
    budget: budget
      ? {
          currency: budget.currency,
          budget: budget.budget,
          plannedCost: budget.plannedCost,
          usedPercent:
            budget.budget > 0 ? Math.round((budget.plannedCost / budget.budget) * 1000) / 10 : null,
          overBudget: budget.overBudget,
        }
      : null,
    nextMilestone: next
      ? { id: next.id, title: next.title, date: next.date, lateByDays: next.lateByDays }
      : null,
    spi: null,
    cpi: null,
    position: Math.max(summary?.position ?? 0, timeline?.position ?? 0, risks?.position ?? 0),
  };
}
