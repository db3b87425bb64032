/**
 * The status report of a plan for a period: progress against the baseline, milestones hit,
 * missed and slipped, critical-path changes, top risks and how they moved, budget burn, KPI
 * movement and status, scope change, over-allocated people, open feedback and who is due an
 * update. Pure: it reads the read models' views handed to it (`StatusReportSources`) and the
 * period; `status-report.query.ts` gathers them, the markdown/html modules render the result.
 */
import {
  epochDayOf,
  epochDayOfInstant,
  isoDateOfEpochDay,
  riskLevel,
  stakeholderUpdatesDue,
  type AlignmentGap,
  type CommentThread,
  type CostCategory,
  type EntityRef,
  type IsoDate,
  type KpiDirection,
  type KpiStatus,
  type ObjectivesStatus,
  type OverAllocation,
  type RiskLevel,
  type RiskRegister,
  type Stakeholder,
  type StakeholderUpdateDue,
} from '@lib/plan-domain';
import type { EarnedValue, EarnedValueWeek } from '@lib/plan-domain';
import type { ResourcesView } from '../resources/resources.read-model';
import type { ScopeView } from '../scope/scope.read-model';
import type { BaselineCapturedData } from '../timeline/baseline-captured';
import type { Timeline } from '../timeline/timeline';
import type { RiskFact, StatusFacts } from './status-facts';
import type { StatusHistoryView } from './status-reports.read-model';

export interface StatusReportSources {
  readonly planId: string;
  readonly timeline: Timeline;
  readonly baseline: BaselineCapturedData | undefined;
  readonly risks: RiskRegister;
  readonly objectives: ObjectivesStatus;
  readonly threads: readonly CommentThread[];
  readonly scope: ScopeView | undefined;
  readonly resources: ResourcesView;
  readonly history: StatusHistoryView;
  /** overall progress after each change, oldest first */
  readonly progressHistory: readonly { readonly at: string; readonly percentComplete: number }[];
  /** latest update sent per stakeholder id */
  readonly lastSent: Readonly<Record<string, string>>;
}

export interface StatusReportOptions {
  /** start of the period: ISO date or time (inclusive) */
  readonly since: string;
  /** end of the period: ISO date */
  readonly today: IsoDate;
  /** a stakeholder id (or name) the report is written for */
  readonly audience?: string;
}

/** How much a reader gets: stakeholders with little influence get the summary, without working detail. */
export type ReportDetail = 'full' | 'summary';

export interface ReportAudience {
  readonly stakeholderId: string;
  readonly name: string;
  readonly role: string;
  readonly channel: string;
  readonly cadence: string;
  readonly detail: ReportDetail;
}

export type MilestoneState = 'hit' | 'missed' | 'slipped' | 'on-track';

export interface MilestoneLine {
  readonly id: string;
  readonly title: string;
  /** when the schedule reaches it now */
  readonly date: IsoDate;
  readonly targetDate: IsoDate | null;
  readonly baselineDate: IsoDate | null;
  /** date − baseline date (else − target date), in days; positive is late */
  readonly slipDays: number | null;
  /** how far its date moved in the period */
  readonly movedInPeriodDays: number | null;
  readonly status: string;
  readonly state: MilestoneState;
  /** became done in the period */
  readonly hitInPeriod: boolean;
}

export interface ActivityRef {
  readonly id: string;
  readonly title: string;
}

export type RiskMovement = 'new' | 'up' | 'down' | 'same';

export interface RiskLine {
  readonly id: string;
  readonly title: string;
  readonly owner: string;
  readonly status: string;
  readonly probability: number;
  readonly impact: number;
  readonly score: number;
  readonly level: RiskLevel;
  readonly scoreAtSince: number | null;
  readonly movement: RiskMovement;
}

export interface KpiLine {
  readonly id: string;
  readonly title: string;
  readonly kpi: string;
  readonly unit: string;
  readonly baseline: number | null;
  readonly target: number;
  readonly due: IsoDate | null;
  readonly current: number | null;
  readonly valueAtSince: number | null;
  readonly change: number | null;
  readonly progressPercent: number | null;
  readonly expectedPercent: number | null;
  readonly status: KpiStatus;
  readonly direction: KpiDirection;
  readonly trend: readonly { readonly at: string; readonly value: number }[];
}

