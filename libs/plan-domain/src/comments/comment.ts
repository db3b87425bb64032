/**
 * Feedback on a plan: threaded comments on any plan item. Comments are facts in the plan
 * stream (`CommentPosted`, `CommentEdited`, `CommentResolved`), not document content, so a
 * stakeholder who may not edit the plan can still discuss it, and nothing said in a thread can
 * change a schedule. Deciders check a command against the comments as they are and return the
 * event data to append; evolvers fold stored events into comments. Both are pure.
 *
 *   const data = decidePostComment({ commentId, target, text, author: 'ana' }, { targetExists: true });
 *   const comment = postedComment(data, undefined, { actor: 'ana', at });
 */
import type { EntityRef, EntityType } from '../plan-json';
import { parseMentions } from './mentions';

export const COMMENT_POSTED = 'CommentPosted';
export const COMMENT_EDITED = 'CommentEdited';
export const COMMENT_RESOLVED = 'CommentResolved';
export const COMMENT_EVENT_TYPES = [COMMENT_POSTED, COMMENT_EDITED, COMMENT_RESOLVED] as const;
export type CommentEventType = (typeof COMMENT_EVENT_TYPES)[number];

/** What a comment may be about: any plan item, or the plan itself (`{type: 'plan', id: 'meta'}`). */
export const COMMENT_TARGET_TYPES: readonly EntityType[] = [
  'plan',
  'phase',
  'task',
  'milestone',
  'risk',
  'resource',
  'stakeholder',
  'objective',
];

export const MAX_COMMENT_TEXT_LENGTH = 10_000;

export interface CommentPostedData {
  readonly commentId: string;
  readonly target: EntityRef;
  /** the comment this one answers; absent for the first comment of a thread */
  readonly parentId?: string;
  readonly text: string;
  /** user ids mentioned in `text` (parseMentions), recorded so notifications need no re-parse */
  readonly mentions: readonly string[];
}

export interface CommentEditedData {
  readonly commentId: string;
  readonly text: string;
}

export interface CommentResolvedData {
  readonly commentId: string;
}

export type CommentEvent =
  | { readonly type: typeof COMMENT_POSTED; readonly data: CommentPostedData }
  | { readonly type: typeof COMMENT_EDITED; readonly data: CommentEditedData }
  | { readonly type: typeof COMMENT_RESOLVED; readonly data: CommentResolvedData };

/** Who wrote an event and when (its metadata). */
export interface EventFacts {
  readonly actor: string;
  readonly at: string;
}

/** An earlier text of an edited comment: edits keep history. */
export interface CommentRevision {
  readonly text: string;
  /** when this text was written (posted or edited) */
  readonly at: string;
}

export interface Comment {
  readonly commentId: string;
  readonly target: EntityRef;
  readonly parentId: string | null;
  /** id of the thread's first comment */
  readonly threadId: string;
  readonly author: string;
  readonly text: string;
  readonly mentions: readonly string[];
  readonly postedAt: string;
  readonly editedAt: string | null;
  /** earlier texts, oldest first */
  readonly revisions: readonly CommentRevision[];
  /** set on a thread's first comment when the thread was resolved */
  readonly resolved: { readonly by: string; readonly at: string } | null;
}

export interface PostComment {
  readonly commentId: string;
  readonly target: EntityRef;
  readonly parentId?: string;
  readonly text: string;
  readonly author: string;
}

export interface PostCommentContext {
  /** whether the plan has the target item (the plan itself always exists) */
  readonly targetExists: boolean;
  /** the comment named by parentId, when there is one */
  readonly parent?: Comment;
}

