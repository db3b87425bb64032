/**
 * Projects the status-reports read model: what a status report compares over time and the
 * communication log. Per plan: its current StatusFacts and the part of the document a report
 * heads with (title, currency, budget, stakeholders); one row per fact each event changed
 * (before and after, at the event's time); one row per stakeholder per StakeholderUpdateSent.
 * Facts are compared event by event, so "since T" is exact whatever the batch boundaries.
 */
import type { RecordedEvent } from '@lib/event-store';
import {
  epochDayOfInstant,
  isoDateOfEpochDay,
  sameValue,
  STAKEHOLDER_UPDATE_SENT,
  type PlanJson,
  type Stakeholder,
} from '@lib/plan-domain';
import type { PlanDocuments } from '../projector/plan-documents';
import type { ProjectedChanges, Projection } from '../projector/projection';
import { yjsUpdateOf, type PlanEvent } from '../plan-stream';
import { rowJson } from '../row-json';
import type { SqlSession } from '../store/read-model-store.port';
import {
  EMPTY_FACTS,
  factChanges,
  statusFactsOf,
  type ScheduleMemo,
  type StatusFacts,
} from './status-facts';
import { parseStakeholderUpdateSent } from './stakeholder-update-sent';

export const STATUS_REPORT_TABLES = [
  'status_plans',
  'status_fact_changes',
  'stakeholder_updates',
] as const;

