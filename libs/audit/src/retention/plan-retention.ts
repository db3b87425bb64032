/**
 * Retention: a plan may keep its history for `retainDays` after it was archived; after that its
 * event stream is deleted, and what was deleted is attested by a signed tombstone (`PlanPurged`
 * in the stream `purged-<planId>`): how many events of which types over which time, and the
 * head version and hash of the chain, signed with the audit key. Anyone holding an export of
 * the plan can show it is the history the tombstone speaks of (same head hash).
 *
 * The policy is a `RetentionSet` event in `retention-<planId>`; "archived" is read from the
 * plan stream itself (the last `PlanArchived` not followed by a `PlanRestored`).
 */
import { randomUUID } from 'node:crypto';
import {
  canonicalJson,
  type EventStore,
  type JsonObject,
  type NewEvent,
  type RecordedEvent,
} from '@lib/event-store';
import { planStreamId } from '@lib/plan-domain';
import type { AuditSigningKey, AuditVerifyingKey } from '../signing/audit-signing-key';
import { AUDIT_SIGNATURE_ALGORITHM } from '../signing/audit-signing-key';

export const RETENTION_SET = 'RetentionSet';
export const PLAN_PURGED = 'PlanPurged';
export const PLAN_ARCHIVED = 'PlanArchived';
export const PLAN_RESTORED = 'PlanRestored';
export const RETENTION_STREAM_PREFIX = 'retention-';
export const retentionStreamId = (planId: string): string => `${RETENTION_STREAM_PREFIX}${planId}`;
export const purgedStreamId = (planId: string): string => `purged-${planId}`;

const DAY_MS = 86_400_000;
const PAGE = 1000;

export class RetentionUnsupportedError extends Error {
  readonly code = 'RETENTION_UNSUPPORTED';
  constructor(kind: string) {
    super(
      `the ${kind} event store cannot delete streams; retention purges need sqlite or postgres`,
    );
  }
}

export interface PlanTombstone {
  readonly planId: string;
  readonly streamId: string;
  readonly purgedAt: string;
  readonly retainDays: number;
  readonly archivedAt: string;
  readonly eventCount: number;
  readonly countsByType: Readonly<Record<string, number>>;
  readonly timeRange: { readonly from: string; readonly to: string } | null;
  readonly head: { readonly version: number; readonly hash: string };
  readonly signer: {
    readonly algorithm: typeof AUDIT_SIGNATURE_ALGORITHM;
    readonly fingerprint: string;
  };
  /** Ed25519 over the canonical JSON of every other field */
  readonly signature: string;
}

export interface RetentionStatus {
  readonly planId: string;
  readonly retainDays: number | null;
  readonly archivedAt: string | null;
  /** when the plan's events may be purged: archivedAt + retainDays */
  readonly dueAt: string | null;
  readonly due: boolean;
  readonly eventCount: number;
  readonly countsByType: Readonly<Record<string, number>>;
  readonly timeRange: { readonly from: string; readonly to: string } | null;
  readonly head: { readonly version: number; readonly hash: string } | null;
  /** set once the plan was purged */
  readonly tombstone: PlanTombstone | null;
}

export function retentionSetEvent(retainDays: number, actor: string, at: string): NewEvent {
  return {
    id: randomUUID(),
    type: RETENTION_SET,
    data: { retainDays },
    metadata: { actor, at },
    schemaVersion: 1,
  };
}

async function eachEvent(
  store: EventStore,
  streamId: string,
  visit: (event: RecordedEvent) => void,
): Promise<void> {
  for (let from = 0; ; from += PAGE) {
    const page = await store.readStream(streamId, { fromVersion: from, maxCount: PAGE });
    page.forEach(visit);
    if (page.length < PAGE) return;
  }
}

