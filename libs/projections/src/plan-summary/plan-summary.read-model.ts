/** Queries over the plan summary read model: one plan's summary, and the plan list. */
import type { ReadModelStore, SqlValue } from '../store/read-model-store.port';
import type { PlanContentSummary } from './plan-summary';
import { PLAN_SUMMARY_TABLE, type PlanSummaryRow } from './plan-summary.projection';

export interface PlanListItem {
  readonly id: string;
  readonly title: string;
  /** the document's meta.status (draft, active, …); archiving is separate */
  readonly status: string;
  readonly archived: boolean;
  readonly ownerId: string;
  readonly createdAt: string;
  /** time of the plan's last event */
  readonly updatedAt: string;
  /** stream version of the plan's last event */
  readonly version: number;
  readonly position: number;
}

export interface PlanSummaryView extends PlanListItem, PlanContentSummary {
  readonly description: string;
}

export interface PlanListQuery {
  /** only these plans (e.g. the caller's, from membership); all when absent */
  readonly planIds?: readonly string[];
  readonly includeArchived?: boolean;
}

const LIST_COLUMNS =
  'plan_id, title, status, archived, owner_id, created_at, updated_at, version, position';
/** Stays under SQLite's default limit of bound parameters per statement. */
const IDS_PER_QUERY = 500;

export class PlanSummaryReadModel {
  constructor(private readonly store: ReadModelStore) {}

  /** undefined when no event of the plan has been projected */
  async summary(planId: string): Promise<PlanSummaryView | undefined> {
    const [row] = await this.store.all<PlanSummaryRow>(
      `SELECT * FROM ${PLAN_SUMMARY_TABLE} WHERE plan_id = ?`,
      [planId],
    );
    if (!row) return undefined;
    const content = JSON.parse(row.summary) as PlanContentSummary;
    return { ...listItem(row), description: row.description, ...content };
  }

  /** Plans sorted by creation time, then id. */
  async plans(query: PlanListQuery = {}): Promise<PlanListItem[]> {
    const archived = query.includeArchived ? '' : ' AND archived = 0';
    if (!query.planIds) {
      const rows = await this.store.all<PlanSummaryRow>(
        `SELECT ${LIST_COLUMNS} FROM ${PLAN_SUMMARY_TABLE} WHERE 1 = 1${archived}`,
      );
      return rows.map(listItem).sort(byCreation);
    }
    const items: PlanListItem[] = [];
    for (let i = 0; i < query.planIds.length; i += IDS_PER_QUERY) {
      const ids: SqlValue[] = query.planIds.slice(i, i + IDS_PER_QUERY) as string[];
      const rows = await this.store.all<PlanSummaryRow>(
        `SELECT ${LIST_COLUMNS} FROM ${PLAN_SUMMARY_TABLE} WHERE plan_id IN (${ids.map(() => '?').join(', ')})${archived}`,
        ids,
      );
      items.push(...rows.map(listItem));
    }
    return items.sort(byCreation);
  }
}

function listItem(row: PlanSummaryRow): PlanListItem {
  return {
    id: row.plan_id,
    title: row.title,
    status: row.status,
    archived: row.archived === 1,
    ownerId: row.owner_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
    position: row.position,
  };
}

// code-unit order in JS rather than SQL ORDER BY: collations differ between SQLite and PostgreSQL
const byCreation = (a: PlanListItem, b: PlanListItem): number =>
  a.createdAt < b.createdAt
    ? -1
    : a.createdAt > b.createdAt
      ? 1
      : a.id < b.id
        ? -1
        : a.id > b.id
          ? 1
          : 0;
