/**
 * Projects the risk register read model. What depends on "today" (overdue reviews) is computed
 * at read time, so the rows hold what it needs: each plan's risks and which tasks are on the
 * critical path, plus one exposure snapshot per plan and UTC day, taken after the last event
 * of that day. Days come from the events' own times (metadata.at), never from the clock, so a
 * rebuild writes the same trend as the live run did.
 */
import type { RecordedEvent } from '@lib/event-store';
import {
  computeSchedule,
  epochDayOfInstant,
  isoDateOfEpochDay,
  type PlanJson,
  type RiskInput,
  type RiskSnapshot,
} from '@lib/plan-domain';
import type { PlanDocuments } from '../projector/plan-documents';
import type { ProjectedChanges, Projection } from '../projector/projection';
import { yjsUpdateOf, type PlanEvent } from '../plan-stream';
import { rowJson } from '../row-json';
import type { SqlSession } from '../store/read-model-store.port';
import { planScheduleInput } from '../timeline/plan-schedule';

export const RISK_REGISTER_TABLES = ['risk_register_plans', 'risk_register_exposure_days'] as const;

const DDL: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS risk_register_plans (
    plan_id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    position BIGINT NOT NULL,
    updated_at TEXT NOT NULL,
    risks TEXT NOT NULL,
    critical_task_ids TEXT NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS risk_register_exposure_days (
    plan_id TEXT NOT NULL,
    day TEXT NOT NULL,
    at TEXT NOT NULL,
    position BIGINT NOT NULL,
    risks TEXT NOT NULL,
    PRIMARY KEY (plan_id, day)
  )`,
];

/** Critical paths do not depend on day 0 when no activity is pinned to a date; any date will do. */
const ANY_START = '1970-01-01';

interface DayMark {
  readonly day: number;
  readonly event: RecordedEvent;
}

export class RiskRegisterProjection implements Projection {
  readonly readModel = 'risk-register' as const;
  readonly version = 1;
  readonly ddl = DDL;
  readonly tables = RISK_REGISTER_TABLES;

  async project(
    events: readonly PlanEvent[],
    documents: PlanDocuments,
    session: SqlSession,
  ): Promise<ProjectedChanges> {
    // the day each plan's latest event fell on; its snapshot is taken when the day ends, i.e.
    // before the plan's first event of another day is applied, or at the end of the batch
    const openDays = new Map<string, DayMark>();
    const touched = new Map<string, { last: RecordedEvent; updated: boolean }>();
    for (const planEvent of events) {
      const { planId, event } = planEvent;
      const day = epochDayOfInstant(event.metadata.at);
      const open = openDays.get(planId);
      if (open && open.day !== day) {
        await storeExposure(session, planId, open, documents.plan(planId));
        openDays.delete(planId);
      }
      documents.apply(planEvent);
      // an event without a readable time still changes the risks, but marks no day
      if (day !== null) openDays.set(planId, { day, event });
      const updated = yjsUpdateOf(event) !== undefined;
      const entry = touched.get(planId);
      if (entry) {
        entry.last = event;
        entry.updated ||= updated;
      } else touched.set(planId, { last: event, updated });
    }
    for (const [planId, open] of openDays)
      await storeExposure(session, planId, open, documents.plan(planId));

    const changed: string[] = [];
    for (const [planId, { last, updated }] of touched) {
      const [row] = await session.all<{ risks: string; critical_task_ids: string }>(
        'SELECT risks, critical_task_ids FROM risk_register_plans WHERE plan_id = ?',
        [planId],
      );
      let risks = row?.risks ?? '';
      let criticalTaskIds = row?.critical_task_ids ?? '';
      if (!row || updated) {
        const plan = documents.plan(planId);
        risks = rowJson(riskInputsOf(plan));
        criticalTaskIds = rowJson(
          computeSchedule(planScheduleInput(plan, { fallbackStart: ANY_START }).input).criticalPath,
        );
      }
      // stamped with the plan's last event either way, so rows never depend on batch boundaries
      await session.run(
        `INSERT INTO risk_register_plans (plan_id, version, position, updated_at, risks, critical_task_ids) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (plan_id) DO UPDATE SET version = excluded.version, position = excluded.position,
           updated_at = excluded.updated_at, risks = excluded.risks, critical_task_ids = excluded.critical_task_ids`,
        [planId, last.version, last.position, textOf(last.metadata.at), risks, criticalTaskIds],
      );
      if (row?.risks !== risks || row?.critical_task_ids !== criticalTaskIds) changed.push(planId);
    }
    return { planIds: changed.sort(), entries: [] };
  }
}

async function storeExposure(
  session: SqlSession,
  planId: string,
  mark: DayMark,
  plan: PlanJson,
): Promise<void> {
  const snapshot: RiskSnapshot['risks'] = plan.risks.map((r) => ({
    probability: r.probability,
    impact: r.impact,
    status: r.status,
  }));
  await session.run(
    `INSERT INTO risk_register_exposure_days (plan_id, day, at, position, risks) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (plan_id, day) DO UPDATE SET at = excluded.at, position = excluded.position, risks = excluded.risks`,
    [
      planId,
      isoDateOfEpochDay(mark.day),
      textOf(mark.event.metadata.at),
      mark.event.position,
      rowJson(snapshot),
    ],
  );
}

/**
 * The register's input, with values that cannot be what they claim (a list that is not a
 * list) made harmless; off-scale scores and unknown statuses stay as they are, for the register
 * to report.
 */
export function riskInputsOf(plan: PlanJson): RiskInput[] {
  return plan.risks.map((risk) => ({
    id: risk.id,
    title: optionalText(risk.title),
    category: optionalText(risk.category),
    owner: optionalText(risk.owner),
    response: optionalText(risk.response),
    probability: risk.probability,
    impact: risk.impact,
    status: risk.status,
    reviewDate: typeof risk.reviewDate === 'string' ? risk.reviewDate : null,
    linkedTaskIds: Array.isArray(risk.linkedTaskIds)
      ? risk.linkedTaskIds.filter((id): id is string => typeof id === 'string')
      : [],
  }));
}

const optionalText = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;
const textOf = (value: unknown): string => (typeof value === 'string' ? value : '');
