/**
 * The facts a status report compares over time — finish date, progress, planned cost, critical
 * path, each risk's score and each milestone's date and status — and how to tell what they
 * were at an earlier time from the changes recorded since. Pure.
 *
 * The status history keeps one row per fact an event changed, with its value before and after,
 * so the value at time T is the `before` of the first change after T (or the current value when
 * nothing changed since): exact to the event, without a snapshot per event.
 */
import {
  computeSchedule,
  riskScore,
  sameScheduleInput,
  sameValue,
  type IsoDate,
  type PlanJson,
  type Schedule,
  type ScheduleInput,
} from '@lib/plan-domain';
import type { JsonValue } from '@lib/event-store';
import { planScheduleInput } from '../timeline/plan-schedule';

export interface RiskFact {
  readonly title: string;
  readonly probability: number;
  readonly impact: number;
  readonly score: number;
  readonly status: string;
}

export interface MilestoneFact {
  readonly title: string;
  /** when the schedule reaches it */
  readonly date: IsoDate;
  readonly status: string;
}

export interface StatusFacts {
  readonly projectFinish: IsoDate;
  readonly percentComplete: number;
  readonly plannedCost: number;
  readonly criticalPath: readonly string[];
  readonly risks: Readonly<Record<string, RiskFact>>;
  readonly milestones: Readonly<Record<string, MilestoneFact>>;
}

export const FACT_KINDS = [
  'finish',
  'progress',
  'planned-cost',
  'critical-path',
  'risk',
  'milestone',
] as const;
export type FactKind = (typeof FACT_KINDS)[number];

/** One fact one event changed; `null` before means it did not exist, after that it went away. */
export interface FactChange {
  readonly kind: FactKind;
  /** risk or milestone id; '' for plan-wide facts */
  readonly itemId: string;
  readonly before: JsonValue;
  readonly after: JsonValue;
}

export interface RecordedFactChange extends FactChange {
  readonly at: string;
  readonly position: number;
}

export const EMPTY_FACTS: StatusFacts = {
  projectFinish: '',
  percentComplete: 0,
  plannedCost: 0,
  criticalPath: [],
  risks: {},
  milestones: {},
};

/**
 * The last schedule computed for a plan and the input it was computed from. Many edits (titles,
 * costs, risks) leave the scheduling inputs alone, so the critical path need not be computed
 * again.
 */
export interface ScheduleMemo {
  current?: { readonly input: ScheduleInput; readonly schedule: Schedule };
}

export function statusFactsOf(
  plan: PlanJson,
  fallbackStart: IsoDate,
  memo: ScheduleMemo = {},
): StatusFacts {
  const { input } = planScheduleInput(plan, { fallbackStart });
  const kept = memo.current;
  const schedule =
    kept && sameScheduleInput(kept.input, input) ? kept.schedule : computeSchedule(input);
  memo.current = { input, schedule };
  const risks: Record<string, RiskFact> = {};
  for (const r of plan.risks) {
    const probability = numberOr0(r.probability);
    const impact = numberOr0(r.impact);
    risks[r.id] = {
      title: text(r.title),
      probability,
      impact,
      score: riskScore({ probability, impact }),
      status: text(r.status),
    };
  }
  const milestones: Record<string, MilestoneFact> = {};
  const titles = new Map(plan.milestones.map((m) => [m.id, m]));
  for (const a of schedule.activities) {
    const m = titles.get(a.id);
    if (a.milestone && m)
      milestones[a.id] = { title: text(m.title), date: a.start, status: text(m.status) };
  }
  return {
    projectFinish: schedule.projectFinish,
    percentComplete: schedule.percentComplete,
    plannedCost: plan.tasks.reduce((sum, t) => sum + numberOr0(t.cost), 0),
    criticalPath: schedule.criticalPath,
    risks,
    milestones,
  };
}

export function factChanges(before: StatusFacts, after: StatusFacts): FactChange[] {
  const changes: FactChange[] = [];
  const plain = (kind: FactKind, was: JsonValue, now: JsonValue) => {
    if (!sameValue(was, now)) changes.push({ kind, itemId: '', before: was, after: now });
  };
  plain('finish', before.projectFinish, after.projectFinish);
  plain('progress', before.percentComplete, after.percentComplete);
  plain('planned-cost', before.plannedCost, after.plannedCost);
  plain('critical-path', [...before.criticalPath], [...after.criticalPath]);
  const items = <T extends object>(
    kind: FactKind,
    was: Readonly<Record<string, T>>,
    now: Readonly<Record<string, T>>,
  ) => {
    if (was === now) return;
    for (const id of [...new Set([...Object.keys(was), ...Object.keys(now)])].sort()) {
      const a = Object.hasOwn(was, id) ? (was[id] as unknown as JsonValue) : null;
      const b = Object.hasOwn(now, id) ? (now[id] as unknown as JsonValue) : null;
      if (!sameValue(a, b)) changes.push({ kind, itemId: id, before: a, after: b });
    }
  };
  items('risk', before.risks, after.risks);
  items('milestone', before.milestones, after.milestones);
  return changes;
}

/**
 * The facts as they were before the first of `changesSince` (changes after some time T, in log
 * order): each fact a change touched takes that change's `before`.
 */
export function factsBefore(
  current: StatusFacts,
  changesSince: readonly FactChange[],
): StatusFacts {
  const seen = new Set<string>();
  let facts: StatusFacts = current;
  const risks: Record<string, RiskFact> = { ...current.risks };
  const milestones: Record<string, MilestoneFact> = { ...current.milestones };
  for (const change of changesSince) {
    const key = `${change.kind}\u0000${change.itemId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    switch (change.kind) {
      case 'finish':
        facts = { ...facts, projectFinish: change.before as string };
        break;
      case 'progress':
        facts = { ...facts, percentComplete: change.before as number };
        break;
      case 'planned-cost':
        facts = { ...facts, plannedCost: change.before as number };
        break;
      case 'critical-path':
        facts = { ...facts, criticalPath: change.before as string[] };
        break;
      case 'risk':
        if (change.before === null) delete risks[change.itemId];
        else risks[change.itemId] = change.before as unknown as RiskFact;
        break;
      case 'milestone':
        if (change.before === null) delete milestones[change.itemId];
        else milestones[change.itemId] = change.before as unknown as MilestoneFact;
        break;
      default: {
        const unhandled: never = change.kind;
        throw new Error(`unhandled fact kind ${String(unhandled)}`);
      }
    }
  }
  return { ...facts, risks, milestones };
}

const numberOr0 = (value: unknown): number =>
  typeof value === 'number' && Number.isFinite(value) ? value : 0;
const text = (value: unknown): string => (typeof value === 'string' ? value : '');