/** A comment command the caller got wrong; names the field (HTTP 400). */
export class InvalidCommentError extends Error {
  readonly code = 'INVALID_COMMENT';
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field} ${reason}`);
    this.name = 'InvalidCommentError';
  }
}

/** The plan has no comment with this id (HTTP 404). */
export class CommentNotFoundError extends Error {
  readonly code = 'COMMENT_NOT_FOUND';
  constructor(readonly commentId: string) {
    super(`comment ${commentId} not found`);
    this.name = 'CommentNotFoundError';
  }
}

/** Only the author may change what a comment says (HTTP 403). */
export class NotCommentAuthorError extends Error {
  readonly code = 'NOT_COMMENT_AUTHOR';
  constructor(
    readonly commentId: string,
    readonly userId: string,
    readonly author: string,
  ) {
    super(`user ${userId} may not edit comment ${commentId}: only its author ${author} may`);
    this.name = 'NotCommentAuthorError';
  }
}

const hasCode = (error: unknown, code: string): boolean =>
  error instanceof Error && (error as { code?: unknown }).code === code;
export const isInvalidCommentError = (e: unknown): e is InvalidCommentError =>
  hasCode(e, 'INVALID_COMMENT');
export const isCommentNotFoundError = (e: unknown): e is CommentNotFoundError =>
  hasCode(e, 'COMMENT_NOT_FOUND');
export const isNotCommentAuthorError = (e: unknown): e is NotCommentAuthorError =>
  hasCode(e, 'NOT_COMMENT_AUTHOR');

export function decidePostComment(
  command: PostComment,
  context: PostCommentContext,
): CommentPostedData {
  const text = checkedText(command.text);
  if (!COMMENT_TARGET_TYPES.includes(command.target.type)) {
    throw new InvalidCommentError(
      'target.type',
      `must be one of ${COMMENT_TARGET_TYPES.join(', ')}, got ${JSON.stringify(command.target.type)}`,
    );
  }
  if (!context.targetExists) {
    throw new InvalidCommentError(
      'target',
      `names ${command.target.type} ${command.target.id}, which the plan does not have`,
    );
  }
  if (command.parentId !== undefined) {
    const parent = context.parent;
    if (!parent)
      throw new InvalidCommentError(
        'parentId',
        `names comment ${command.parentId}, which the plan does not have`,
      );
    // a thread is about one item; a reply that named another would split it silently
    if (parent.target.type !== command.target.type || parent.target.id !== command.target.id) {
      throw new InvalidCommentError(
        'target',
        `must be the parent comment's target ${parent.target.type} ${parent.target.id}, got ${command.target.type} ${command.target.id}`,
      );
    }
  }
  return {
    commentId: command.commentId,
    target: { type: command.target.type, id: command.target.id },
    ...(command.parentId !== undefined ? { parentId: command.parentId } : {}),
    text,
    mentions: parseMentions(text),
  };
}

/** The edit to append, or null when the text is unchanged (nothing to record). */
export function decideEditComment(
  comment: Comment | undefined,
  command: { readonly commentId: string; readonly text: string; readonly editor: string },
): CommentEditedData | null {
  if (!comment) throw new CommentNotFoundError(command.commentId);
  if (comment.author !== command.editor)
    throw new NotCommentAuthorError(command.commentId, command.editor, comment.author);
  const text = checkedText(command.text);
  return text === comment.text ? null : { commentId: comment.commentId, text };
}

/**
 * Resolving closes a thread, so it is asked of the thread's first comment; resolving a thread
 * that is already resolved records nothing (null).
 */
export function decideResolveComment(
  comment: Comment | undefined,
  commentId: string,
): CommentResolvedData | null {
  if (!comment) throw new CommentNotFoundError(commentId);
  if (comment.parentId !== null) {
    throw new InvalidCommentError(
      'commentId',
      `${commentId} is a reply; resolve its thread's first comment ${comment.threadId}`,
    );
  }
  return comment.resolved ? null : { commentId };
}

export function postedComment(
  data: CommentPostedData,
  parent: Comment | undefined,
  facts: EventFacts,
): Comment {
  return {
    commentId: data.commentId,
    target: data.target,
    parentId: data.parentId ?? null,
    // a reply to a reply stays in the first comment's thread
    threadId: parent?.threadId ?? data.commentId,
    author: facts.actor,
    text: data.text,
    mentions: data.mentions,
    postedAt: facts.at,
    editedAt: null,
    revisions: [],
    resolved: null,
  };
}

export function editedComment(
  comment: Comment,
  data: CommentEditedData,
  facts: EventFacts,
): Comment {
  return {
    ...comment,
    text: data.text,
    mentions: parseMentions(data.text),
    editedAt: facts.at,
    revisions: [
      ...comment.revisions,
      { text: comment.text, at: comment.editedAt ?? comment.postedAt },
    ],
  };
}

export function resolvedComment(comment: Comment, facts: EventFacts): Comment {
  return comment.resolved ? comment : { ...comment, resolved: { by: facts.actor, at: facts.at } };
}

/** Users an edit mentions that no earlier text of the comment did: they have not been told yet. */
export function newlyMentioned(before: Comment, after: Comment): string[] {
  const told = new Set([
    ...before.mentions,
    ...before.revisions.flatMap((r) => parseMentions(r.text)),
  ]);
  return after.mentions.filter((userId) => !told.has(userId));
}

function checkedText(text: string): string {
  const trimmed = typeof text === 'string' ? text.trim() : '';
  if (trimmed === '') throw new InvalidCommentError('text', 'must not be empty');
  if (trimmed.length > MAX_COMMENT_TEXT_LENGTH) {
    throw new InvalidCommentError(
      'text',
      `must be at most ${MAX_COMMENT_TEXT_LENGTH} characters, got ${trimmed.length}`,
    );
  }
  return trimmed;
}