export interface ThreadLine {
  readonly threadId: string;
  readonly target: EntityRef;
  readonly targetTitle: string;
  readonly author: string;
  readonly excerpt: string;
  readonly replies: number;
  readonly lastActivityAt: string;
}

export interface BurnUpSeries {
  readonly dates: readonly IsoDate[];
  /** planned % complete by date per the baseline; empty without a baseline */
  readonly baseline: readonly number[];
  /** planned % complete by date per the current schedule */
  readonly planned: readonly number[];
  /** recorded % complete, up to today */
  readonly actual: readonly { readonly date: IsoDate; readonly percent: number }[];
  readonly today: IsoDate;
}

export interface StatusReport {
  readonly planId: string;
  readonly title: string;
  readonly currency: string;
  readonly period: { readonly since: string; readonly today: IsoDate };
  readonly audience: ReportAudience | null;
  /** the few sentences to read if nothing else */
  readonly highlights: readonly string[];
  readonly progress: {
    readonly percentComplete: number;
    readonly percentCompleteAtSince: number;
    /** what the baseline planned to be done by today, duration-weighted */
    readonly plannedPercentByBaseline: number | null;
    readonly projectFinish: IsoDate;
    readonly projectFinishAtSince: IsoDate | null;
    readonly baselineName: string | null;
    readonly baselineFinish: IsoDate | null;
    readonly finishDeltaDays: number | null;
    readonly slippedActivities: number;
  };
  readonly milestones: readonly MilestoneLine[];
  readonly criticalPath: {
    readonly activities: readonly ActivityRef[];
    readonly added: readonly ActivityRef[];
    readonly removed: readonly ActivityRef[];
  };
  readonly risks: {
    /** the open risks with the highest scores */
    readonly top: readonly RiskLine[];
    readonly rose: readonly RiskLine[];
    readonly fell: readonly RiskLine[];
    readonly added: readonly RiskLine[];
    readonly closed: readonly RiskLine[];
    readonly openCountsByLevel: Readonly<Record<RiskLevel, number>>;
    /** `heatMap[probability - 1][impact - 1]`, open risks */
    readonly heatMap: readonly (readonly number[])[];
  };
  readonly budget: {
    readonly budget: number;
    readonly plannedCost: number;
    readonly plannedCostAtSince: number;
    /** Σ task cost × percent complete */
    readonly earnedValue: number;
    /** Σ task cost × share of its scheduled days passed by today */
    readonly plannedValueToDate: number;
    /** earned value as a share of the budget, percent */
    readonly burnPercent: number | null;
    readonly overBudget: boolean;
    readonly categories: readonly CostCategory[];
  };
  readonly kpis: readonly KpiLine[];
  readonly alignmentGaps: readonly AlignmentGap[];
  readonly scope: {
    readonly baselineName: string;
    readonly added: readonly {
      readonly id: string;
      readonly title: string;
      readonly by: string | null;
      readonly cost: number;
    }[];
    readonly removed: readonly {
      readonly id: string;
      readonly title: string;
      readonly by: string | null;
    }[];
    readonly changedCount: number;
    readonly effortDeltaDays: number;
    readonly costDelta: number;
    readonly growthPercent: number;
    readonly thresholdPercent: number;
    readonly creepDetected: boolean;
  } | null;
  /** over-allocated resource-weeks from the start of the period to four weeks after today */
  readonly overAllocations: readonly OverAllocation[];
  readonly feedback: {
    readonly openThreads: number;
    readonly commentsInPeriod: number;
    readonly resolvedInPeriod: number;
    readonly threads: readonly ThreadLine[];
  };
  readonly communication: readonly StakeholderUpdateDue[];
  /**
   * Earned value as of the plan's status date (PV, EV, AC, SV, CV, SPI, CPI, EAC, ETC, VAC) and
   * its weekly S-curve; null while the plan has no status date.
   */
  readonly earnedValue: EarnedValue | null;
  readonly charts: {
    readonly burnUp: BurnUpSeries;
    /** cumulative PV, EV and AC per week; null without earned value */
    readonly sCurve: readonly EarnedValueWeek[] | null;
  };
}

