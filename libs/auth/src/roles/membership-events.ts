/**
 * The events that say who may do what on a plan. They live in the plan's own stream
 * (`plan-<planId>`), so membership is versioned, hash-chained and auditable like the content.
 * Any lib that creates plans or changes members appends these; `PlanMembership` folds them.
 *
 *   await store.appendToStream(planStreamId(planId), [
 *     newMembershipEvent({ type: 'MemberGranted', data: { userId: 'bob', role: 'editor' } }, { actor, at }),
 *   ]);
 *
 * Granting a role to someone who already has one replaces it (that is how a downgrade is written).
 */
import { randomUUID } from 'node:crypto';
import {
  Upcasters,
  type EventMetadata,
  type JsonValue,
  type NewEvent,
  type RecordedEvent,
} from '@lib/event-store';
import { planIdOfStream } from '@lib/plan-domain';
import { isRole, type Role } from './role';

export { PLAN_STREAM_PREFIX, planIdOfStream, planStreamId } from '@lib/plan-domain';

/** The creator is the plan's first owner. Extra fields (description, start…) are allowed. */
export type PlanCreatedData = {
  readonly planId: string;
  readonly title: string;
  readonly ownerId: string;
  readonly description?: string;
  readonly start?: string;
};
/**
 * A plan that starts from a file another tool wrote: like PlanCreated (the importer is owner),
 * plus where the content came from and what the import could not hold. The content itself
 * follows as the stream's first PlanUpdated.
 */
export type PlanImportedData = {
  readonly planId: string;
  readonly title: string;
  readonly ownerId: string;
  readonly source: {
    readonly format: string;
    readonly fileName?: string;
    readonly bytes: number;
    readonly sha256: string;
  };
  /** The import report: counts per collection and every note (not held / approximated). */
  readonly report: JsonObject;
};
export type MemberGrantedData = { readonly userId: string; readonly role: Role };
/**
 * Schema v2 records the role the member had, so the log says what was taken away without a
 * replay; v1 events (no `previousRole`) are upcast on read with `previousRole: null` (unknown).
 */
export type MemberRevokedData = { readonly userId: string; readonly previousRole?: Role | null };
/**
 * A member's calendar feed (`GET /plans/:id/calendar.ics?token=…`): issuing one replaces the
 * previous, so the old URL stops working; revoking ends it. The token is signed over the
 * feed id (calendar-feed-token.ts), so the id in the log is not a credential.
 */
export type CalendarFeedIssuedData = { readonly userId: string; readonly feedId: string };
export type CalendarFeedRevokedData = { readonly userId: string };
type JsonObject = { readonly [key: string]: JsonValue };
export type PlanArchivedData = { readonly reason?: string };
export type PlanRestoredData = Record<string, never>;

export type MembershipEvent =
  | { readonly type: 'PlanCreated'; readonly data: PlanCreatedData }
  | { readonly type: 'PlanImported'; readonly data: PlanImportedData }
  | { readonly type: 'MemberGranted'; readonly data: MemberGrantedData }
  | { readonly type: 'MemberRevoked'; readonly data: MemberRevokedData }
  | { readonly type: 'PlanArchived'; readonly data: PlanArchivedData }
  | { readonly type: 'PlanRestored'; readonly data: PlanRestoredData }
  | { readonly type: 'CalendarFeedIssued'; readonly data: CalendarFeedIssuedData }
  | { readonly type: 'CalendarFeedRevoked'; readonly data: CalendarFeedRevokedData };

export type MembershipEventType = MembershipEvent['type'];

export const MEMBERSHIP_EVENT_TYPES: readonly MembershipEventType[] = [
  'PlanCreated',
  'PlanImported',
  'MemberGranted',
  'MemberRevoked',
  'PlanArchived',
  'PlanRestored',
  'CalendarFeedIssued',
  'CalendarFeedRevoked',
];

export const isMembershipEventType = (type: string): type is MembershipEventType =>
  (MEMBERSHIP_EVENT_TYPES as readonly string[]).includes(type);

/** Current payload version of each membership event type. */
export const MEMBERSHIP_SCHEMA_VERSIONS: Readonly<Record<MembershipEventType, number>> = {
  PlanCreated: 1,
  PlanImported: 1,
  MemberGranted: 1,
  MemberRevoked: 2,
  PlanArchived: 1,
  PlanRestored: 1,
  CalendarFeedIssued: 1,
  CalendarFeedRevoked: 1,
};

export function newMembershipEvent(
  event: MembershipEvent,
  metadata: EventMetadata,
  id: string = randomUUID(),
): NewEvent {
  return {
    id,
    type: event.type,
    data: event.data,
    metadata,
    schemaVersion: MEMBERSHIP_SCHEMA_VERSIONS[event.type],
  };
}

