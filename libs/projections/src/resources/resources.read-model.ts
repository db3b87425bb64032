/**
 * Queries over the resources read model: allocation per person/equipment per ISO week with
 * over-allocations, and planned cost against budget per category, optionally for a date range.
 */
import {
  allocateResources,
  costPlan,
  epochDayOf,
  WorkCalendar,
  type CostPlan,
  type ResourceAllocationReport,
} from '@lib/plan-domain';
import type { ReadModelStore } from '../store/read-model-store.port';
import { RESOURCES_TABLE, type ResourcesContent, type ScheduledTask } from './resources.projection';

export interface AllocationQuery {
  /** only weeks ending on or after this day (YYYY-MM-DD) */
  readonly from?: string;
  /** only weeks starting on or before this day */
  readonly to?: string;
}

export interface ResourcesView extends ResourceAllocationReport {
  readonly planId: string;
  readonly version: number;
  readonly position: number;
  readonly costs: CostPlan;
  /** the tasks with their scheduled dates, people and cost */
  readonly tasks: readonly ScheduledTask[];
}

export class ResourcesReadModel {
  constructor(private readonly store: ReadModelStore) {}

  /** undefined when no event of the plan has been projected */
  async allocation(
    planId: string,
    query: AllocationQuery = {},
  ): Promise<ResourcesView | undefined> {
    const [row] = await this.store.all<{ version: number; position: number; content: string }>(
      `SELECT version, position, content FROM ${RESOURCES_TABLE} WHERE plan_id = ?`,
      [planId],
    );
    if (!row) return undefined;
    const content = JSON.parse(row.content) as ResourcesContent;
    const report = allocateResources(content.resources, content.tasks, {
      calendar: content.calendar ? WorkCalendar.of(content.calendar) : undefined,
    });
    const costs = costPlan(content, report.resources);
    const from = epochDayOf(query.from);
    const to = epochDayOf(query.to);
    const inRange = (weekStart: string): boolean => {
      const monday = epochDayOf(weekStart)!;
      return (from === null || monday + 6 >= from) && (to === null || monday <= to);
    };
    return {
      planId,
      version: row.version,
      position: row.position,
      ...report,
      resources: report.resources.map((r) => ({
        ...r,
        weeks: r.weeks.filter((w) => inRange(w.weekStart)),
      })),
      overAllocations: report.overAllocations.filter((o) => inRange(o.weekStart)),
      costs,
      tasks: content.tasks,
    };
  }
}
