/**
 * Scope change against a baseline: which tasks and milestones were added or removed since it
 * was captured, how effort (task duration days) and cost moved, how far the finish moved, and
 * who made each change. Pure: the projection records attributed changes event by event with
 * `scopeChangesBetween` and builds the report with `buildScopeReport`.
 *
 * Scope creep is growth: the largest of effort growth, cost growth and items added (each as a
 * percentage of the baseline). Removing work is change, not creep, so it never raises the alarm
 * and does not offset what was added in the percentage of items added.
 */
import type { IsoDate, PlanJson } from '../plan-json';
import { epochDayOf } from '../scheduling/calendar-days';

export type ScopeItemKind = 'task' | 'milestone';

export interface ScopeItem {
  readonly id: string;
  readonly kind: ScopeItemKind;
  readonly title: string;
  /** 0 for milestones */
  readonly durationDays: number;
  /** 0 for milestones */
  readonly cost: number;
}

export interface ScopeBaseline {
  readonly baselineId: string;
  readonly name: string;
  readonly capturedAt: string;
  readonly projectFinish: IsoDate;
  readonly items: readonly ScopeItem[];
}

export type ScopeChangeType = 'added' | 'removed' | 'changed';

/** One item changed by one event, with who did it. */
export interface ScopeChangeRecord {
  readonly at: string;
  readonly actor: string;
  /** plan stream version of the event */
  readonly version: number;
  readonly change: ScopeChangeType;
  readonly itemId: string;
  readonly kind: ScopeItemKind;
  readonly title: string;
  readonly durationDeltaDays: number;
  readonly costDelta: number;
}

export interface AddedItem extends ScopeItem {
  readonly addedBy: string | null;
  readonly addedAt: string | null;
}

export interface RemovedItem extends ScopeItem {
  readonly removedBy: string | null;
  readonly removedAt: string | null;
}

export interface ChangedItem {
  readonly id: string;
  readonly kind: ScopeItemKind;
  readonly title: string;
  readonly baselineDurationDays: number;
  readonly durationDays: number;
  readonly durationDeltaDays: number;
  readonly baselineCost: number;
  readonly cost: number;
  readonly costDelta: number;
  /** everyone who changed its duration or cost since the baseline, in order */
  readonly changedBy: readonly string[];
}

export interface ScopeTotals {
  readonly baselineItems: number;
  readonly items: number;
  readonly baselineEffortDays: number;
  readonly effortDays: number;
  readonly effortDeltaDays: number;
  readonly effortDeltaPercent: number;
  readonly baselineCost: number;
  readonly cost: number;
  readonly costDelta: number;
  readonly costDeltaPercent: number;
  /** items added as a percentage of the baseline's items */
  readonly addedItemsPercent: number;
  /** current project finish − baseline finish, in days; positive is later */
  readonly scheduleDeltaDays: number | null;
}

export interface ScopeReport {
  readonly baseline: Omit<ScopeBaseline, 'items'>;
  readonly projectFinish: IsoDate | null;
  readonly added: readonly AddedItem[];
  readonly removed: readonly RemovedItem[];
  readonly changed: readonly ChangedItem[];
  readonly totals: ScopeTotals;
  /** max(effort growth, cost growth, items added), in percent, never below 0 */
  readonly growthPercent: number;
  readonly thresholdPercent: number;
  /** growth above the threshold */
  readonly creepDetected: boolean;
  /** every attributed change since the baseline, in log order */
  readonly changes: readonly ScopeChangeRecord[];
}

/** The plan's tasks and milestones as scope items; unusable numbers count as 0. */
export function scopeItemsOf(plan: Pick<PlanJson, 'tasks' | 'milestones'>): ScopeItem[] {
  return [
    ...plan.tasks.map((t): ScopeItem => ({
      id: t.id,
      kind: 'task',
      title: text(t.title),
      durationDays: amount(t.durationDays),
      cost: amount(t.cost),
    })),
    ...plan.milestones.map((m): ScopeItem => ({
      id: m.id,
      kind: 'milestone',
      title: text(m.title),
      durationDays: 0,
      cost: 0,
    })),
  ];
}

