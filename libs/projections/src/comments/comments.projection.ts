/**
 * Projects the comments read model: one row per comment (the folded Comment as JSON, with the
 * columns threads are looked up by), written from CommentPosted/Edited/Resolved. Every user a
 * comment newly mentions (other than its author) becomes a mention notice for the live feed.
 */
import {
  COMMENT_EDITED,
  COMMENT_POSTED,
  COMMENT_RESOLVED,
  editedComment,
  newlyMentioned,
  postedComment,
  resolvedComment,
  type Comment,
} from '@lib/plan-domain';
import type { PlanDocuments } from '../projector/plan-documents';
import type { ProjectedChanges, Projection } from '../projector/projection';
import type { PlanEvent } from '../plan-stream';
import { rowJson } from '../row-json';
import type { SqlSession } from '../store/read-model-store.port';
import { isCommentEventType, parseCommentEvent } from './comment-events';
import { MENTION_EXCERPT_LENGTH, type MentionNotice } from './mention-notice';

export const COMMENTS_TABLE = 'comments';

const DDL: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS ${COMMENTS_TABLE} (
    plan_id TEXT NOT NULL,
    comment_id TEXT NOT NULL,
    thread_id TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id TEXT NOT NULL,
    resolved INTEGER NOT NULL,
    posted_position BIGINT NOT NULL,
    position BIGINT NOT NULL,
    comment TEXT NOT NULL,
    PRIMARY KEY (plan_id, comment_id)
  )`,
  `CREATE INDEX IF NOT EXISTS comments_by_target ON ${COMMENTS_TABLE} (plan_id, target_type, target_id)`,
];

interface Loaded {
  comment: Comment;
  postedPosition: number;
  position: number;
  dirty: boolean;
}

export class CommentsProjection implements Projection {
  readonly readModel = 'comments' as const;
  readonly version = 1;
  readonly ddl = DDL;
  readonly tables = [COMMENTS_TABLE];

  constructor(private readonly log: { warn(message: string): void } = { warn: () => undefined }) {}

  async project(
    events: readonly PlanEvent[],
    documents: PlanDocuments,
    session: SqlSession,
  ): Promise<ProjectedChanges> {
    const loaded = new Map<string, Loaded | null>();
    const find = async (planId: string, commentId: string): Promise<Loaded | undefined> => {
      const key = `${planId}\u0000${commentId}`;
      if (!loaded.has(key)) {
        const [row] = await session.all<{
          comment: string;
          posted_position: number;
          position: number;
        }>(
          `SELECT comment, posted_position, position FROM ${COMMENTS_TABLE} WHERE plan_id = ? AND comment_id = ?`,
          [planId, commentId],
        );
        loaded.set(
          key,
          row
            ? {
                comment: JSON.parse(row.comment) as Comment,
                postedPosition: row.posted_position,
                position: row.position,
                dirty: false,
              }
            : null,
        );
      }
      return loaded.get(key) ?? undefined;
    };
    const notices: MentionNotice[] = [];
    const changed = new Set<string>();
    const rows = new Map<string, { planId: string; entry: Loaded }>();

    for (const planEvent of events) {
      const { planId, event } = planEvent;
      documents.apply(planEvent);
      if (!isCommentEventType(event.type)) continue;
      const parsed = parseCommentEvent(event);
      if (!parsed.ok) {
        // the change log still shows the event; a malformed one just is no comment
        this.log.warn(`comments: skipped ${parsed.reason}`);
        continue;
      }
      const facts = {
        actor: typeof event.metadata.actor === 'string' ? event.metadata.actor : '',
        at: typeof event.metadata.at === 'string' ? event.metadata.at : '',
      };
      const mention = (before: Comment | undefined, after: Comment): void => {
        const users = before ? newlyMentioned(before, after) : after.mentions;
        for (const userId of users) {
          if (userId === after.author) continue;
          notices.push({
            kind: 'mention',
            planId,
            userId,
            commentId: after.commentId,
            threadId: after.threadId,
            target: after.target,
            author: after.author,
            excerpt: after.text.slice(0, MENTION_EXCERPT_LENGTH),
            at: facts.at,
            position: event.position,
          });
        }
      };
      const { data } = parsed.event;
      const existing = await find(planId, data.commentId);
      let next: Loaded | undefined;
      switch (parsed.event.type) {
        case COMMENT_POSTED: {
          // ids are the idempotency of posting: a second CommentPosted with a known id changes nothing
          if (existing) break;
          const postedData = parsed.event.data;
          const parent =
            postedData.parentId === undefined
              ? undefined
              : (await find(planId, postedData.parentId))?.comment;
          const comment = postedComment(postedData, parent, facts);
          next = { comment, postedPosition: event.position, position: event.position, dirty: true };
          loaded.set(`${planId}\u0000${data.commentId}`, next);
          mention(undefined, comment);
          break;
        }
        case COMMENT_EDITED:
          if (!existing) break;
          next = {
            ...existing,
            comment: editedComment(existing.comment, parsed.event.data, facts),
            position: event.position,
            dirty: true,
          };
          mention(existing.comment, next.comment);
          break;
        case COMMENT_RESOLVED:
          if (!existing) break;
          next = {
            ...existing,
            comment: resolvedComment(existing.comment, facts),
            position: event.position,
            dirty: true,
          };
          break;
        default: {
          const unhandled: never = parsed.event;
          throw new Error(`unhandled comment event ${JSON.stringify(unhandled)}`);
        }
      }
      if (next) {
        loaded.set(`${planId}\u0000${data.commentId}`, next);
        rows.set(`${planId}\u0000${data.commentId}`, { planId, entry: next });
        changed.add(planId);
      }
    }

    for (const { planId, entry } of rows.values()) {
      const { comment } = entry;
      await session.run(
        `INSERT INTO ${COMMENTS_TABLE} (plan_id, comment_id, thread_id, target_type, target_id, resolved, posted_position, position, comment)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (plan_id, comment_id) DO UPDATE SET resolved = excluded.resolved, position = excluded.position, comment = excluded.comment`,
        [
          planId,
          comment.commentId,
          comment.threadId,
          comment.target.type,
          comment.target.id,
          comment.resolved ? 1 : 0,
          entry.postedPosition,
          entry.position,
          rowJson(comment),
        ],
      );
    }
    return { planIds: [...changed].sort(), entries: [], notices };
  }
}
