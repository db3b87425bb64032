/**
 * Projects the change log: every event of every plan becomes its semantic changes, one row
 * each, keyed by (global position, index within the event) so the log reads back in exactly
 * the order it was written.
 */
import type { PlanDocuments } from '../projector/plan-documents';
import type { ProjectedChanges, Projection } from '../projector/projection';
import type { PlanEvent } from '../plan-stream';
import type { SqlSession, SqlValue } from '../store/read-model-store.port';
import { changeLogEntriesOf, type ChangeLogEntry } from './change-log-entry';

export const CHANGE_LOG_TABLE = 'change_log_entries';

const COLUMNS = [
  'position',
  'seq',
  'plan_id',
  'version',
  'event_id',
  'event_type',
  'actor',
  'at',
  'change_type',
  'entity_type',
  'entity_id',
  'payload',
  'summary',
] as const;

const DDL: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS ${CHANGE_LOG_TABLE} (
    position BIGINT NOT NULL,
    seq INTEGER NOT NULL,
    plan_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    event_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    actor TEXT NOT NULL,
    at TEXT NOT NULL,
    change_type TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    payload TEXT NOT NULL,
    summary TEXT NOT NULL,
    PRIMARY KEY (position, seq)
  )`,
  `CREATE INDEX IF NOT EXISTS change_log_entries_by_plan ON ${CHANGE_LOG_TABLE} (plan_id, position, seq)`,
  `CREATE INDEX IF NOT EXISTS change_log_entries_by_plan_version ON ${CHANGE_LOG_TABLE} (plan_id, version)`,
];

export class ChangeLogProjection implements Projection {
  readonly readModel = 'change-log' as const;
  readonly version = 1;
  readonly ddl = DDL;
  readonly tables = [CHANGE_LOG_TABLE];

  async project(
    events: readonly PlanEvent[],
    documents: PlanDocuments,
    session: SqlSession,
  ): Promise<ProjectedChanges> {
    const entries: ChangeLogEntry[] = [];
    for (const planEvent of events) {
      entries.push(...changeLogEntriesOf(planEvent, documents.applyWithDelta(planEvent)));
    }
    await session.insertMany(CHANGE_LOG_TABLE, COLUMNS, entries.map(toRow));
    return { planIds: [...new Set(entries.map((e) => e.planId))].sort(), entries };
  }
}

function toRow(entry: ChangeLogEntry): SqlValue[] {
  return [
    entry.position,
    entry.seq,
    entry.planId,
    entry.version,
    entry.eventId,
    entry.eventType,
    entry.actor,
    entry.at,
    entry.changeType,
    entry.entity.type,
    entry.entity.id,
    JSON.stringify(entry.payload),
    entry.summary,
  ];
}

export interface ChangeLogRow {
  position: number;
  seq: number;
  plan_id: string;
  version: number;
  event_id: string;
  event_type: string;
  actor: string;
  at: string;
  change_type: string;
  entity_type: string;
  entity_id: string;
  payload: string;
  summary: string;
}

export function fromRow(row: ChangeLogRow): ChangeLogEntry {
  return {
    planId: row.plan_id,
    position: row.position,
    seq: row.seq,
    version: row.version,
    eventId: row.event_id,
    eventType: row.event_type,
    actor: row.actor,
    at: row.at,
    changeType: row.change_type,
    entity: { type: row.entity_type, id: row.entity_id },
    payload: JSON.parse(row.payload),
    summary: row.summary,
  };
}
