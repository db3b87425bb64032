/**
 * The `/feed` socket.io protocol, as plain data.
 *
 *   client → server  'subscribe'   { plans: ['p1', 'p2'] | '*', from?: 120, kinds?: ['change'] }  (ack: SubscribeAck)
 *   client → server  'unsubscribe'                                                              (ack: { ok: true })
 *   server → client  'change'      FeedChange   one per event, with its global position, in order
 *   server → client  'notice'      FeedNotice   a read model of a plan changed (timeline, risks, summary),
 *                                                  the scope grew past the threshold (scope-creep), a
 *                                                  comment mentioned the connected user (mention), or
 *                                                  merged edits broke a plan rule (plan.problem)
 *   server → client  'resume'      { from, reason }  the subscription ended (slow consumer, access lost);
 *                                                    subscribe again with `from` to continue exactly there
 *
 * `from` is a global position: the feed sends every change after it (catch-up), then live
 * ones, without gap or duplicate. A client that keeps the position of the last change it
 * handled resumes exactly after it.
 */

export const FEED_NAMESPACE = '/feed';

export const FEED_KINDS = [
  'change',
  'timeline.changed',
  'risks.changed',
  'summary.changed',
  'scope-creep',
  'mention',
  'plan.problem',
] as const;
export type FeedKind = (typeof FEED_KINDS)[number];
export type NoticeKind = Exclude<FeedKind, 'change'>;

export interface FeedChangeItem {
  readonly changeType: string;
  readonly entity: { readonly type: string; readonly id: string };
  readonly payload: unknown;
  readonly summary: string;
}

/** everything one event changed, in plan terms */
export interface FeedChange {
  readonly planId: string;
  readonly position: number;
  readonly version: number;
  readonly eventId: string;
  readonly eventType: string;
  readonly actor: string;
  readonly at: string;
  readonly changes: readonly FeedChangeItem[];
}

export type FeedNotice =
  ReadModelChangedNotice | ScopeCreepDetectedNotice | MentionFeedNotice | PlanProblemFeedNotice;

/** a read model of a plan changed: fetch it again */
export interface ReadModelChangedNotice {
  readonly kind: Exclude<NoticeKind, 'scope-creep' | 'mention' | 'plan.problem'>;
  readonly planId: string;
  /** the read model's checkpoint when it changed */
  readonly position: number;
}

/**
 * ScopeCreepDetected: the plan's scope grew past SCOPE_CREEP_THRESHOLD_PERCENT of its latest
 * baseline (sent once per crossing; details at `GET /plans/:id/scope`)
 */
export interface ScopeCreepDetectedNotice {
  readonly kind: 'scope-creep';
  readonly planId: string;
  /** position of the event that crossed the threshold */
  readonly position: number;
  readonly baselineId: string;
  readonly baselineName: string;
  readonly growthPercent: number;
  readonly thresholdPercent: number;
  readonly at: string;
}

/**
 * A comment mentioned the connected user (`@userId`). Sent to that user's sockets only, whatever
 * plans they subscribed to, as long as they may read the plan.
 */
export interface MentionFeedNotice {
  readonly kind: 'mention';
  readonly planId: string;
  readonly position: number;
  readonly userId: string;
  readonly commentId: string;
  readonly threadId: string;
  readonly target: { readonly type: string; readonly id: string };
  readonly author: string;
  readonly excerpt: string;
  readonly at: string;
}

/**
 * Concurrent edits, each valid, together broke a rule (a dependency cycle, a dependency on a
 * deleted item): the problems now present, those just added, and the items involved (`ids`).
 * Nothing was repaired; the full list is at `GET /plans/:id/problems`.
 */
export interface PlanProblemFeedNotice {
  readonly kind: 'plan.problem';
  readonly planId: string;
  readonly position: number;
  readonly problems: readonly FeedProblem[];
  readonly added: readonly FeedProblem[];
  readonly at: string;
}

export interface FeedProblem {
  readonly path: string;
  readonly code: string;
  readonly message: string;
  readonly ids?: readonly string[];
}

export interface SubscribeRequest {
  readonly plans: readonly string[] | '*';
  readonly from: number;
  readonly kinds: readonly FeedKind[];
}

export type SubscribeAck =
  | { readonly ok: true; readonly from: number; readonly plans: readonly string[] | '*' }
  | {
      readonly ok: false;
      readonly code: string;
      readonly message: string;
      readonly planId?: string;
    };

export interface ResumeNotice {
  readonly from: number;
  readonly reason: string;
}

export class InvalidSubscribeRequestError extends Error {
  readonly code = 'INVALID_SUBSCRIBE_REQUEST';
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field} ${reason}`);
  }
}

const MAX_PLANS = 1000;

/** Validates an untrusted `subscribe` payload at the edge. */
export function parseSubscribeRequest(input: unknown): SubscribeRequest {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new InvalidSubscribeRequestError('subscribe', 'must be an object {plans, from?, kinds?}');
  }
  const { plans, from, kinds } = input as Record<string, unknown>;
  let parsedPlans: readonly string[] | '*';
  if (plans === '*') parsedPlans = '*';
  else if (
    Array.isArray(plans) &&
    plans.length > 0 &&
    plans.length <= MAX_PLANS &&
    plans.every((p) => typeof p === 'string' && p.length > 0 && p.length <= 128)
  ) {
    parsedPlans = [...new Set(plans as string[])];
  } else {
    throw new InvalidSubscribeRequestError('plans', `must be '*' or 1–${MAX_PLANS} plan ids`);
  }
  if (from !== undefined && (typeof from !== 'number' || !Number.isSafeInteger(from) || from < 0)) {
    throw new InvalidSubscribeRequestError('from', 'must be a non-negative integer position');
  }
  if (
    kinds !== undefined &&
    (!Array.isArray(kinds) ||
      kinds.length === 0 ||
      !kinds.every((k) => (FEED_KINDS as readonly unknown[]).includes(k)))
  ) {
    throw new InvalidSubscribeRequestError(
      'kinds',
      `must be a non-empty list of ${FEED_KINDS.join(', ')}`,
    );
  }
  return {
    plans: parsedPlans,
    from: (from as number | undefined) ?? 0,
    kinds: (kinds as FeedKind[] | undefined) ?? [...FEED_KINDS],
  };
}