const TOP_RISKS = 5;
const LISTED_THREADS = 10;
const LOOKAHEAD_DAYS = 28;
const EXCERPT = 140;

/** The audience named no stakeholder of the plan: a request error, naming what was asked for. */
export class UnknownAudienceError extends Error {
  readonly code = 'UNKNOWN_AUDIENCE';
  constructor(readonly audience: string) {
    super(
      `audience ${JSON.stringify(audience)} is no stakeholder of the plan (give a stakeholder id or name)`,
    );
    this.name = 'UnknownAudienceError';
  }
}

export const isUnknownAudienceError = (e: unknown): e is UnknownAudienceError =>
  typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'UNKNOWN_AUDIENCE';

export function buildStatusReport(
  sources: StatusReportSources,
  options: StatusReportOptions,
): StatusReport {
  const { timeline, history } = sources;
  const today = options.today;
  const todayDay = epochDayOf(today) ?? 0;
  const sinceDay = epochDayOf(options.since.slice(0, 10)) ?? todayDay;
  const now = history.facts;
  const then = history.factsAtSince;
  const titles = new Map(timeline.activities.map((a) => [a.id, a.title]));
  const ref = (id: string): ActivityRef => ({ id, title: titles.get(id) ?? id });
  const audience = audienceOf(history.content.stakeholders, options.audience);

  const baselineEntries = sources.baseline?.activities ?? {};
  const milestones = timeline.milestones.map((m): MilestoneLine => {
    const baselineDate = Object.hasOwn(baselineEntries, m.id) ? baselineEntries[m.id].start : null;
    const reference = baselineDate ?? m.targetDate;
    const slipDays = reference === null ? null : daysBetween(reference, m.date);
    const before = Object.hasOwn(then.milestones, m.id) ? then.milestones[m.id] : undefined;
    const done = m.status === 'done';
    const dueDay = epochDayOf(reference ?? m.date);
    const state: MilestoneState = done
      ? 'hit'
      : dueDay !== null && dueDay < todayDay
        ? 'missed'
        : (slipDays ?? 0) > 0 || m.lateByDays > 0
          ? 'slipped'
          : 'on-track';
    return {
      id: m.id,
      title: m.title,
      date: m.date,
      targetDate: m.targetDate,
      baselineDate,
      slipDays,
      movedInPeriodDays: before ? daysBetween(before.date, m.date) : null,
      status: m.status,
      state,
      hitInPeriod: done && before !== undefined && before.status !== 'done',
    };
  });

  const riskLines = riskLinesOf(sources.risks, then);
  const rose = riskLines.filter((r) => r.movement === 'up');
  const fell = riskLines.filter((r) => r.movement === 'down');
  const added = riskLines.filter((r) => r.movement === 'new');
  const closed = riskLines.filter(
    (r) =>
      r.status !== 'open' && Object.hasOwn(then.risks, r.id) && then.risks[r.id].status === 'open',
  );

  const kpis = sources.objectives.objectives.map((o): KpiLine => {
    const before = o.trend.filter((p) => p.at < options.since);
    const valueAtSince =
      before.length > 0
        ? before[before.length - 1].value
        : o.trend.length > 0
          ? (o.baseline ?? null)
          : o.current;
    return {
      id: o.id,
      title: o.title,
      kpi: o.kpi,
      unit: o.unit,
      baseline: o.baseline,
      target: o.target,
      due: o.due,
      current: o.current,
      valueAtSince,
      change: o.current === null || valueAtSince === null ? null : round1(o.current - valueAtSince),
      progressPercent: o.progressPercent,
      expectedPercent: o.expectedPercent,
      status: o.status,
      direction: o.direction,
      trend: o.trend,
    };
  });

  const tasks = sources.resources.tasks;
  const plannedValueToDate = tasks.reduce(
    (sum, t) => sum + t.cost * elapsedShare(t.start, t.finish, todayDay),
    0,
  );
  const costs = sources.resources.costs;
  const budget = {
    budget: costs.budget,
    plannedCost: costs.plannedCost,
    plannedCostAtSince: then.plannedCost,
    earnedValue: costs.earnedValue,
    plannedValueToDate: Math.round(plannedValueToDate * 100) / 100,
    burnPercent: costs.budget > 0 ? round1((costs.earnedValue / costs.budget) * 100) : null,
    overBudget: costs.plannedCost > costs.budget,
    categories: costs.categories,
  };

  const scope = sources.scope?.hasBaseline
    ? {
        baselineName: sources.scope.baseline.name,
        added: sources.scope.added.map((a) => ({
          id: a.id,
          title: a.title,
          by: a.addedBy,
          cost: a.cost,
        })),
        removed: sources.scope.removed.map((r) => ({ id: r.id, title: r.title, by: r.removedBy })),
        changedCount: sources.scope.changed.length,
        effortDeltaDays: sources.scope.totals.effortDeltaDays,
        costDelta: sources.scope.totals.costDelta,
        growthPercent: sources.scope.growthPercent,
        thresholdPercent: sources.scope.thresholdPercent,
        creepDetected: sources.scope.creepDetected,
      }
    : null;

  const overAllocations = sources.resources.overAllocations.filter((o) => {
    const monday = epochDayOf(o.weekStart) ?? 0;
    return monday + 6 >= sinceDay && monday <= todayDay + LOOKAHEAD_DAYS;
  });

  const targetTitle = targetTitles(sources);
  const inPeriod = (at: string) => at >= options.since;
  const comments = sources.threads.flatMap((t) => [t.root, ...t.replies]);
  const feedback = {
    openThreads: sources.threads.filter((t) => !t.resolved).length,
    commentsInPeriod: comments.filter((c) => inPeriod(c.postedAt)).length,
    resolvedInPeriod: sources.threads.filter(
      (t) => t.root.resolved !== null && inPeriod(t.root.resolved.at),
    ).length,
    threads: sources.threads
      .filter((t) => !t.resolved)
      .sort((a, b) =>
        a.lastActivityAt < b.lastActivityAt ? 1 : a.lastActivityAt > b.lastActivityAt ? -1 : 0,
      )
      .slice(0, LISTED_THREADS)
      .map((t): ThreadLine => ({
        threadId: t.threadId,
        target: t.target,
        targetTitle: targetTitle(t.target),
        author: t.root.author,
        excerpt: excerpt(t.root.text),
        replies: t.replies.length,
        lastActivityAt: t.lastActivityAt,
      })),
  };

  const communication = stakeholderUpdatesDue({
    stakeholders: history.content.stakeholders,
    lastSent: sources.lastSent,
    milestones: timeline.milestones.map((m) => ({ id: m.id, title: m.title, date: m.date })),
    planStart: timeline.planStart,
    today,
  }).filter((s) => s.due);

  const baselineFinish = sources.baseline?.projectFinish ?? null;
  const progress = {
    percentComplete: round1(timeline.percentComplete),
    percentCompleteAtSince: round1(then.percentComplete),
    plannedPercentByBaseline: sources.baseline
      ? round1(plannedPercent(Object.values(baselineEntries), todayDay))
      : null,
    projectFinish: timeline.projectFinish,
    projectFinishAtSince: then.projectFinish || null,
    baselineName: sources.baseline?.name ?? null,
    baselineFinish,
    finishDeltaDays:
      baselineFinish === null ? null : daysBetween(baselineFinish, timeline.projectFinish),
    slippedActivities: timeline.baseline?.slippedActivityIds.length ?? 0,
  };
  const criticalPath = {
    activities: now.criticalPath.map(ref),
    added: now.criticalPath.filter((id) => !then.criticalPath.includes(id)).map(ref),
    removed: then.criticalPath.filter((id) => !now.criticalPath.includes(id)).map(ref),
  };
  const full = audience?.detail !== 'summary';
  const report: StatusReport = {
    planId: sources.planId,
    title: history.content.title,
    currency: history.content.currency,
    period: { since: options.since, today },
    audience,
    highlights: [],
    progress,
    milestones,
    criticalPath,
    risks: {
      top: riskLines.filter((r) => r.status === 'open').slice(0, TOP_RISKS),
      rose,
      fell,
      added,
      closed,
      openCountsByLevel: sources.risks.openCountsByLevel,
      heatMap: sources.risks.heatMap,
    },
    budget,
    kpis,
    alignmentGaps: full ? sources.objectives.alignmentGaps : [],
    scope,
    overAllocations: full ? overAllocations : [],
    feedback,
    communication: full ? communication : [],
    earnedValue: timeline.earnedValue ?? null,
    charts: {
      burnUp: burnUp(sources, todayDay),
      sCurve: timeline.earnedValue?.weeks ?? null,
    },
  };
  return { ...report, highlights: highlightsOf(report) };
}

