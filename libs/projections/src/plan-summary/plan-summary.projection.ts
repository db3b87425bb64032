/**
 * Projects the plan summary read model: one row per plan with the columns a plan list needs
 * (title, status, archived, owner, created/updated time, version) and the full summary as JSON.
 * Title and owner come from the document when it has them, else from PlanCreated/PlanImported.
 */
import type { RecordedEvent } from '@lib/event-store';
import type { PlanProblem } from '@lib/plan-domain';
import type { PlanDocuments } from '../projector/plan-documents';
import type { ProjectedChanges, Projection } from '../projector/projection';
import { yjsUpdateOf, type PlanEvent } from '../plan-stream';
import { rowJson } from '../row-json';
import type { SqlSession } from '../store/read-model-store.port';
import { planProblemNotice, type PlanProblemNotice } from './plan-problem-notice';
import { summarizePlan } from './plan-summary';

export const PLAN_SUMMARY_TABLE = 'plan_summaries';

const DDL: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS ${PLAN_SUMMARY_TABLE} (
    plan_id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    status TEXT NOT NULL,
    archived INTEGER NOT NULL,
    owner_id TEXT NOT NULL,
    created_title TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL,
    position BIGINT NOT NULL,
    summary TEXT NOT NULL
  )`,
  `CREATE INDEX IF NOT EXISTS plan_summaries_by_created ON ${PLAN_SUMMARY_TABLE} (created_at, plan_id)`,
];

export interface PlanSummaryRow {
  plan_id: string;
  title: string;
  description: string;
  status: string;
  archived: number;
  owner_id: string;
  created_title: string;
  created_at: string;
  updated_at: string;
  version: number;
  position: number;
  summary: string;
}

/** What the JSON events of one batch said about a plan. */
interface PlanFacts {
  readonly first: RecordedEvent;
  last: RecordedEvent;
  updated: boolean;
  created?: { readonly title: string; readonly ownerId: string; readonly at: string };
  archived?: boolean;
}

export class PlanSummaryProjection implements Projection {
  readonly readModel = 'plan-summary' as const;
  readonly version = 1;
  readonly ddl = DDL;
  readonly tables = [PLAN_SUMMARY_TABLE];

  async project(
    events: readonly PlanEvent[],
    documents: PlanDocuments,
    session: SqlSession,
  ): Promise<ProjectedChanges> {
    const facts = new Map<string, PlanFacts>();
    const notices: PlanProblemNotice[] = [];
    for (const planEvent of events) {
      const { planId, event } = planEvent;
      documents.apply(planEvent);
      let plan = facts.get(planId);
      if (!plan) {
        plan = { first: event, last: event, updated: false };
        facts.set(planId, plan);
      }
      plan.last = event;
      plan.updated ||= yjsUpdateOf(event) !== undefined;
      const data: Readonly<Record<string, unknown>> =
        event.data instanceof Uint8Array ? {} : event.data;
      switch (event.type) {
        case 'PlanCreated':
        case 'PlanImported':
          plan.created = {
            title: text(data.title),
            ownerId: text(data.ownerId),
            at: text(event.metadata.at),
          };
          break;
        case 'PlanArchived':
          plan.archived = true;
          break;
        case 'PlanRestored':
          plan.archived = false;
          break;
      }
    }

    for (const [planId, plan] of facts) {
      const [row] = await session.all<PlanSummaryRow>(
        `SELECT * FROM ${PLAN_SUMMARY_TABLE} WHERE plan_id = ?`,
        [planId],
      );
      const refresh = plan.updated || !row;
      const content = refresh ? documents.plan(planId) : undefined;
      const createdTitle = plan.created?.title ?? row?.created_title ?? '';
      const metaTitle = content ? text(content.meta.title) : undefined;
      const next: PlanSummaryRow = {
        plan_id: planId,
        title: content ? metaTitle || createdTitle : (row?.title ?? createdTitle),
        description: content ? text(content.meta.description) : (row?.description ?? ''),
        status: content ? text(content.meta.status) : (row?.status ?? ''),
        archived: (plan.archived ?? row?.archived === 1) ? 1 : 0,
        owner_id:
          plan.created?.ownerId || row?.owner_id || (content ? text(content.meta.owner) : ''),
        created_title: createdTitle,
        created_at: plan.created?.at ?? row?.created_at ?? text(plan.first.metadata.at),
        updated_at: text(plan.last.metadata.at),
        version: plan.last.version,
        position: plan.last.position,
        summary: content ? rowJson(summarizePlan(content)) : (row?.summary ?? rowJson(null)),
      };
      if (content) {
        const notice = planProblemNotice(
          planId,
          problemsOf(row?.summary),
          problemsOf(next.summary),
          {
            at: text(plan.last.metadata.at),
            position: plan.last.position,
          },
        );
        if (notice) notices.push(notice);
      }
      await session.run(
        `INSERT INTO ${PLAN_SUMMARY_TABLE} (plan_id, title, description, status, archived, owner_id, created_title, created_at, updated_at, version, position, summary)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (plan_id) DO UPDATE SET title = excluded.title, description = excluded.description, status = excluded.status,
           archived = excluded.archived, owner_id = excluded.owner_id, created_title = excluded.created_title,
           created_at = excluded.created_at, updated_at = excluded.updated_at, version = excluded.version,
           position = excluded.position, summary = excluded.summary`,
        [
          next.plan_id,
          next.title,
          next.description,
          next.status,
          next.archived,
          next.owner_id,
          next.created_title,
          next.created_at,
          next.updated_at,
          next.version,
          next.position,
          next.summary,
        ],
      );
    }
    // every touched plan's row changed: version and updatedAt move with each event
    return { planIds: [...facts.keys()].sort(), entries: [], notices };
  }
}

function problemsOf(summary: string | undefined): readonly PlanProblem[] {
  if (summary === undefined) return [];
  const parsed = JSON.parse(summary) as { problems?: readonly PlanProblem[] } | null;
  return parsed?.problems ?? [];
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
