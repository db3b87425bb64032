/**
 * Planned cost against budget, per category: the plan as a whole (task costs against
 * `meta.budget`), each budget resource (the costs of tasks that draw on it against its
 * `amount`), and labour and equipment at their day rates (no budget of their own, so shown
 * against the plan budget). Earned value is what the finished share of the work cost.
 */
import type { PlanMeta, Resource, Task } from '../plan-json';
import type { ResourceAllocation } from './resource-allocation';

export interface CostCategory {
  /** `plan`, `labour`, `equipment`, or `budget:<resourceId>` */
  readonly category: string;
  readonly name: string;
  readonly planned: number;
  /** the money set aside for it; null when the plan does not say */
  readonly budget: number | null;
  /** budget − planned; null without a budget */
  readonly remaining: number | null;
  readonly overBudget: boolean;
}

export interface CostPlan {
  readonly currency: string;
  readonly budget: number;
  readonly plannedCost: number;
  /** Σ task cost × percentComplete */
  readonly earnedValue: number;
  readonly categories: readonly CostCategory[];
}

/** What cost planning reads of a plan (tasks may come from a read model, so only these fields). */
export interface CostInput {
  readonly meta: Pick<PlanMeta, 'budget' | 'currency'>;
  readonly tasks: readonly Pick<Task, 'cost' | 'percentComplete' | 'resourceIds'>[];
  readonly resources: readonly Resource[];
}

export function costPlan(plan: CostInput, allocations: readonly ResourceAllocation[]): CostPlan {
  const budget = money(plan.meta.budget);
  const plannedCost = plan.tasks.reduce((sum, t) => sum + money(t.cost), 0);
  const earnedValue = plan.tasks.reduce(
    (sum, t) => sum + (money(t.cost) * Math.min(100, Math.max(0, money(t.percentComplete)))) / 100,
    0,
  );
  const rated = (kind: string) =>
    allocations.filter((a) => a.kind === kind).reduce((sum, a) => sum + (a.plannedCost ?? 0), 0);
  const categories: CostCategory[] = [
    category('plan', 'Plan (task costs)', plannedCost, budget),
    category('labour', 'Labour (day rates)', rated('person'), null),
    category('equipment', 'Equipment (day rates)', rated('equipment'), null),
    ...plan.resources
      .filter((r) => r.kind === 'budget')
      .map((r) =>
        category(
          `budget:${r.id}`,
          typeof r.name === 'string' ? r.name : r.id,
          plan.tasks
            .filter((t) => Array.isArray(t.resourceIds) && t.resourceIds.includes(r.id))
            .reduce((sum, t) => sum + money(t.cost), 0),
          typeof r.amount === 'number' && Number.isFinite(r.amount) ? r.amount : null,
        ),
      ),
  ];
  return {
    currency: typeof plan.meta.currency === 'string' ? plan.meta.currency : '',
    budget,
    plannedCost,
    earnedValue: Math.round(earnedValue * 100) / 100,
    categories,
  };
}

function category(id: string, name: string, planned: number, budget: number | null): CostCategory {
  return {
    category: id,
    name,
    planned,
    budget,
    remaining: budget === null ? null : budget - planned,
    overBudget: budget !== null && planned > budget,
  };
}

const money = (value: unknown): number =>
  typeof value === 'number' && Number.isFinite(value) ? value : 0;
