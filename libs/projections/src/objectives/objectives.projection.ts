/**
 * Projects the objectives read model: per plan, what KPI status needs from the document (the
 * objectives, the tasks they may link to, the plan start), refreshed when the document
 * changes, and one row per KpiMeasured. Status depends on "today", so it is computed when read.
 */
import { KPI_MEASURED, type Objective, type Task } from '@lib/plan-domain';
import type { PlanDocuments } from '../projector/plan-documents';
import type { ProjectedChanges, Projection } from '../projector/projection';
import { yjsUpdateOf, type PlanEvent } from '../plan-stream';
import { rowJson } from '../row-json';
import type { SqlSession } from '../store/read-model-store.port';
import { parseKpiMeasured } from './kpi-measured';

export const OBJECTIVES_TABLES = ['objectives_plans', 'objectives_measurements'] as const;

const DDL: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS objectives_plans (
    plan_id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    position BIGINT NOT NULL,
    updated_at TEXT NOT NULL,
    content TEXT NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS objectives_measurements (
    plan_id TEXT NOT NULL,
    position BIGINT NOT NULL,
    objective_id TEXT NOT NULL,
    measured_at TEXT NOT NULL,
    measurement TEXT NOT NULL,
    PRIMARY KEY (plan_id, position)
  )`,
];

/** The part of a plan KPI status reads. */
export interface ObjectivesContent {
  readonly planStart: string | null;
  readonly objectives: readonly Objective[];
  readonly tasks: readonly Pick<Task, 'id' | 'title' | 'status' | 'percentComplete'>[];
}

export class ObjectivesProjection implements Projection {
  readonly readModel = 'objectives' as const;
  readonly version = 1;
  readonly ddl = DDL;
  readonly tables = OBJECTIVES_TABLES;

  async project(
    events: readonly PlanEvent[],
    documents: PlanDocuments,
    session: SqlSession,
  ): Promise<ProjectedChanges> {
    const touched = new Map<
      string,
      { last: PlanEvent['event']; updated: boolean; measured: boolean }
    >();
    for (const planEvent of events) {
      const { planId, event } = planEvent;
      documents.apply(planEvent);
      let measured = false;
      if (event.type === KPI_MEASURED) {
        const parsed = parseKpiMeasured(event);
        if (parsed.ok) {
          measured = true;
          await session.run(
            `INSERT INTO objectives_measurements (plan_id, position, objective_id, measured_at, measurement) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (plan_id, position) DO NOTHING`,
            [
              planId,
              event.position,
              parsed.measurement.objectiveId,
              parsed.measurement.at,
              rowJson(parsed.measurement),
            ],
          );
        }
      }
      const entry = touched.get(planId) ?? { last: event, updated: false, measured: false };
      entry.last = event;
      entry.updated ||= yjsUpdateOf(event) !== undefined;
      entry.measured ||= measured;
      touched.set(planId, entry);
    }
    const changed: string[] = [];
    for (const [planId, { last, updated, measured }] of touched) {
      const [row] = await session.all<{ content: string }>(
        'SELECT content FROM objectives_plans WHERE plan_id = ?',
        [planId],
      );
      const content = !row || updated ? rowJson(contentOf(documents.plan(planId))) : row.content;
      await session.run(
        `INSERT INTO objectives_plans (plan_id, version, position, updated_at, content) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (plan_id) DO UPDATE SET version = excluded.version, position = excluded.position,
           updated_at = excluded.updated_at, content = excluded.content`,
        [
          planId,
          last.version,
          last.position,
          typeof last.metadata.at === 'string' ? last.metadata.at : '',
          content,
        ],
      );
      if (measured || row?.content !== content) changed.push(planId);
    }
    return { planIds: changed.sort(), entries: [] };
  }
}

function contentOf(plan: ReturnType<PlanDocuments['plan']>): ObjectivesContent {
  return {
    planStart: typeof plan.meta.start === 'string' ? plan.meta.start : null,
    objectives: plan.objectives,
    tasks: plan.tasks.map((t) => ({
      id: t.id,
      title: t.title,
      status: t.status,
      percentComplete: t.percentComplete,
    })),
  };
}
