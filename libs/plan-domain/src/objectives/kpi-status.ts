/**
 * Strategic alignment: each objective's KPI over time (measurements recorded as `KpiMeasured`
 * facts), whether it is on track for its target by its due date, which tasks serve it, and
 * which tasks serve no objective at all (alignment gaps). Pure; "today" is an argument.
 *
 * Status of a KPI, in this order:
 *   no-data    no measurement and no `current` value;
 *   met        the latest value reached the target (in the target's direction);
 *   off-track  the due date passed without meeting it;
 *   otherwise progress (baseline → target) is compared with the share of the time from the
 *   start (plan start, else first measurement) to the due date that has passed: behind by at
 *   most ON_TRACK_TOLERANCE is on-track, by at most AT_RISK_TOLERANCE at-risk, else off-track.
 *   Without a due date only the direction counts: getting worse is at-risk.
 */
import type { IsoDate, Objective, Task } from '../plan-json';
import { epochDayOf, epochDayOfInstant } from '../scheduling/calendar-days';

export const KPI_MEASURED = 'KpiMeasured';

export interface KpiMeasuredData {
  readonly objectiveId: string;
  readonly value: number;
  /** when the value was measured (ISO time); may be earlier than when it was recorded */
  readonly at: string;
}

export interface KpiMeasurement extends KpiMeasuredData {
  /** who recorded it */
  readonly actor: string;
}

/**
 * A KPI moves linearly from baseline to target over its time; being 10 points of that path
 * behind is within the noise of monthly measurements, 25 points needs someone to act.
 */
export const ON_TRACK_TOLERANCE = 0.1;
export const AT_RISK_TOLERANCE = 0.25;

export const KPI_STATUSES = ['met', 'on-track', 'at-risk', 'off-track', 'no-data'] as const;
export type KpiStatus = (typeof KPI_STATUSES)[number];

export type KpiDirection = 'improving' | 'worsening' | 'flat' | 'unknown';

export interface KpiTrendPoint {
  readonly at: string;
  readonly value: number;
}

export interface LinkedTask {
  readonly id: string;
  readonly title: string;
  readonly status: string;
  readonly percentComplete: number;
}

export interface ObjectiveKpiStatus {
  readonly id: string;
  readonly title: string;
  readonly kpi: string;
  readonly unit: string;
  readonly baseline: number | null;
  readonly target: number;
  readonly due: IsoDate | null;
  /** the latest measurement, else the objective's `current` field */
  readonly current: number | null;
  /** time of the latest measurement; null when `current` came from the plan */
  readonly currentAt: string | null;
  /** share of the way from baseline to target, in percent (0.1 precision); null without data */
  readonly progressPercent: number | null;
  /** share of the way the KPI should have come by today, in percent; null without a due date */
  readonly expectedPercent: number | null;
  readonly status: KpiStatus;
  /** measurements up to today, oldest first */
  readonly trend: readonly KpiTrendPoint[];
  /** the last two values, judged against the target's direction */
  readonly direction: KpiDirection;
  readonly linkedTasks: readonly LinkedTask[];
  /** linked ids that are not tasks of the plan (milestones, or removed tasks) */
  readonly unmatchedLinkIds: readonly string[];
}

export interface AlignmentGap {
  readonly id: string;
  readonly title: string;
  readonly status: string;
}

export interface ObjectivesStatus {
  readonly today: IsoDate;
  readonly objectives: readonly ObjectiveKpiStatus[];
  readonly counts: Readonly<Record<KpiStatus, number>>;
  /** tasks no objective links to: work the plan cannot tie to a goal */
  readonly alignmentGaps: readonly AlignmentGap[];
}

export interface ObjectivesInput {
  readonly objectives: readonly Objective[];
  readonly tasks: readonly Pick<Task, 'id' | 'title' | 'status' | 'percentComplete'>[];
  readonly measurements: readonly KpiMeasurement[];
  /** day the KPI paths start from; the first measurement's day when absent */
  readonly planStart?: IsoDate | null;
  readonly today: IsoDate;
}

