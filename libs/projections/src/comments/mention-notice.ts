/** What the comments read model tells listeners when a comment mentions someone. */
import type { EntityRef } from '@lib/plan-domain';

export interface MentionNotice {
  readonly kind: 'mention';
  readonly planId: string;
  /** the user mentioned: the notice is for them alone */
  readonly userId: string;
  readonly commentId: string;
  readonly threadId: string;
  readonly target: EntityRef;
  /** who wrote the comment */
  readonly author: string;
  /** the start of the comment's text */
  readonly excerpt: string;
  /** time of the event that mentioned them */
  readonly at: string;
  readonly position: number;
}

export const MENTION_EXCERPT_LENGTH = 200;
