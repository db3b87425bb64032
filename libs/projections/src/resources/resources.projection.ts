/**
 * Projects the resources read model: per plan, its resources, budget, and every task with its
 * scheduled dates (critical path method, as the timeline computes them), people and cost.
 * Allocation per week and cost per category are computed from this when read.
 */
import type { RecordedEvent } from '@lib/event-store';
import {
  computeSchedule,
  type PlanCalendar,
  epochDayOfInstant,
  isoDateOfEpochDay,
  type PlanJson,
  type Resource,
} from '@lib/plan-domain';
import type { PlanDocuments } from '../projector/plan-documents';
import type { ProjectedChanges, Projection } from '../projector/projection';
import { yjsUpdateOf, type PlanEvent } from '../plan-stream';
import { rowJson } from '../row-json';
import type { SqlSession } from '../store/read-model-store.port';
import { planScheduleInput } from '../timeline/plan-schedule';

export const RESOURCES_TABLE = 'resources_plans';

const DDL: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS ${RESOURCES_TABLE} (
    plan_id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    position BIGINT NOT NULL,
    updated_at TEXT NOT NULL,
    first_event_at TEXT NOT NULL,
    content TEXT NOT NULL
  )`,
];

export interface ScheduledTask {
  readonly id: string;
  readonly title: string;
  readonly start: string;
  readonly finish: string;
  readonly durationDays: number;
  readonly assignees: readonly string[];
  readonly resourceIds: readonly string[];
  readonly cost: number;
  readonly percentComplete: number;
}

export interface ResourcesContent {
  readonly meta: Pick<PlanJson['meta'], 'budget' | 'currency'>;
  /** the working calendar tasks book days of; null (or absent, before it existed): every day */
  readonly calendar?: PlanCalendar | null;
  readonly resources: readonly Resource[];
  readonly tasks: readonly ScheduledTask[];
}

export class ResourcesProjection implements Projection {
  readonly readModel = 'resources' as const;
  // 2: working calendars
  readonly version = 2;
  readonly ddl = DDL;
  readonly tables = [RESOURCES_TABLE];

  async project(
    events: readonly PlanEvent[],
    documents: PlanDocuments,
    session: SqlSession,
  ): Promise<ProjectedChanges> {
    const touched = new Map<
      string,
      { first: RecordedEvent; last: RecordedEvent; updated: boolean }
    >();
    for (const planEvent of events) {
      documents.apply(planEvent);
      const entry = touched.get(planEvent.planId) ?? {
        first: planEvent.event,
        last: planEvent.event,
        updated: false,
      };
      entry.last = planEvent.event;
      entry.updated ||= yjsUpdateOf(planEvent.event) !== undefined;
      touched.set(planEvent.planId, entry);
    }
    const changed: string[] = [];
    for (const [planId, { first, last, updated }] of touched) {
      const [row] = await session.all<{ first_event_at: string; content: string }>(
        `SELECT first_event_at, content FROM ${RESOURCES_TABLE} WHERE plan_id = ?`,
        [planId],
      );
      const firstEventAt = row?.first_event_at ?? textOf(first.metadata.at);
      const content =
        !row || updated ? rowJson(contentOf(documents.plan(planId), firstEventAt)) : row.content;
      await session.run(
        `INSERT INTO ${RESOURCES_TABLE} (plan_id, version, position, updated_at, first_event_at, content) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (plan_id) DO UPDATE SET version = excluded.version, position = excluded.position,
           updated_at = excluded.updated_at, content = excluded.content`,
        [planId, last.version, last.position, textOf(last.metadata.at), firstEventAt, content],
      );
      if (row?.content !== content) changed.push(planId);
    }
    return { planIds: changed.sort(), entries: [] };
  }
}

function contentOf(plan: PlanJson, firstEventAt: string): ResourcesContent {
  // the timeline's day 0 for undated plans: the day of the plan's first event
  const firstDay = epochDayOfInstant(firstEventAt);
  const prepared = planScheduleInput(plan, {
    fallbackStart: firstDay === null ? '1970-01-01' : isoDateOfEpochDay(firstDay),
  });
  const schedule = computeSchedule(prepared.input);
  const dates = new Map(schedule.activities.map((a) => [a.id, a]));
  const calendar = plan.meta.calendar;
  return {
    meta: { budget: plan.meta.budget, currency: plan.meta.currency },
    calendar:
      prepared.calendarMode === 'calendar-days'
        ? null
        : prepared.invalidCalendar === null && typeof calendar === 'object' && calendar !== null
          ? calendar
          : {},
    resources: plan.resources,
    tasks: plan.tasks.flatMap((task): ScheduledTask[] => {
      const scheduled = dates.get(task.id);
      // tasks in a dependency cycle have no dates; the timeline reports them
      if (!scheduled) return [];
      return [
        {
          id: task.id,
          title: textOf(task.title),
          start: scheduled.start,
          finish: scheduled.finish,
          durationDays: scheduled.durationDays,
          assignees: Array.isArray(task.assignees) ? task.assignees : [],
          resourceIds: Array.isArray(task.resourceIds) ? task.resourceIds : [],
          cost: typeof task.cost === 'number' && Number.isFinite(task.cost) ? task.cost : 0,
          percentComplete:
            typeof task.percentComplete === 'number' && Number.isFinite(task.percentComplete)
              ? task.percentComplete
              : 0,
        },
      ];
    }),
  };
}

const textOf = (value: unknown): string => (typeof value === 'string' ? value : '');
