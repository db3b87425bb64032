/** Queries over the comments read model: one comment, and a plan's threads (optionally about one item). */
import { threadsOf, type Comment, type CommentThread, type EntityRef } from '@lib/plan-domain';
import type { ReadModelStore } from '../store/read-model-store.port';
import { COMMENTS_TABLE } from './comments.projection';

export interface ThreadQuery {
  /** only threads about this item */
  readonly target?: EntityRef;
  /** `open` leaves resolved threads out */
  readonly state?: 'open' | 'resolved' | 'all';
}

export class CommentsReadModel {
  constructor(private readonly store: ReadModelStore) {}

  async comment(planId: string, commentId: string): Promise<Comment | undefined> {
    const [row] = await this.store.all<{ comment: string }>(
      `SELECT comment FROM ${COMMENTS_TABLE} WHERE plan_id = ? AND comment_id = ?`,
      [planId, commentId],
    );
    return row ? (JSON.parse(row.comment) as Comment) : undefined;
  }

  /** threads in the order they were started, replies in the order they were posted */
  async threads(planId: string, query: ThreadQuery = {}): Promise<CommentThread[]> {
    const rows = query.target
      ? await this.store.all<{ comment: string }>(
          `SELECT comment FROM ${COMMENTS_TABLE} WHERE plan_id = ? AND target_type = ? AND target_id = ? ORDER BY posted_position`,
          [planId, query.target.type, query.target.id],
        )
      : await this.store.all<{ comment: string }>(
          `SELECT comment FROM ${COMMENTS_TABLE} WHERE plan_id = ? ORDER BY posted_position`,
          [planId],
        );
    const threads = threadsOf(rows.map((row) => JSON.parse(row.comment) as Comment));
    const state = query.state ?? 'all';
    return state === 'all' ? threads : threads.filter((t) => t.resolved === (state === 'resolved'));
  }
}
