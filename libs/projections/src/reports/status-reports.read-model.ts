/**
 * Queries over the status-reports read model: the report facts now and as they were at a time,
 * the fact changes in between (progress over time for the burn-up), and the communication log.
 */
import type { JsonValue } from '@lib/event-store';
import type { ReadModelStore } from '../store/read-model-store.port';
import {
  factsBefore,
  type FactKind,
  type RecordedFactChange,
  type StatusFacts,
} from './status-facts';
import type { StatusContent } from './status-history.projection';

export interface StatusHistoryView {
  readonly planId: string;
  readonly version: number;
  readonly position: number;
  readonly firstEventAt: string;
  readonly content: StatusContent;
  readonly facts: StatusFacts;
  /** the facts before the first change at or after `since` */
  readonly factsAtSince: StatusFacts;
  /** every fact change at or after `since`, in log order */
  readonly changesSince: readonly RecordedFactChange[];
}

export interface StakeholderUpdateRecord {
  readonly stakeholderId: string;
  readonly sentAt: string;
  readonly actor: string;
  readonly note: string;
  readonly position: number;
}

export class StatusReportsReadModel {
  constructor(private readonly store: ReadModelStore) {}

  /** undefined when no event of the plan has been projected; `since` is an ISO date or time */
  async history(planId: string, since: string): Promise<StatusHistoryView | undefined> {
    const [row] = await this.store.all<{
      version: number;
      position: number;
      first_event_at: string;
      facts: string;
      content: string;
    }>(
      'SELECT version, position, first_event_at, facts, content FROM status_plans WHERE plan_id = ?',
      [planId],
    );
    if (!row) return undefined;
    const rows = await this.store.all<{
      position: number;
      at: string;
      kind: string;
      item_id: string;
      before_value: string;
      after_value: string;
    }>(
      'SELECT position, at, kind, item_id, before_value, after_value FROM status_fact_changes WHERE plan_id = ? AND at >= ? ORDER BY position, seq',
      [planId, since],
    );
    const changesSince = rows.map((r): RecordedFactChange => ({
      kind: r.kind as FactKind,
      itemId: r.item_id,
      before: JSON.parse(r.before_value) as JsonValue,
      after: JSON.parse(r.after_value) as JsonValue,
      at: r.at,
      position: r.position,
    }));
    const facts = JSON.parse(row.facts) as StatusFacts;
    return {
      planId,
      version: row.version,
      position: row.position,
      firstEventAt: row.first_event_at,
      content: JSON.parse(row.content) as StatusContent,
      facts,
      factsAtSince: factsBefore(facts, changesSince),
      changesSince,
    };
  }

  /** overall progress after every change of it, oldest first (the burn-up's actual line) */
  async progressHistory(
    planId: string,
  ): Promise<{ readonly at: string; readonly percentComplete: number }[]> {
    const rows = await this.store.all<{ at: string; after_value: string }>(
      "SELECT at, after_value FROM status_fact_changes WHERE plan_id = ? AND kind = 'progress' ORDER BY position, seq",
      [planId],
    );
    return rows.map((r) => ({ at: r.at, percentComplete: JSON.parse(r.after_value) as number }));
  }

  /** every update sent, oldest first */
  async stakeholderUpdates(planId: string): Promise<StakeholderUpdateRecord[]> {
    const rows = await this.store.all<{
      stakeholder_id: string;
      sent_at: string;
      actor: string;
      note: string;
      position: number;
    }>(
      'SELECT stakeholder_id, sent_at, actor, note, position FROM stakeholder_updates WHERE plan_id = ? ORDER BY position, stakeholder_id',
      [planId],
    );
    return rows.map((r) => ({
      stakeholderId: r.stakeholder_id,
      sentAt: r.sent_at,
      actor: r.actor,
      note: r.note,
      position: r.position,
    }));
  }

  /** each stakeholder's latest update (by when it was sent) */
  async lastSent(planId: string): Promise<Record<string, string>> {
    const last: Record<string, string> = {};
    for (const u of await this.stakeholderUpdates(planId))
      if (!Object.hasOwn(last, u.stakeholderId) || u.sentAt > last[u.stakeholderId])
        last[u.stakeholderId] = u.sentAt;
    return last;
  }
}