/** Reads older membership payloads as the current version (see MemberRevokedData). */
export const MEMBERSHIP_UPCASTERS = new Upcasters().register({
  type: 'MemberRevoked',
  fromVersion: 1,
  upcast: (data) => (data instanceof Uint8Array ? data : { ...data, previousRole: null }),
});

export type ParsedMembershipEvent =
  | { readonly ok: true; readonly planId: string; readonly event: MembershipEvent }
  | { readonly ok: false; readonly reason: string };

/**
 * Checks a stored event's shape before it changes who may access a plan: the log may hold
 * events written by older or buggy code, and a wrong field must not grant anything.
 */
export function parseMembershipEvent(recorded: RecordedEvent): ParsedMembershipEvent {
  const planId = planIdOfStream(recorded.streamId);
  if (planId === undefined) return malformed(recorded, 'is not in a plan stream');
  if (!isMembershipEventType(recorded.type))
    return malformed(recorded, 'is not a membership event');
  const data = recorded.data;
  if (data instanceof Uint8Array) return malformed(recorded, 'has binary data');
  const text = (field: string): string | undefined => {
    const value = data[field];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  switch (recorded.type) {
    case 'PlanCreated':
    case 'PlanImported': {
      const title = typeof data.title === 'string' ? data.title : undefined;
      const ownerId = text('ownerId');
      if (title === undefined || ownerId === undefined)
        return malformed(recorded, 'needs title and ownerId');
      if (text('planId') !== undefined && text('planId') !== planId) {
        return malformed(
          recorded,
          `names plan ${text('planId')} but is in stream ${recorded.streamId}`,
        );
      }
      // the stream decides which plan an event belongs to; data.planId is a convenience copy
      if (recorded.type === 'PlanCreated')
        return {
          ok: true,
          planId,
          event: { type: 'PlanCreated', data: { planId, title, ownerId } },
        };
      const source = data.source;
      if (typeof source !== 'object' || source === null || Array.isArray(source))
        return malformed(recorded, 'needs a source');
      const report = data.report;
      return {
        ok: true,
        planId,
        event: {
          type: 'PlanImported',
          data: {
            planId,
            title,
            ownerId,
            source: {
              format: String(source.format),
              ...(typeof source.fileName === 'string' ? { fileName: source.fileName } : {}),
              bytes: Number(source.bytes),
              sha256: String(source.sha256),
            },
            report:
              typeof report === 'object' && report !== null && !Array.isArray(report) ? report : {},
          },
        },
      };
    }
    case 'MemberGranted': {
      const userId = text('userId');
      if (userId === undefined) return malformed(recorded, 'needs userId');
      if (!isRole(data.role))
        return malformed(recorded, `has unknown role ${JSON.stringify(data.role)}`);
      return {
        ok: true,
        planId,
        event: { type: 'MemberGranted', data: { userId, role: data.role } },
      };
    }
    case 'MemberRevoked': {
      const userId = text('userId');
      if (userId === undefined) return malformed(recorded, 'needs userId');
      const previousRole = isRole(data.previousRole) ? data.previousRole : null;
      return {
        ok: true,
        planId,
        event: {
          type: 'MemberRevoked',
          data: recorded.schemaVersion >= 2 ? { userId, previousRole } : { userId },
        },
      };
    }
    case 'PlanArchived': {
      const reason = text('reason');
      return {
        ok: true,
        planId,
        event: { type: 'PlanArchived', data: reason === undefined ? {} : { reason } },
      };
    }
    case 'PlanRestored':
      return { ok: true, planId, event: { type: 'PlanRestored', data: {} } };
    case 'CalendarFeedIssued': {
      const userId = text('userId');
      const feedId = text('feedId');
      if (userId === undefined || feedId === undefined)
        return malformed(recorded, 'needs userId and feedId');
      return { ok: true, planId, event: { type: 'CalendarFeedIssued', data: { userId, feedId } } };
    }
    case 'CalendarFeedRevoked': {
      const userId = text('userId');
      if (userId === undefined) return malformed(recorded, 'needs userId');
      return { ok: true, planId, event: { type: 'CalendarFeedRevoked', data: { userId } } };
    }
    default: {
      const unhandled: never = recorded.type;
      return malformed(recorded, `has unhandled type ${String(unhandled)}`);
    }
  }
}

function malformed(recorded: RecordedEvent, why: string): ParsedMembershipEvent {
  return {
    ok: false,
    reason: `event ${recorded.id} (${recorded.type}) at ${recorded.streamId}@${recorded.version}, position ${recorded.position}, ${why}`,
  };
}
