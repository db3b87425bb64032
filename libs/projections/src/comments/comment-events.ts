/**
 * Comment events in the plan stream: building them for an append and reading them back. The
 * log may hold events from older or buggy writers, so a stored event is checked field by field
 * before it becomes a comment; one that does not parse is left to the change log alone.
 *
 *   await store.appendToStream(planStreamId(planId), [commentEvent({ type: COMMENT_POSTED, data }, { actor, at })]);
 */
import { randomUUID } from 'node:crypto';
import type { EventMetadata, JsonObject, NewEvent, RecordedEvent } from '@lib/event-store';
import {
  COMMENT_EDITED,
  COMMENT_EVENT_TYPES,
  COMMENT_POSTED,
  COMMENT_RESOLVED,
  COMMENT_TARGET_TYPES,
  type CommentEvent,
  type EntityType,
} from '@lib/plan-domain';

export function commentEvent(
  event: CommentEvent,
  metadata: EventMetadata,
  id: string = randomUUID(),
): NewEvent {
  return { id, type: event.type, data: toJson(event), metadata, schemaVersion: 1 };
}

function toJson(event: CommentEvent): JsonObject {
  switch (event.type) {
    case COMMENT_POSTED: {
      const { commentId, target, parentId, text, mentions } = event.data;
      return {
        commentId,
        target: { type: target.type, id: target.id },
        ...(parentId !== undefined ? { parentId } : {}),
        text,
        mentions: [...mentions],
      };
    }
    case COMMENT_EDITED:
      return { commentId: event.data.commentId, text: event.data.text };
    case COMMENT_RESOLVED:
      return { commentId: event.data.commentId };
    default: {
      const unhandled: never = event;
      throw new Error(`unhandled comment event ${JSON.stringify(unhandled)}`);
    }
  }
}

export const isCommentEventType = (type: string): type is CommentEvent['type'] =>
  (COMMENT_EVENT_TYPES as readonly string[]).includes(type);

export type ParsedCommentEvent =
  | { readonly ok: true; readonly event: CommentEvent }
  | { readonly ok: false; readonly reason: string };

export function parseCommentEvent(recorded: RecordedEvent): ParsedCommentEvent {
  const where = `event ${recorded.id} (${recorded.type}) at ${recorded.streamId}@${recorded.version}`;
  const bad = (why: string): ParsedCommentEvent => ({ ok: false, reason: `${where} ${why}` });
  if (!isCommentEventType(recorded.type)) return bad('is not a comment event');
  if (recorded.data instanceof Uint8Array) return bad('has binary data');
  const data = recorded.data;
  const commentId = nonEmpty(data.commentId);
  if (commentId === undefined) return bad('needs commentId');
  switch (recorded.type) {
    case COMMENT_POSTED: {
      const target = data.target;
      if (typeof target !== 'object' || target === null || Array.isArray(target))
        return bad('needs target {type, id}');
      const type = target.type;
      const id = nonEmpty(target.id);
      if (!COMMENT_TARGET_TYPES.includes(type as EntityType) || id === undefined)
        return bad('needs target {type, id}');
      const text = typeof data.text === 'string' ? data.text : undefined;
      if (text === undefined) return bad('needs text');
      const mentions = Array.isArray(data.mentions)
        ? data.mentions.filter((m): m is string => typeof m === 'string' && m !== '')
        : [];
      const parentId = nonEmpty(data.parentId);
      return {
        ok: true,
        event: {
          type: COMMENT_POSTED,
          data: {
            commentId,
            target: { type: type as EntityType, id },
            ...(parentId !== undefined ? { parentId } : {}),
            text,
            mentions,
          },
        },
      };
    }
    case COMMENT_EDITED:
      return typeof data.text === 'string'
        ? { ok: true, event: { type: COMMENT_EDITED, data: { commentId, text: data.text } } }
        : bad('needs text');
    case COMMENT_RESOLVED:
      return { ok: true, event: { type: COMMENT_RESOLVED, data: { commentId } } };
    default: {
      const unhandled: never = recorded.type;
      return bad(`has unhandled type ${String(unhandled)}`);
    }
  }
}

const nonEmpty = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;
