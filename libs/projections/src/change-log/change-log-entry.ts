/**
 * Change-log entries: the audit trail's rows. One per semantic change of a PlanUpdated (from
 * `diffPlans` over the plan before and after it) and one per JSON event (PlanCreated, PlanImported,
 * MemberGranted, BaselineCaptured, …). Pure and deterministic: the same events always give
 * the same entries, which is what makes a rebuild comparable row by row.
 */
import type { JsonValue, RecordedEvent } from '@lib/event-store';
import {
  COMMENT_EDITED,
  COMMENT_POSTED,
  COMMENT_RESOLVED,
  describeChange,
  diffPlans,
  KPI_MEASURED,
  STAKEHOLDER_UPDATE_SENT,
  type PlanChange,
  type PlanJson,
} from '@lib/plan-domain';
import { PLAN_UPDATED, type PlanEvent } from '../plan-stream';
import { BASELINE_CAPTURED } from '../timeline/baseline-captured';
import { toJsonValue } from '../row-json';

/**
 * What an entry is about: a plan entity (`task t1`, `plan meta`), a member (`member bob`) or a
 * baseline (`baseline b1`).
 */
export interface ChangeLogEntity {
  readonly type: string;
  readonly id: string;
}

export interface ChangeLogEntry {
  readonly planId: string;
  /** global position of the event: entries sort by (position, seq) */
  readonly position: number;
  /** index of the entry within its event; one update can hold several changes */
  readonly seq: number;
  /** stream version of the event */
  readonly version: number;
  readonly eventId: string;
  readonly eventType: string;
  readonly actor: string;
  /** event time (metadata.at), ISO */
  readonly at: string;
  /** a PlanChange type (`RiskScoreChanged`), or the event type for JSON events (`MemberGranted`) */
  readonly changeType: string;
  readonly entity: ChangeLogEntity;
  /** the PlanChange itself, or the event's data */
  readonly payload: JsonValue;
  /** one line of English, for people; may be reworded, so never parse it */
  readonly summary: string;
}

const PLAN_ENTITY: ChangeLogEntity = { type: 'plan', id: 'meta' };

/**
 * The entries of one event. For a PlanUpdated pass the plan before and after it (whole, or
 * restricted to what the update touched: PlanDocuments.applyWithDelta); other events ignore them.
 */
export function changeLogEntriesOf(
  planEvent: PlanEvent,
  states?: { readonly before: PlanJson; readonly after: PlanJson },
): ChangeLogEntry[] {
  const { event } = planEvent;
  if (event.type === PLAN_UPDATED && event.data instanceof Uint8Array) {
    if (!states)
      throw new Error(
        `PlanUpdated at position ${event.position} needs the plan before and after it`,
      );
    return diffPlans(states.before, states.after).map((change, seq) =>
      planChangeEntry(planEvent, change, seq),
    );
  }
  return [jsonEventEntry(planEvent)];
}

function planChangeEntry(planEvent: PlanEvent, change: PlanChange, seq: number): ChangeLogEntry {
  return {
    ...eventFields(planEvent, seq),
    changeType: change.type,
    entity: { type: change.entity.type, id: change.entity.id },
    payload: toJsonValue(change),
    summary: describeChange(change),
  };
}

function jsonEventEntry(planEvent: PlanEvent): ChangeLogEntry {
  const { event } = planEvent;
  const data: Readonly<Record<string, JsonValue>> =
    event.data instanceof Uint8Array ? {} : event.data;
  const text = (field: string): string | undefined =>
    typeof data[field] === 'string' ? (data[field] as string) : undefined;
  const described = describeJsonEvent(event, text);
  return {
    ...eventFields(planEvent, 0),
    changeType: event.type,
    entity: described.entity,
    // binary data outside PlanUpdated has no meaning to the change log; the raw event keeps it
    payload: event.data instanceof Uint8Array ? null : toJsonValue(event.data),
    summary: described.summary,
  };
}