const DDL: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS status_plans (
    plan_id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    position BIGINT NOT NULL,
    updated_at TEXT NOT NULL,
    first_event_at TEXT NOT NULL,
    facts TEXT NOT NULL,
    content TEXT NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS status_fact_changes (
    plan_id TEXT NOT NULL,
    position BIGINT NOT NULL,
    seq INTEGER NOT NULL,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    item_id TEXT NOT NULL,
    before_value TEXT NOT NULL,
    after_value TEXT NOT NULL,
    PRIMARY KEY (plan_id, position, seq)
  )`,
  `CREATE INDEX IF NOT EXISTS status_fact_changes_by_time ON status_fact_changes (plan_id, at)`,
  `CREATE TABLE IF NOT EXISTS stakeholder_updates (
    plan_id TEXT NOT NULL,
    position BIGINT NOT NULL,
    stakeholder_id TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    actor TEXT NOT NULL,
    note TEXT NOT NULL,
    PRIMARY KEY (plan_id, position, stakeholder_id)
  )`,
];

/** The head of a report: what the plan is called and who it is for. */
export interface StatusContent {
  readonly title: string;
  readonly start: string | null;
  readonly currency: string;
  readonly budget: number;
  readonly stakeholders: readonly Stakeholder[];
}

interface PlanState {
  row: { first_event_at: string; facts: string; content: string } | undefined;
  firstEventAt: string;
  facts: StatusFacts;
  /** the parts of the plan the facts were computed from, to skip recomputing when an update left them alone */
  source: FactSource | undefined;
  readonly memo: ScheduleMemo;
  last: RecordedEvent;
  updated: boolean;
  recorded: boolean;
}

/**
 * What status facts are computed from. The plan's JSON keeps a collection's array (the same
 * object) for as long as no update touches it, so comparing collections by identity tells an
 * update that left them alone without serializing them. The meta is read afresh after every
 * update and is small: it is compared by value, whole, since the schedule reads several of its
 * fields (start, calendar mode, calendar, status date).
 */
interface FactSource {
  readonly meta: PlanJson['meta'];
  readonly tasks: PlanJson['tasks'];
  readonly milestones: PlanJson['milestones'];
  readonly risks: PlanJson['risks'];
}

const factSourceOf = (plan: PlanJson): FactSource => ({
  meta: plan.meta,
  tasks: plan.tasks,
  milestones: plan.milestones,
  risks: plan.risks,
});

const sameFactSource = (a: FactSource, b: FactSource): boolean =>
  a.tasks === b.tasks &&
  a.milestones === b.milestones &&
  a.risks === b.risks &&
  sameValue(a.meta, b.meta);

export class StatusHistoryProjection implements Projection {
  readonly readModel = 'status-reports' as const;
  // 2: facts follow every scheduling input (progress, constraints, actual dates, calendar,
  // status date); rows projected by 1 may hold a stale finish or critical path
  readonly version = 2;
  readonly ddl = DDL;
  readonly tables = STATUS_REPORT_TABLES;

  async project(
    events: readonly PlanEvent[],
    documents: PlanDocuments,
    session: SqlSession,
  ): Promise<ProjectedChanges> {
    const plans = new Map<string, PlanState>();
    for (const planEvent of events) {
      const { planId, event } = planEvent;
      let state = plans.get(planId);
      if (!state) {
        const [row] = await session.all<PlanState['row'] & object>(
          'SELECT first_event_at, facts, content FROM status_plans WHERE plan_id = ?',
          [planId],
        );
        state = {
          row,
          firstEventAt: row?.first_event_at ?? textOf(event.metadata.at),
          facts: row ? (JSON.parse(row.facts) as StatusFacts) : EMPTY_FACTS,
          source: undefined,
          memo: {},
          last: event,
          updated: false,
          recorded: false,
        };
        plans.set(planId, state);
      }
      state.last = event;
      documents.apply(planEvent);
      if (yjsUpdateOf(event)) {
        state.updated = true;
        const plan = documents.plan(planId);
        const source = factSourceOf(plan);
        if (state.source && sameFactSource(state.source, source)) continue;
        state.source = source;
        const after = statusFactsOf(plan, dayOf(state.firstEventAt), state.memo);
        const changes = factChanges(state.facts, after);
        state.facts = after;
        if (changes.length === 0) continue;
        state.recorded = true;
        await session.insertMany(
          'status_fact_changes',
          ['plan_id', 'position', 'seq', 'at', 'kind', 'item_id', 'before_value', 'after_value'],
          changes.map((c, seq) => [
            planId,
            event.position,
            seq,
            textOf(event.metadata.at),
            c.kind,
            c.itemId,
            rowJson(c.before),
            rowJson(c.after),
          ]),
          'ON CONFLICT (plan_id, position, seq) DO NOTHING',
        );
      } else if (event.type === STAKEHOLDER_UPDATE_SENT) {
        const parsed = parseStakeholderUpdateSent(event);
        if (!parsed.ok) continue;
        state.recorded = true;
        await session.insertMany(
          'stakeholder_updates',
          ['plan_id', 'position', 'stakeholder_id', 'sent_at', 'actor', 'note'],
          [...new Set(parsed.data.stakeholderIds)].map((id) => [
            planId,
            event.position,
            id,
            parsed.data.sentAt,
            textOf(event.metadata.actor),
            parsed.data.note ?? '',
          ]),
          'ON CONFLICT (plan_id, position, stakeholder_id) DO NOTHING',
        );
      }
    }

    const changed: string[] = [];
    for (const [planId, state] of plans) {
      const { row, last } = state;
      const facts = rowJson(state.facts);
      const content =
        !row || state.updated ? rowJson(contentOf(documents.plan(planId))) : row.content;
      await session.run(
        `INSERT INTO status_plans (plan_id, version, position, updated_at, first_event_at, facts, content) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (plan_id) DO UPDATE SET version = excluded.version, position = excluded.position,
           updated_at = excluded.updated_at, facts = excluded.facts, content = excluded.content`,
        [
          planId,
          last.version,
          last.position,
          textOf(last.metadata.at),
          state.firstEventAt,
          facts,
          content,
        ],
      );
      if (state.recorded || row?.content !== content) changed.push(planId);
    }
    return { planIds: changed.sort(), entries: [] };
  }
}

function contentOf(plan: PlanJson): StatusContent {
  return {
    title: textOf(plan.meta.title),
    start: typeof plan.meta.start === 'string' ? plan.meta.start : null,
    currency: textOf(plan.meta.currency),
    budget:
      typeof plan.meta.budget === 'number' && Number.isFinite(plan.meta.budget)
        ? plan.meta.budget
        : 0,
    stakeholders: plan.stakeholders,
  };
}

/** the timeline's day 0 for an undated plan: the day of its first event */
function dayOf(at: string): string {
  const day = epochDayOfInstant(at);
  return day === null ? '1970-01-01' : isoDateOfEpochDay(day);
}

const textOf = (value: unknown): string => (typeof value === 'string' ? value : '');