function audienceOf(
  stakeholders: readonly Stakeholder[],
  wanted: string | undefined,
): ReportAudience | null {
  if (wanted === undefined || wanted === '') return null;
  const lower = wanted.toLowerCase();
  const s =
    stakeholders.find((x) => x.id === wanted) ??
    stakeholders.find((x) => typeof x.name === 'string' && x.name.toLowerCase() === lower);
  if (!s) throw new UnknownAudienceError(wanted);
  return {
    stakeholderId: s.id,
    name: String(s.name ?? s.id),
    role: String(s.role ?? ''),
    channel: String(s.channel ?? ''),
    cadence: String(s.cadence ?? ''),
    // the same threshold as the stakeholder grid: 3 of 5 or more is high influence
    detail: typeof s.influence === 'number' && s.influence >= 3 ? 'full' : 'summary',
  };
}

function riskLinesOf(register: RiskRegister, then: StatusFacts): RiskLine[] {
  return register.risks.map((r): RiskLine => {
    const before: RiskFact | undefined = Object.hasOwn(then.risks, r.id)
      ? then.risks[r.id]
      : undefined;
    return {
      id: r.id,
      title: r.title ?? r.id,
      owner: r.owner ?? '',
      status: r.status,
      probability: r.probability,
      impact: r.impact,
      score: r.score,
      level: riskLevel(r.score),
      scoreAtSince: before?.score ?? null,
      movement: !before
        ? 'new'
        : r.score > before.score
          ? 'up'
          : r.score < before.score
            ? 'down'
            : 'same',
    };
  });
}