function describeJsonEvent(
  event: RecordedEvent,
  text: (field: string) => string | undefined,
): { readonly entity: ChangeLogEntity; readonly summary: string } {
  switch (event.type) {
    case 'PlanCreated':
      return {
        entity: PLAN_ENTITY,
        summary: `plan created: ${JSON.stringify(text('title') ?? '')}, owner ${text('ownerId') ?? '(unknown)'}`,
      };
    case 'PlanImported': {
      const source = event.data instanceof Uint8Array ? undefined : event.data.source;
      const report = event.data instanceof Uint8Array ? undefined : event.data.report;
      const field = (value: unknown, key: string): unknown =>
        typeof value === 'object' && value !== null && !Array.isArray(value)
          ? (value as Record<string, unknown>)[key]
          : undefined;
      const fileName = field(source, 'fileName');
      const notes = field(report, 'notes');
      return {
        entity: PLAN_ENTITY,
        summary:
          `plan imported from ${String(field(source, 'format') ?? 'a file')}` +
          (typeof fileName === 'string' ? ` ${JSON.stringify(fileName)}` : '') +
          `: ${JSON.stringify(text('title') ?? '')}, owner ${text('ownerId') ?? '(unknown)'}` +
          (Array.isArray(notes) && notes.length > 0
            ? `, ${notes.length} notes in the import report`
            : ''),
      };
    }
    case 'MemberGranted': {
      const userId = text('userId') ?? '(unknown)';
      return {
        entity: { type: 'member', id: userId },
        summary: `member ${userId} granted ${text('role') ?? '(no role)'}`,
      };
    }
    case 'MemberRevoked': {
      const userId = text('userId') ?? '(unknown)';
      return { entity: { type: 'member', id: userId }, summary: `member ${userId} revoked` };
    }
    case 'CalendarFeedIssued': {
      const userId = text('userId') ?? '(unknown)';
      return {
        entity: { type: 'member', id: userId },
        summary: `calendar feed issued to ${userId}`,
      };
    }
    case 'CalendarFeedRevoked': {
      const userId = text('userId') ?? '(unknown)';
      return {
        entity: { type: 'member', id: userId },
        summary: `calendar feed of ${userId} revoked`,
      };
    }
    case 'PlanArchived': {
      const reason = text('reason');
      return {
        entity: PLAN_ENTITY,
        summary: reason ? `plan archived: ${reason}` : 'plan archived',
      };
    }
    case 'PlanRestored':
      return { entity: PLAN_ENTITY, summary: 'plan restored' };
    case BASELINE_CAPTURED: {
      const baselineId = text('baselineId') ?? '(unknown)';
      return {
        entity: { type: 'baseline', id: baselineId },
        summary: `baseline ${JSON.stringify(text('name') ?? '')} captured`,
      };
    }
    case COMMENT_POSTED: {
      const commentId = text('commentId') ?? '(unknown)';
      const target = event.data instanceof Uint8Array ? undefined : event.data.target;
      const on =
        typeof target === 'object' && target !== null && !Array.isArray(target)
          ? `${String(target.type)} ${String(target.id)}`
          : '(unknown)';
      const reply = text('parentId') ? `reply to ${text('parentId')} ` : '';
      return {
        entity: { type: 'comment', id: commentId },
        summary: `comment ${reply}on ${on}: ${JSON.stringify(shorten(text('text') ?? ''))}`,
      };
    }
    case COMMENT_EDITED:
      return {
        entity: { type: 'comment', id: text('commentId') ?? '(unknown)' },
        summary: `comment edited: ${JSON.stringify(shorten(text('text') ?? ''))}`,
      };
    case COMMENT_RESOLVED:
      return {
        entity: { type: 'comment', id: text('commentId') ?? '(unknown)' },
        summary: 'comment thread resolved',
      };
    case KPI_MEASURED: {
      const value = event.data instanceof Uint8Array ? undefined : event.data.value;
      const objectiveId = text('objectiveId') ?? '(unknown)';
      return {
        entity: { type: 'objective', id: objectiveId },
        summary: `KPI of objective ${objectiveId} measured: ${String(value)}`,
      };
    }
    case STAKEHOLDER_UPDATE_SENT: {
      const ids = event.data instanceof Uint8Array ? undefined : event.data.stakeholderIds;
      return {
        entity: PLAN_ENTITY,
        summary: `status update sent to ${Array.isArray(ids) ? ids.join(', ') : '(unknown)'}`,
      };
    }
    default:
      // an event type this version does not know still belongs in the audit trail
      return { entity: PLAN_ENTITY, summary: `${event.type} recorded` };
  }
}

function eventFields(
  { planId, event }: PlanEvent,
  seq: number,
): Pick<
  ChangeLogEntry,
  'planId' | 'position' | 'seq' | 'version' | 'eventId' | 'eventType' | 'actor' | 'at'
> {
  return {
    planId,
    position: event.position,
    seq,
    version: event.version,
    eventId: event.id,
    eventType: event.type,
    actor: typeof event.metadata.actor === 'string' ? event.metadata.actor : '',
    at: typeof event.metadata.at === 'string' ? event.metadata.at : '',
  };
}

/** summaries are one line: long comments are cut */
const shorten = (text: string): string => (text.length <= 80 ? text : `${text.slice(0, 79)}…`);