/** What one event did to the scope: items added, removed, or with a new duration or cost. */
export function scopeChangesBetween(
  before: readonly ScopeItem[],
  after: readonly ScopeItem[],
  event: { readonly at: string; readonly actor: string; readonly version: number },
): ScopeChangeRecord[] {
  const old = new Map(before.map((i) => [i.id, i]));
  const now = new Map(after.map((i) => [i.id, i]));
  const records: ScopeChangeRecord[] = [];
  const record = (
    change: ScopeChangeType,
    item: ScopeItem,
    durationDeltaDays: number,
    costDelta: number,
  ) =>
    records.push({
      ...event,
      change,
      itemId: item.id,
      kind: item.kind,
      title: item.title,
      durationDeltaDays,
      costDelta,
    });
  for (const item of after) {
    const was = old.get(item.id);
    if (!was) record('added', item, item.durationDays, item.cost);
    else if (was.durationDays !== item.durationDays || was.cost !== item.cost) {
      record('changed', item, item.durationDays - was.durationDays, item.cost - was.cost);
    }
  }
  for (const item of before)
    if (!now.has(item.id)) record('removed', item, -item.durationDays, -item.cost);
  return records;
}

export interface ScopeReportInput {
  readonly baseline: ScopeBaseline;
  readonly items: readonly ScopeItem[];
  readonly projectFinish: IsoDate | null;
  /** attributed changes since the baseline, in log order */
  readonly changes: readonly ScopeChangeRecord[];
  readonly thresholdPercent: number;
}

export function buildScopeReport(input: ScopeReportInput): ScopeReport {
  const { baseline, items, changes } = input;
  const before = new Map(baseline.items.map((i) => [i.id, i]));
  const now = new Map(items.map((i) => [i.id, i]));
  const last = (id: string, change: ScopeChangeType) =>
    [...changes].reverse().find((c) => c.itemId === id && c.change === change);
  const added = items
    .filter((i) => !before.has(i.id))
    .map((i): AddedItem => {
      const by = last(i.id, 'added');
      return { ...i, addedBy: by?.actor ?? null, addedAt: by?.at ?? null };
    });
  const removed = baseline.items
    .filter((i) => !now.has(i.id))
    .map((i): RemovedItem => {
      const by = last(i.id, 'removed');
      return { ...i, removedBy: by?.actor ?? null, removedAt: by?.at ?? null };
    });
  const changed = items.flatMap((i): ChangedItem[] => {
    const was = before.get(i.id);
    if (!was || (was.durationDays === i.durationDays && was.cost === i.cost)) return [];
    return [
      {
        id: i.id,
        kind: i.kind,
        title: i.title,
        baselineDurationDays: was.durationDays,
        durationDays: i.durationDays,
        durationDeltaDays: i.durationDays - was.durationDays,
        baselineCost: was.cost,
        cost: i.cost,
        costDelta: i.cost - was.cost,
        changedBy: [...new Set(changes.filter((c) => c.itemId === i.id).map((c) => c.actor))],
      },
    ];
  });
  const sum = (list: readonly ScopeItem[], field: 'durationDays' | 'cost') =>
    list.reduce((total, i) => total + i[field], 0);
  const baselineEffortDays = sum(baseline.items, 'durationDays');
  const effortDays = sum(items, 'durationDays');
  const baselineCost = sum(baseline.items, 'cost');
  const cost = sum(items, 'cost');
  const finishNow = epochDayOf(input.projectFinish);
  const finishThen = epochDayOf(baseline.projectFinish);
  const totals: ScopeTotals = {
    baselineItems: baseline.items.length,
    items: items.length,
    baselineEffortDays,
    effortDays,
    effortDeltaDays: effortDays - baselineEffortDays,
    effortDeltaPercent: percentOf(effortDays - baselineEffortDays, baselineEffortDays),
    baselineCost,
    cost,
    costDelta: cost - baselineCost,
    costDeltaPercent: percentOf(cost - baselineCost, baselineCost),
    addedItemsPercent: percentOf(added.length, baseline.items.length),
    scheduleDeltaDays: finishNow === null || finishThen === null ? null : finishNow - finishThen,
  };
  const growthPercent = Math.max(
    0,
    totals.effortDeltaPercent,
    totals.costDeltaPercent,
    totals.addedItemsPercent,
  );
  const { items: _items, ...baselineSummary } = baseline;
  return {
    baseline: baselineSummary,
    projectFinish: input.projectFinish,
    added,
    removed,
    changed,
    totals,
    growthPercent,
    thresholdPercent: input.thresholdPercent,
    creepDetected: growthPercent > input.thresholdPercent,
    changes,
  };
}

/** delta as a percentage of base, 0.1 precision; growth from nothing counts as 100 % */
function percentOf(delta: number, base: number): number {
  if (base === 0) return delta > 0 ? 100 : delta < 0 ? -100 : 0;
  return Math.round((delta / base) * 1000) / 10;
}

const amount = (value: unknown): number =>
  typeof value === 'number' && Number.isFinite(value) ? value : 0;
const text = (value: unknown): string => (typeof value === 'string' ? value : '');