function targetTitles(sources: StatusReportSources): (target: EntityRef) => string {
  const titles = new Map<string, string>();
  for (const a of sources.timeline.activities) titles.set(`${a.kind}:${a.id}`, a.title);
  for (const r of sources.risks.risks) titles.set(`risk:${r.id}`, r.title ?? r.id);
  for (const o of sources.objectives.objectives) titles.set(`objective:${o.id}`, o.title);
  for (const s of sources.history.content.stakeholders)
    titles.set(`stakeholder:${s.id}`, String(s.name));
  for (const p of sources.timeline.phases) titles.set(`phase:${p.phaseId}`, p.title ?? p.phaseId);
  return (target) =>
    target.type === 'plan'
      ? 'the plan'
      : (titles.get(`${target.type}:${target.id}`) ?? `${target.type} ${target.id}`);
}

/** duration-weighted share of the work scheduled to be done by `day`, percent */
function plannedPercent(
  spans: readonly { readonly start: IsoDate; readonly finish: IsoDate }[],
  day: number,
): number {
  let total = 0;
  let done = 0;
  for (const span of spans) {
    const start = epochDayOf(span.start);
    const finish = epochDayOf(span.finish);
    if (start === null || finish === null || finish <= start) continue;
    total += finish - start;
    done += (finish - start) * elapsedShare(span.start, span.finish, day);
  }
  return total === 0 ? 0 : (done / total) * 100;
}

/** how much of [start, finish) lies before `day` (0–1); a 0-day span is done once reached */
function elapsedShare(start: IsoDate, finish: IsoDate, day: number): number {
  const s = epochDayOf(start);
  const f = epochDayOf(finish);
  if (s === null || f === null) return 0;
  if (f <= s) return day >= s ? 1 : 0;
  return Math.min(1, Math.max(0, (day - s) / (f - s)));
}

const MAX_CHART_POINTS = 60;

