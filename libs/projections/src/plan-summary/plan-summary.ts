/**
 * What a plan holds at a glance: counts, planned cost against budget, objectives against their
 * KPI targets, stakeholders on the influence/interest grid, and validation problems. Pure.
 *
 * Stakeholder grid: influence and interest are 1–5; a value of 3 or more counts as high. The
 * scale's midpoint ("medium", what plan files' `medium` imports as) goes to the high side on
 * purpose: treating a medium stakeholder as one to keep informed costs a few messages,
 * treating them as one to merely monitor is how stakeholders end up surprised.
 */
import {
  COLLECTIONS,
  RESOURCE_KINDS,
  validatePlan,
  WORK_STATUSES,
  type CollectionName,
  type PlanJson,
  type PlanProblem,
  type ResourceKind,
  type WorkStatus,
} from '@lib/plan-domain';

export const STAKEHOLDER_HIGH_FROM = 3;

export const STAKEHOLDER_QUADRANTS = [
  'manage-closely',
  'keep-satisfied',
  'keep-informed',
  'monitor',
] as const;
export type StakeholderQuadrant = (typeof STAKEHOLDER_QUADRANTS)[number];

export interface ResourceKindCost {
  readonly resources: number;
  /** durations of the tasks that list a resource of this kind in resourceIds, summed per resource */
  readonly assignedTaskDays: number;
  /** costRatePerDay × assigned task days (people and equipment) */
  readonly rateCost: number;
  /** amounts available (budget resources) */
  readonly amount: number;
}

export interface BudgetSummary {
  readonly currency: string;
  readonly budget: number;
  /** sum of task cost */
  readonly plannedCost: number;
  readonly remaining: number;
  readonly overBudget: boolean;
  readonly byResourceKind: Readonly<Record<ResourceKind, ResourceKindCost>>;
}

export interface ObjectiveStatus {
  readonly id: string;
  readonly title: string;
  readonly kpi: string;
  readonly unit: string;
  readonly baseline: number | null;
  readonly target: number;
  readonly current: number | null;
  readonly due: string | null;
  /**
   * How far `current` has moved from `baseline` (0 when absent) towards `target`, in percent,
   * rounded to 0.1; works for targets below the baseline too. Null without a current value or
   * when target equals baseline.
   */
  readonly progressPercent: number | null;
  readonly status: 'met' | 'in-progress' | 'no-data';
}

export interface StakeholderEntry {
  readonly id: string;
  readonly name: string;
  readonly role: string;
  readonly influence: number;
  readonly interest: number;
}

export interface PlanContentSummary {
  readonly counts: Readonly<Record<CollectionName, number>>;
  readonly tasksByStatus: Readonly<Record<WorkStatus, number>>;
  readonly budget: BudgetSummary;
  readonly objectives: readonly ObjectiveStatus[];
  readonly stakeholders: Readonly<Record<StakeholderQuadrant, readonly StakeholderEntry[]>>;
  readonly problems: readonly PlanProblem[];
}

export function summarizePlan(plan: PlanJson): PlanContentSummary {
  const counts = Object.fromEntries(COLLECTIONS.map((c) => [c, plan[c].length])) as Record<
    CollectionName,
    number
  >;
  const tasksByStatus = Object.fromEntries(WORK_STATUSES.map((s) => [s, 0])) as Record<
    WorkStatus,
    number
  >;
  for (const task of plan.tasks)
    if (Object.hasOwn(tasksByStatus, task.status)) tasksByStatus[task.status]++;
  return {
    counts,
    tasksByStatus,
    budget: budgetOf(plan),
    objectives: plan.objectives.map(objectiveStatus),
    stakeholders: stakeholderGrid(plan),
    problems: validatePlan(plan),
  };
}

function budgetOf(plan: PlanJson): BudgetSummary {
  const budget = numberOr0(plan.meta.budget);
  const plannedCost = plan.tasks.reduce((sum, task) => sum + numberOr0(task.cost), 0);
  const byResourceKind = Object.fromEntries(
    RESOURCE_KINDS.map((kind) => [
      kind,
      { resources: 0, assignedTaskDays: 0, rateCost: 0, amount: 0 },
    ]),
  ) as Record<
    ResourceKind,
    { resources: number; assignedTaskDays: number; rateCost: number; amount: number }
  >;
  const daysByResource = new Map<string, number>();
  for (const task of plan.tasks) {
    if (!Array.isArray(task.resourceIds)) continue;
    for (const resourceId of new Set(task.resourceIds)) {
      daysByResource.set(
        resourceId,
        (daysByResource.get(resourceId) ?? 0) + numberOr0(task.durationDays),
      );
    }
  }
  for (const resource of plan.resources) {
    if (!Object.hasOwn(byResourceKind, resource.kind)) continue;
    const kind = byResourceKind[resource.kind];
    const days = daysByResource.get(resource.id) ?? 0;
    kind.resources++;
    kind.assignedTaskDays += days;
    kind.rateCost += days * numberOr0(resource.costRatePerDay);
    kind.amount += numberOr0(resource.amount);
  }
  return {
    currency: typeof plan.meta.currency === 'string' ? plan.meta.currency : '',
    budget,
    plannedCost,
    remaining: budget - plannedCost,
    overBudget: plannedCost > budget,
    byResourceKind,
  };
}

function objectiveStatus(objective: PlanJson['objectives'][number]): ObjectiveStatus {
  const target = numberOr0(objective.target);
  const baseline = finiteOrNull(objective.baseline);
  const current = finiteOrNull(objective.current);
  const from = baseline ?? 0;
  const progressPercent =
    current === null || target === from
      ? null
      : Math.round(((current - from) / (target - from)) * 1000) / 10;
  const met =
    current !== null && (target === from ? current === target : (progressPercent ?? 0) >= 100);
  return {
    id: objective.id,
    title: textOr(objective.title),
    kpi: textOr(objective.kpi),
    unit: textOr(objective.unit),
    baseline,
    target,
    current,
    due: typeof objective.due === 'string' ? objective.due : null,
    progressPercent,
    status: current === null ? 'no-data' : met ? 'met' : 'in-progress',
  };
}

export function stakeholderQuadrant(influence: number, interest: number): StakeholderQuadrant {
  const powerful = influence >= STAKEHOLDER_HIGH_FROM;
  const interested = interest >= STAKEHOLDER_HIGH_FROM;
  if (powerful) return interested ? 'manage-closely' : 'keep-satisfied';
  return interested ? 'keep-informed' : 'monitor';
}

function stakeholderGrid(plan: PlanJson): Record<StakeholderQuadrant, StakeholderEntry[]> {
  const grid = Object.fromEntries(STAKEHOLDER_QUADRANTS.map((q) => [q, []])) as unknown as Record<
    StakeholderQuadrant,
    StakeholderEntry[]
  >;
  for (const s of plan.stakeholders) {
    const influence = numberOr0(s.influence);
    const interest = numberOr0(s.interest);
    grid[stakeholderQuadrant(influence, interest)].push({
      id: s.id,
      name: textOr(s.name),
      role: textOr(s.role),
      influence,
      interest,
    });
  }
  return grid;
}

const numberOr0 = (value: unknown): number =>
  typeof value === 'number' && Number.isFinite(value) ? value : 0;
const finiteOrNull = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;
const textOr = (value: unknown): string => (typeof value === 'string' ? value : '');
