/**
 * Read audit: every read of a plan's audit trail (history, past states, raw events, chain
 * verification, attribution, exports) is itself recorded, as a `PlanRecordsRead` event in the
 * plan's own access stream `access-<planId>`. Keeping it in the event log rather than a side
 * table makes the access log hash-chained and `verify`-able like everything else, and keeps
 * it out of the plan stream (projections, the feed and membership read only `plan-*`).
 */
import { randomUUID } from 'node:crypto';
import type { EventStore, JsonObject, NewEvent, RecordedEvent } from '@lib/event-store';

export const ACCESS_STREAM_PREFIX = 'access-';
export const PLAN_RECORDS_READ = 'PlanRecordsRead';

export const accessStreamId = (planId: string): string => `${ACCESS_STREAM_PREFIX}${planId}`;

export const AUDITED_READS = [
  'history',
  'state',
  'events',
  'verify',
  'attribution',
  'export',
  'access-log',
] as const;
export type AuditedRead = (typeof AUDITED_READS)[number];

export interface ReadRecord {
  /** user id of the reader (`cli:<os user>` for the CLI unless `--actor` names someone) */
  readonly who: string;
  /** the reader's plan role when read over HTTP */
  readonly role?: string;
  readonly what: AuditedRead;
  /** the query that selected what was read (`version`, `at`, `fromVersion`, …) */
  readonly query: Readonly<Record<string, string>>;
  readonly via: 'http' | 'cli';
  /** ISO-8601 */
  readonly when: string;
}

export interface AccessLogPage {
  readonly entries: readonly (ReadRecord & { readonly version: number })[];
  readonly nextFromVersion: number | null;
}

export function planRecordsReadEvent(record: ReadRecord): NewEvent {
  const data: JsonObject = {
    who: record.who,
    what: record.what,
    query: { ...record.query },
    via: record.via,
  };
  if (record.role !== undefined) data.role = record.role;
  return {
    id: randomUUID(),
    type: PLAN_RECORDS_READ,
    data,
    metadata: { actor: record.who, at: record.when },
    schemaVersion: 1,
  };
}

function readRecordOf(event: RecordedEvent): ReadRecord & { version: number } {
  const data = event.data as JsonObject;
  return {
    version: event.version,
    who: String(data.who),
    ...(typeof data.role === 'string' ? { role: data.role } : {}),
    what: data.what as AuditedRead,
    query: (data.query ?? {}) as Record<string, string>,
    via: data.via === 'cli' ? 'cli' : 'http',
    when: event.metadata.at,
  };
}

export class AccessLog {
  constructor(private readonly store: EventStore) {}

  async record(planId: string, record: ReadRecord): Promise<void> {
    await this.store.appendToStream(accessStreamId(planId), [planRecordsReadEvent(record)]);
  }

  async list(planId: string, options: { fromVersion?: number; limit?: number } = {}) {
    const limit = options.limit ?? 100;
    const events = await this.store.readStream(accessStreamId(planId), {
      fromVersion: options.fromVersion ?? 0,
      maxCount: limit,
    });
    const reads = events.filter((e) => e.type === PLAN_RECORDS_READ);
    const last = events[events.length - 1];
    const page: AccessLogPage = {
      entries: reads.map(readRecordOf),
      nextFromVersion: events.length === limit && last ? last.version + 1 : null,
    };
    return page;
  }
}