export function objectivesStatus(input: ObjectivesInput): ObjectivesStatus {
  const todayDay = epochDayOf(input.today);
  const tasks = new Map(input.tasks.map((t) => [t.id, t]));
  const linked = new Set<string>();
  const objectives = input.objectives.map((objective) => {
    const links = Array.isArray(objective.linkedTaskIds)
      ? objective.linkedTaskIds.filter((id): id is string => typeof id === 'string')
      : [];
    for (const id of links) linked.add(id);
    const measurements = input.measurements
      .filter(
        (m) =>
          m.objectiveId === objective.id &&
          (todayDay === null || (epochDayOfInstant(m.at) ?? Infinity) <= todayDay),
      )
      .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    return kpiStatus(objective, measurements, input.planStart ?? null, input.today, {
      linkedTasks: links.flatMap((id) => {
        const task = tasks.get(id);
        return task
          ? [
              {
                id,
                title: text(task.title),
                status: text(task.status),
                percentComplete: finite(task.percentComplete) ?? 0,
              },
            ]
          : [];
      }),
      unmatchedLinkIds: links.filter((id) => !tasks.has(id)),
    });
  });
  const counts = Object.fromEntries(KPI_STATUSES.map((s) => [s, 0])) as Record<KpiStatus, number>;
  for (const o of objectives) counts[o.status]++;
  return {
    today: input.today,
    objectives,
    counts,
    alignmentGaps: input.tasks
      .filter((t) => !linked.has(t.id))
      .map((t) => ({ id: t.id, title: text(t.title), status: text(t.status) })),
  };
}

function kpiStatus(
  objective: Objective,
  measurements: readonly KpiMeasurement[],
  planStart: IsoDate | null,
  today: IsoDate,
  links: Pick<ObjectiveKpiStatus, 'linkedTasks' | 'unmatchedLinkIds'>,
): ObjectiveKpiStatus {
  const target = finite(objective.target) ?? 0;
  const baseline = finite(objective.baseline);
  const latest = measurements[measurements.length - 1];
  const current = latest ? latest.value : finite(objective.current);
  const from = baseline ?? measurements[0]?.value ?? 0;
  const progress =
    current === null
      ? null
      : target === from
        ? current === target
          ? 1
          : 0
        : (current - from) / (target - from);
  const due =
    typeof objective.due === 'string' && epochDayOf(objective.due) !== null ? objective.due : null;
  const startDay = epochDayOf(planStart) ?? epochDayOfInstant(measurements[0]?.at);
  const todayDay = epochDayOf(today);
  const dueDay = epochDayOf(due);
  const expected =
    dueDay === null || todayDay === null || startDay === null || dueDay <= startDay
      ? null
      : Math.min(1, Math.max(0, (todayDay - startDay) / (dueDay - startDay)));
  const direction = directionOf(measurements, target, from);
  let status: KpiStatus;
  if (current === null || progress === null) status = 'no-data';
  else if (progress >= 1) status = 'met';
  else if (dueDay !== null && todayDay !== null && todayDay > dueDay) status = 'off-track';
  else if (expected === null) status = direction === 'worsening' ? 'at-risk' : 'on-track';
  else {
    const behind = expected - progress;
    status =
      behind <= ON_TRACK_TOLERANCE
        ? 'on-track'
        : behind <= AT_RISK_TOLERANCE
          ? 'at-risk'
          : 'off-track';
  }
  return {
    id: objective.id,
    title: text(objective.title),
    kpi: text(objective.kpi),
    unit: text(objective.unit),
    baseline,
    target,
    due,
    current,
    currentAt: latest?.at ?? null,
    progressPercent: progress === null ? null : round1(progress * 100),
    expectedPercent: expected === null ? null : round1(expected * 100),
    status,
    trend: measurements.map((m) => ({ at: m.at, value: m.value })),
    direction,
    ...links,
  };
}

function directionOf(
  measurements: readonly KpiMeasurement[],
  target: number,
  from: number,
): KpiDirection {
  if (measurements.length < 2) return 'unknown';
  const [before, last] = measurements.slice(-2).map((m) => m.value);
  if (before === last) return 'flat';
  const wantsHigher = target >= from;
  return last > before === wantsHigher ? 'improving' : 'worsening';
}

const finite = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;
const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const round1 = (value: number): number => Math.round(value * 10) / 10;