function burnUp(sources: StatusReportSources, todayDay: number): BurnUpSeries {
  const { timeline, baseline } = sources;
  const spans = timeline.activities.map((a) => ({ start: a.start, finish: a.finish }));
  const baselineSpans = Object.values(baseline?.activities ?? {});
  const first = epochDayOf(timeline.planStart) ?? todayDay;
  const last = Math.max(
    epochDayOf(timeline.projectFinish) ?? first,
    epochDayOf(baseline?.projectFinish) ?? first,
    first + 1,
  );
  const step = Math.max(1, Math.ceil((last - first) / MAX_CHART_POINTS));
  const days: number[] = [];
  for (let d = first; d < last; d += step) days.push(d);
  days.push(last);
  // the recorded progress as a step line: each change holds until the next
  const actual: { date: IsoDate; percent: number }[] = [];
  let percent = 0;
  let cursor = 0;
  const points = sources.progressHistory
    .map((p) => ({ day: epochDayOfInstant(p.at), percent: p.percentComplete }))
    .filter((p): p is { day: number; percent: number } => p.day !== null);
  for (const d of [...days.filter((d) => d < todayDay), todayDay]) {
    while (cursor < points.length && points[cursor].day <= d) percent = points[cursor++].percent;
    actual.push({
      date: isoDateOfEpochDay(d),
      percent: round1(d === todayDay ? timeline.percentComplete : percent),
    });
  }
  return {
    dates: days.map(isoDateOfEpochDay),
    baseline: baseline ? days.map((d) => round1(plannedPercent(baselineSpans, d))) : [],
    planned: days.map((d) => round1(plannedPercent(spans, d))),
    actual,
    today: isoDateOfEpochDay(todayDay),
  };
}

function highlightsOf(report: StatusReport): string[] {
  const lines: string[] = [];
  const { progress } = report;
  const planned =
    progress.plannedPercentByBaseline === null
      ? ''
      : ` (baseline planned ${progress.plannedPercentByBaseline}% by now)`;
  lines.push(
    `${progress.percentComplete}% complete${planned}; finish forecast ${progress.projectFinish}${
      progress.finishDeltaDays
        ? `, ${Math.abs(progress.finishDeltaDays)} days ${progress.finishDeltaDays > 0 ? 'later' : 'earlier'} than the baseline`
        : ''
    }.`,
  );
  const slipped = report.milestones.filter((m) => m.state === 'slipped' || m.state === 'missed');
  for (const m of slipped.slice(0, 3)) {
    lines.push(
      m.state === 'missed'
        ? `Milestone "${m.title}" missed: due ${m.baselineDate ?? m.targetDate}, not done.`
        : `Milestone "${m.title}" slipped ${m.slipDays ?? 0} days to ${m.date}.`,
    );
  }
  for (const m of report.milestones.filter((x) => x.hitInPeriod))
    lines.push(`Milestone "${m.title}" hit.`);
  for (const r of report.risks.rose.slice(0, 3))
    lines.push(`Risk "${r.title}" rose from ${r.scoreAtSince} to ${r.score} (${r.level}).`);
  for (const k of report.kpis.filter((x) => x.status === 'off-track' || x.status === 'at-risk')) {
    lines.push(
      `KPI "${k.kpi || k.title}" is ${k.status}: ${k.current ?? '–'} ${k.unit} against a target of ${k.target} ${k.unit}.`,
    );
  }
  if (report.scope?.creepDetected)
    lines.push(
      `Scope grew ${report.scope.growthPercent}% since baseline "${report.scope.baselineName}" (threshold ${report.scope.thresholdPercent}%).`,
    );
  if (report.criticalPath.added.length > 0)
    lines.push(
      `Critical path now runs through ${report.criticalPath.added.map((a) => `"${a.title}"`).join(', ')}.`,
    );
  if (report.budget.overBudget)
    lines.push(
      `Planned cost ${report.budget.plannedCost} exceeds the budget of ${report.budget.budget} ${report.currency}.`,
    );
  if (report.overAllocations.length > 0) {
    const people = [...new Set(report.overAllocations.map((o) => o.name))];
    lines.push(`Over-allocated: ${people.join(', ')}.`);
  }
  if (report.feedback.openThreads > 0)
    lines.push(`${report.feedback.openThreads} open feedback thread(s).`);
  return lines;
}

function daysBetween(from: IsoDate, to: IsoDate): number | null {
  const a = epochDayOf(from);
  const b = epochDayOf(to);
  return a === null || b === null ? null : b - a;
}

function excerpt(text: string): string {
  return text.length <= EXCERPT ? text : `${text.slice(0, EXCERPT - 1)}…`;
}

const round1 = (value: number): number => Math.round(value * 10) / 10;
