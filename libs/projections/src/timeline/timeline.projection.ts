/**
 * Projects the timeline read model: one row per plan holding its computed timeline, recomputed
 * when the document or its baseline changed, and the plan's baselines. Listeners hear about a
 * plan only when its timeline really changed, so `timeline.changed` means something.
 */
import type { RecordedEvent } from '@lib/event-store';
import {
  ACTUAL_COST_RECORDED,
  epochDayOfInstant,
  isoDateOfEpochDay,
  parseActualCostRecorded,
  type ActualCost,
} from '@lib/plan-domain';
import type { PlanDocuments } from '../projector/plan-documents';
import type { ProjectedChanges, Projection } from '../projector/projection';
import { yjsUpdateOf, type PlanEvent } from '../plan-stream';
import { rowJson } from '../row-json';
import type { SqlSession } from '../store/read-model-store.port';
import {
  BASELINE_CAPTURED,
  parseBaselineCaptured,
  type BaselineCapturedData,
} from './baseline-captured';
import { buildTimeline } from './timeline';

export const TIMELINE_TABLES = [
  'timeline_plans',
  'timeline_baselines',
  'timeline_actual_costs',
] as const;

const DDL: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS timeline_plans (
    plan_id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    position BIGINT NOT NULL,
    updated_at TEXT NOT NULL,
    first_event_at TEXT NOT NULL,
    timeline TEXT NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS timeline_baselines (
    plan_id TEXT NOT NULL,
    baseline_id TEXT NOT NULL,
    name TEXT NOT NULL,
    captured_at TEXT NOT NULL,
    position BIGINT NOT NULL,
    baseline TEXT NOT NULL,
    PRIMARY KEY (plan_id, baseline_id)
  )`,
  `CREATE TABLE IF NOT EXISTS timeline_actual_costs (
    plan_id TEXT NOT NULL,
    position BIGINT NOT NULL,
    task_id TEXT NOT NULL,
    amount DOUBLE PRECISION NOT NULL,
    cost_date TEXT NOT NULL,
    note TEXT,
    actor TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (plan_id, position)
  )`,
];

/** Day 0 of a plan with no dates at all; only reached if its first event has no readable time. */
const EPOCH_DATE = '1970-01-01';

interface Touched {
  readonly first: RecordedEvent;
  last: RecordedEvent;
  /** whether the schedule can have changed: a document update or a new baseline */
  reschedule: boolean;
}

export class TimelineProjection implements Projection {
  readonly readModel = 'timeline' as const;
  // 2: working calendars, constraints, progress, earned value and actual costs
  readonly version = 2;
  readonly ddl = DDL;
  readonly tables = TIMELINE_TABLES;

  async project(
    events: readonly PlanEvent[],
    documents: PlanDocuments,
    session: SqlSession,
  ): Promise<ProjectedChanges> {
    const touched = new Map<string, Touched>();
    for (const planEvent of events) {
      const { planId, event } = planEvent;
      documents.apply(planEvent);
      let reschedule = yjsUpdateOf(event) !== undefined;
      if (event.type === ACTUAL_COST_RECORDED) {
        const cost = event.data instanceof Uint8Array ? null : parseActualCostRecorded(event.data);
        // a malformed booking costs nothing; the change log still shows the event
        if (cost !== null) {
          await session.run(
            `INSERT INTO timeline_actual_costs (plan_id, position, task_id, amount, cost_date, note, actor, recorded_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (plan_id, position) DO NOTHING`,
            [
              planId,
              event.position,
              cost.taskId,
              cost.amount,
              cost.date,
              cost.note ?? null,
              typeof event.metadata.actor === 'string' ? event.metadata.actor : '',
              at(event),
            ],
          );
          reschedule = true;
        }
      }
      if (event.type === BASELINE_CAPTURED) {
        const parsed = parseBaselineCaptured(event);
        // a malformed baseline measures nothing; the change log still shows the event
        if (parsed.ok) {
          await storeBaseline(session, planId, event.position, parsed.baseline);
          reschedule = true;
        }
      }
      const entry = touched.get(planId);
      if (entry) {
        entry.last = event;
        entry.reschedule ||= reschedule;
      } else touched.set(planId, { first: event, last: event, reschedule });
    }

    const changed: string[] = [];
    for (const [planId, { first, last, reschedule }] of touched) {
      const [row] = await session.all<{ first_event_at: string; timeline: string }>(
        'SELECT first_event_at, timeline FROM timeline_plans WHERE plan_id = ?',
        [planId],
      );
      const firstEventAt = row?.first_event_at ?? at(first);
      let timeline = row?.timeline;
      if (!row || reschedule) {
        const firstDay = epochDayOfInstant(firstEventAt);
        timeline = rowJson(
          buildTimeline(documents.plan(planId), {
            baseline: await latestBaseline(session, planId),
            fallbackStart: firstDay === null ? EPOCH_DATE : isoDateOfEpochDay(firstDay),
            actualCosts: await actualCosts(session, planId),
          }),
        );
      }
      // The row says which plan version it reflects, whether or not the timeline changed:
      // stamping only changes would make the stamp depend on where batches happened to end.
      await session.run(
        `INSERT INTO timeline_plans (plan_id, version, position, updated_at, first_event_at, timeline) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (plan_id) DO UPDATE SET version = excluded.version, position = excluded.position,
           updated_at = excluded.updated_at, timeline = excluded.timeline`,
        [planId, last.version, last.position, at(last), firstEventAt, timeline ?? ''],
      );
      if (row?.timeline !== timeline) changed.push(planId);
    }
    return { planIds: changed.sort(), entries: [] };
  }
}

async function storeBaseline(
  session: SqlSession,
  planId: string,
  position: number,
  baseline: BaselineCapturedData,
): Promise<void> {
  // capturing under an id that exists again replaces it, and makes it the latest
  await session.run(
    `INSERT INTO timeline_baselines (plan_id, baseline_id, name, captured_at, position, baseline) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (plan_id, baseline_id) DO UPDATE SET name = excluded.name, captured_at = excluded.captured_at,
       position = excluded.position, baseline = excluded.baseline`,
    [planId, baseline.baselineId, baseline.name, baseline.capturedAt, position, rowJson(baseline)],
  );
}

export interface RecordedActualCost extends ActualCost {
  readonly note: string | null;
  readonly actor: string;
  readonly recordedAt: string;
  readonly position: number;
}

/** Every cost booked against the plan's tasks, in the order they were recorded. */
export async function actualCosts(
  session: Pick<SqlSession, 'all'>,
  planId: string,
): Promise<RecordedActualCost[]> {
  const rows = await session.all<{
    position: number | string;
    task_id: string;
    amount: number | string;
    cost_date: string;
    note: string | null;
    actor: string;
    recorded_at: string;
  }>(
    'SELECT position, task_id, amount, cost_date, note, actor, recorded_at FROM timeline_actual_costs WHERE plan_id = ? ORDER BY position',
    [planId],
  );
  return rows.map((row) => ({
    taskId: row.task_id,
    amount: Number(row.amount),
    date: row.cost_date,
    note: row.note,
    actor: row.actor,
    recordedAt: row.recorded_at,
    position: Number(row.position),
  }));
}

export async function latestBaseline(
  session: Pick<SqlSession, 'all'>,
  planId: string,
): Promise<BaselineCapturedData | undefined> {
  const [row] = await session.all<{ baseline: string }>(
    'SELECT baseline FROM timeline_baselines WHERE plan_id = ? ORDER BY position DESC LIMIT 1',
    [planId],
  );
  return row ? (JSON.parse(row.baseline) as BaselineCapturedData) : undefined;
}

const at = (event: RecordedEvent): string =>
  typeof event.metadata.at === 'string' ? event.metadata.at : '';
