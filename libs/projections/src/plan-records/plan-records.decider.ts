/**
 * The plan's records outside the CRDT — comments, KPI readings, status-update records,
 * baselines — decided on the plan stream as it is (handleCommand): the events are appended
 * with the stream version the state was folded from, so nothing is decided on stale state.
 * Invariants: only a comment's author edits it; nothing is written to an archived plan.
 *
 * Facts that live in the plan document (does the task a comment is about exist?) are read by
 * the caller when it builds the command; handleCommand builds it again on every retry.
 */
import type { Decider, EventMetadata, NewEvent, RecordedEvent } from '@lib/event-store';
import {
  archivedAfter,
  COMMENT_EDITED,
  COMMENT_POSTED,
  COMMENT_RESOLVED,
  decideEditComment,
  decidePostComment,
  decideResolveComment,
  editedComment,
  PlanArchivedError,
  postedComment,
  resolvedComment,
  type Comment,
  type KpiMeasuredData,
  type PostComment,
  type StakeholderUpdateSentData,
} from '@lib/plan-domain';
import { commentEvent, parseCommentEvent } from '../comments/comment-events';
import { kpiMeasuredEvent } from '../objectives/kpi-measured';
import { stakeholderUpdateSentEvent } from '../reports/stakeholder-update-sent';
import { baselineCapturedEvent, type BaselineCapturedData } from '../timeline/baseline-captured';

export type PlanRecordCommand =
  | {
      readonly type: 'PostComment';
      readonly planId: string;
      readonly comment: PostComment;
      /** whether the plan document has the comment's target */
      readonly targetExists: boolean;
      readonly metadata: EventMetadata;
    }
  | {
      readonly type: 'EditComment';
      readonly planId: string;
      readonly commentId: string;
      readonly text: string;
      readonly editor: string;
      readonly metadata: EventMetadata;
    }
  | {
      readonly type: 'ResolveComment';
      readonly planId: string;
      readonly commentId: string;
      readonly metadata: EventMetadata;
    }
  | {
      readonly type: 'RecordKpiReading';
      readonly planId: string;
      readonly reading: KpiMeasuredData;
      readonly metadata: EventMetadata;
    }
  | {
      readonly type: 'RecordStakeholderUpdate';
      readonly planId: string;
      readonly update: StakeholderUpdateSentData;
      readonly metadata: EventMetadata;
    }
  | {
      readonly type: 'CaptureBaseline';
      readonly planId: string;
      readonly baseline: BaselineCapturedData;
      readonly metadata: EventMetadata;
    };

export interface PlanRecordsState {
  readonly archived: boolean;
  readonly comments: ReadonlyMap<string, Comment>;
}

const INITIAL: PlanRecordsState = { archived: false, comments: new Map() };

export function evolvePlanRecords(state: PlanRecordsState, event: RecordedEvent): PlanRecordsState {
  const archived = archivedAfter(state.archived, event.type);
  if (archived !== state.archived) return { ...state, archived };
  if (
    event.type !== COMMENT_POSTED &&
    event.type !== COMMENT_EDITED &&
    event.type !== COMMENT_RESOLVED
  )
    return state;
  const parsed = parseCommentEvent(event);
  // a malformed comment event is the comments projection's to report; it decides nothing here
  if (!parsed.ok) return state;
  const facts = { actor: event.metadata.actor, at: event.metadata.at };
  const comments = new Map(state.comments);
  const { type, data } = parsed.event;
  switch (type) {
    case COMMENT_POSTED: {
      const parent = data.parentId === undefined ? undefined : comments.get(data.parentId);
      comments.set(data.commentId, postedComment(data, parent, facts));
      break;
    }
    case COMMENT_EDITED: {
      const comment = comments.get(data.commentId);
      if (comment) comments.set(data.commentId, editedComment(comment, data, facts));
      break;
    }
    case COMMENT_RESOLVED: {
      const comment = comments.get(data.commentId);
      if (comment) comments.set(data.commentId, resolvedComment(comment, facts));
      break;
    }
    default: {
      const unhandled: never = type;
      return unhandled;
    }
  }
  return { ...state, comments };
}

export function decidePlanRecord(
  command: PlanRecordCommand,
  state: PlanRecordsState,
): readonly NewEvent[] {
  if (state.archived) throw new PlanArchivedError(command.planId);
  switch (command.type) {
    case 'PostComment': {
      const parentId = command.comment.parentId;
      const data = decidePostComment(command.comment, {
        targetExists: command.targetExists,
        parent: parentId === undefined ? undefined : state.comments.get(parentId),
      });
      return [commentEvent({ type: COMMENT_POSTED, data }, command.metadata)];
    }
    case 'EditComment': {
      const data = decideEditComment(state.comments.get(command.commentId), command);
      return data ? [commentEvent({ type: COMMENT_EDITED, data }, command.metadata)] : [];
    }
    case 'ResolveComment': {
      const data = decideResolveComment(state.comments.get(command.commentId), command.commentId);
      return data ? [commentEvent({ type: COMMENT_RESOLVED, data }, command.metadata)] : [];
    }
    case 'RecordKpiReading':
      return [kpiMeasuredEvent(command.reading, command.metadata)];
    case 'RecordStakeholderUpdate':
      return [stakeholderUpdateSentEvent(command.update, command.metadata)];
    case 'CaptureBaseline':
      return [baselineCapturedEvent(command.baseline, command.metadata)];
    default: {
      const unhandled: never = command;
      return unhandled;
    }
  }
}

export const planRecordsDecider: Decider<PlanRecordCommand, PlanRecordsState> = {
  initialState: () => INITIAL,
  evolve: evolvePlanRecords,
  decide: decidePlanRecord,
};
