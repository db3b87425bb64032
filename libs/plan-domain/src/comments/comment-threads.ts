/** Comments grouped into threads: a first comment and its replies, as readers see them. */
import type { EntityRef } from '../plan-json';
import type { Comment } from './comment';

export interface CommentThread {
  readonly threadId: string;
  readonly target: EntityRef;
  readonly resolved: boolean;
  readonly root: Comment;
  /** every later comment of the thread (replies to replies included), in log order */
  readonly replies: readonly Comment[];
  readonly commentCount: number;
  /** time of its latest comment or edit */
  readonly lastActivityAt: string;
}

/**
 * Threads in the order their first comments were posted; `comments` must be in log order.
 * Replies whose first comment is missing (a log damaged by hand) are left out rather than
 * shown as threads they never were.
 */
export function threadsOf(comments: Iterable<Comment>): CommentThread[] {
  const roots: Comment[] = [];
  const replies = new Map<string, Comment[]>();
  for (const comment of comments) {
    if (comment.parentId === null) roots.push(comment);
    else replies.set(comment.threadId, [...(replies.get(comment.threadId) ?? []), comment]);
  }
  return roots.map((root) => {
    const own = replies.get(root.commentId) ?? [];
    const times = [root, ...own]
      .map((c) => c.editedAt ?? c.postedAt)
      .concat(root.resolved ? [root.resolved.at] : []);
    return {
      threadId: root.commentId,
      target: root.target,
      resolved: root.resolved !== null,
      root,
      replies: own,
      commentCount: own.length + 1,
      lastActivityAt: times.reduce((latest, t) => (t > latest ? t : latest), ''),
    };
  });
}