export async function retentionStatus(
  store: EventStore,
  planId: string,
  now: Date,
): Promise<RetentionStatus> {
  let retainDays: number | null = null;
  await eachEvent(store, retentionStreamId(planId), (e) => {
    const days = (e.data as JsonObject).retainDays;
    if (e.type === RETENTION_SET && typeof days === 'number') retainDays = days;
  });
  let tombstone: PlanTombstone | null = null;
  await eachEvent(store, purgedStreamId(planId), (e) => {
    if (e.type === PLAN_PURGED) tombstone = e.data as unknown as PlanTombstone;
  });
  let archivedAt: string | null = null;
  const countsByType: Record<string, number> = {};
  let first: RecordedEvent | undefined;
  let last: RecordedEvent | undefined;
  await eachEvent(store, planStreamId(planId), (e) => {
    // read defensively: archiving is another module's event; only its type and time matter here
    if (e.type === PLAN_ARCHIVED) archivedAt = e.metadata.at;
    if (e.type === PLAN_RESTORED) archivedAt = null;
    countsByType[e.type] = (countsByType[e.type] ?? 0) + 1;
    first ??= e;
    last = e;
  });
  const dueMs =
    archivedAt !== null && retainDays !== null
      ? Date.parse(archivedAt) + retainDays * DAY_MS
      : null;
  const head = last as RecordedEvent | undefined;
  return {
    planId,
    retainDays,
    archivedAt,
    dueAt: dueMs === null ? null : new Date(dueMs).toISOString(),
    due: dueMs !== null && dueMs <= now.getTime() && head !== undefined,
    eventCount: head ? head.version + 1 : 0,
    countsByType,
    timeRange: first && head ? { from: first.metadata.at, to: head.metadata.at } : null,
    head: head ? { version: head.version, hash: head.hash } : null,
    tombstone,
  };
}

/** plans that have a retention policy, from the `retention-*` streams */
export async function plansWithRetention(store: EventStore): Promise<string[]> {
  const plans = new Set<string>();
  for (let from = 0; ;) {
    const page = await store.readAll({
      fromPosition: from,
      maxCount: PAGE,
      filter: { streamPrefix: RETENTION_STREAM_PREFIX, eventTypes: [RETENTION_SET] },
    });
    for (const e of page) plans.add(e.streamId.slice(RETENTION_STREAM_PREFIX.length));
    if (page.length < PAGE) return [...plans].sort();
    from = page[page.length - 1].position;
  }
}

type UnsignedTombstone = Omit<PlanTombstone, 'signature'>;

export function tombstoneSignatureHolds(tombstone: PlanTombstone, key: AuditVerifyingKey): boolean {
  const { signature, ...signed } = tombstone;
  return key.verify(canonicalJson(signed), signature);
}

/**
 * Appends the signed tombstone, then deletes the plan stream at the head the tombstone names
 * (a write in between fails the deletion; the plan is then left as it is, with the tombstone
 * recording an attempt, and a later run purges it under a new tombstone).
 */
export async function purgePlan(
  store: EventStore,
  status: RetentionStatus,
  key: AuditSigningKey,
  now: Date,
): Promise<PlanTombstone> {
  if (!store.deleteStream) throw new RetentionUnsupportedError(store.kind);
  if (!status.due || !status.head || status.archivedAt === null || status.retainDays === null)
    throw new Error(`plan ${status.planId} is not due for purging`);
  const unsigned: UnsignedTombstone = {
    planId: status.planId,
    streamId: planStreamId(status.planId),
    purgedAt: now.toISOString(),
    retainDays: status.retainDays,
    archivedAt: status.archivedAt,
    eventCount: status.eventCount,
    countsByType: status.countsByType,
    timeRange: status.timeRange,
    head: status.head,
    signer: { algorithm: AUDIT_SIGNATURE_ALGORITHM, fingerprint: key.publicKey.fingerprint },
  };
  const tombstone: PlanTombstone = { ...unsigned, signature: key.sign(canonicalJson(unsigned)) };
  // a tombstone for this very head is already there when an earlier run stopped after it
  if (status.tombstone?.head.hash !== status.head.hash)
    await store.appendToStream(purgedStreamId(status.planId), [
      {
        id: randomUUID(),
        type: PLAN_PURGED,
        data: tombstone as unknown as JsonObject,
        metadata: { actor: 'retention', at: tombstone.purgedAt },
        schemaVersion: 1,
      },
    ]);
  await store.deleteStream(planStreamId(status.planId), status.head.version);
  return tombstone;
}
