/**
 * The membership read side: a `MembershipView` kept current by an `$all` subscription
 * filtered to membership events, plus read-your-writes for every query.
 *
 * Read-your-writes: a caller that was told an append succeeded (a plan created, a member
 * revoked) must see its effect on the very next query, although the subscription delivers
 * it a moment later. Before answering, a query reads the store's head and waits (bounded by
 * `freshnessTimeoutMs`) until the view has applied every membership event up to that head.
 * Because the subscription is filtered, the view's own position stops at the last membership
 * event; `freshThrough` records how far the log is known to hold nothing the view lacks, so
 * a busy plan (thousands of PlanUpdated) costs one head read and one short filtered read.
 */
import {
  upcast,
  type AllFilter,
  type AllSubscription,
  type EventStore,
  type RecordedEvent,
} from '@lib/event-store';
import { STDERR_AUTH_LOG, type AuthLog } from '../auth-log';
import type { Role } from '../roles/role';
import {
  MEMBERSHIP_EVENT_TYPES,
  MEMBERSHIP_UPCASTERS,
  PLAN_STREAM_PREFIX,
  parseMembershipEvent,
} from '../roles/membership-events';
import {
  MembershipView,
  type MembershipChange,
  type PlanMember,
  type PlanOfUser,
  type PlanSummary,
} from './membership-view';

export const MEMBERSHIP_FILTER: AllFilter = {
  streamPrefix: PLAN_STREAM_PREFIX,
  eventTypes: MEMBERSHIP_EVENT_TYPES,
};

export type MembershipListener = (change: MembershipChange) => void;

export interface PlanMembershipOptions {
  /** how long a query waits for the view to catch up with acknowledged appends (default 3000) */
  readonly freshnessTimeoutMs?: number;
  /** pause before re-subscribing after the store failed (default 1000) */
  readonly retryDelayMs?: number;
  readonly log?: AuthLog;
}

interface PositionWaiter {
  readonly position: number;
  readonly settle: (reached: boolean) => void;
}

const PENDING_PAGE = 500;

export class PlanMembership {
  private readonly view = new MembershipView();
  private readonly listeners = new Set<MembershipListener>();
  private readonly waiters = new Set<PositionWaiter>();
  private readonly freshnessTimeoutMs: number;
  private readonly retryDelayMs: number;
  private readonly log: AuthLog;
  /** position of the last membership event applied */
  private position = 0;
  /** every event at or below this position is applied or is not a membership event */
  private freshThrough = 0;
  private state: 'new' | 'running' | 'stopped' = 'new';
  private subscription: AllSubscription | undefined;
  private loop: Promise<void> | undefined;
  private cancelRetry: (() => void) | undefined;

  constructor(
    private readonly store: EventStore,
    options: PlanMembershipOptions = {},
  ) {
    this.freshnessTimeoutMs = options.freshnessTimeoutMs ?? 3000;
    this.retryDelayMs = options.retryDelayMs ?? 1000;
    this.log = options.log ?? STDERR_AUTH_LOG;
  }

  /** starts following the log from position 0; queries wait for it, so start() does not */
  start(): void {
    if (this.state !== 'new') throw new Error(`PlanMembership cannot start: it is ${this.state}`);
    this.state = 'running';
    this.loop = this.follow();
  }

  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    this.cancelRetry?.();
    await this.subscription?.close();
    await this.loop;
    for (const waiter of this.waiters) waiter.settle(false);
  }

  async roleOf(planId: string, userId: string): Promise<Role | undefined> {
    await this.catchUp();
    return this.view.roleOf(planId, userId);
  }

  /** the plan and the user's role on it from one catch-up; undefined when the plan does not exist */
  async membershipOf(
    planId: string,
    userId: string,
  ): Promise<{ plan: PlanSummary; role: Role | undefined } | undefined> {
    await this.catchUp();
    const plan = this.view.plan(planId);
    return plan && { plan, role: this.view.roleOf(planId, userId) };
  }

  async planExists(planId: string): Promise<boolean> {
    // a plan never stops existing, so a known plan needs no round trip to the store
    if (this.view.planExists(planId)) return true;
    await this.catchUp();
    return this.view.planExists(planId);
  }

  async plan(planId: string): Promise<PlanSummary | undefined> {
    await this.catchUp();
    return this.view.plan(planId);
  }

  async calendarFeedOf(planId: string, userId: string): Promise<string | undefined> {
    await this.catchUp();
    return this.view.calendarFeedOf(planId, userId);
  }

  async membersOf(planId: string): Promise<PlanMember[] | undefined> {
    await this.catchUp();
    return this.view.membersOf(planId);
  }

  async plansOf(userId: string): Promise<PlanOfUser[]> {
    await this.catchUp();
    return this.view.plansOf(userId);
  }

  /**
   * Called synchronously for every role change the view applies (grant, revoke, downgrade),
   * including those replayed at start-up. Returns the unsubscribe function.
   */
  onMembershipChanged(listener: MembershipListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Waits until the view holds every membership event committed before the call. Resolves
   * false when that took longer than `timeoutMs`; queries then answer from the view as it is
   * (and say so in the log) rather than fail every request while the store is slow.
   */
  async catchUp(timeoutMs: number = this.freshnessTimeoutMs): Promise<boolean> {
    if (this.state === 'new') throw new Error('PlanMembership is not started: call start() first');
    if (this.state === 'stopped') return false;
    const deadline = Date.now() + timeoutMs;
    const head = await this.store.headPosition();
    while (this.freshThrough < head) {
      const checkedFrom = this.freshThrough;
      const pending = (
        await this.store.readAll({
          fromPosition: checkedFrom,
          maxCount: PENDING_PAGE,
          filter: MEMBERSHIP_FILTER,
        })
      ).filter((event) => event.position <= head);
      if (pending.length === 0) {
        // the read ran after the head was read, so nothing up to head can still appear
        this.freshThrough = Math.max(this.freshThrough, head);
        break;
      }
      const target = pending[pending.length - 1].position;
      if (!(await this.waitForPosition(target, deadline))) {
        this.log.warn(
          `membership view is behind: applied up to position ${this.position}, store head ${head}; ` +
            `answered from the view after ${timeoutMs} ms`,
        );
        return false;
      }
    }
    return true;
  }

  private async follow(): Promise<void> {
    while (this.state === 'running') {
      try {
        this.subscription = this.store.subscribeToAll({
          fromPosition: this.position,
          filter: MEMBERSHIP_FILTER,
        });
        for await (const event of this.subscription) this.apply(event);
        if (this.state !== 'running') return;
        this.log.warn(`membership subscription ended at position ${this.position}; re-subscribing`);
        await this.pause(this.retryDelayMs);
      } catch (error) {
        if (this.state !== 'running') return;
        // the view keeps its position, so re-subscribing resumes without a gap or a repeat
        this.log.error(
          `membership subscription failed at position ${this.position}, retrying in ${this.retryDelayMs} ms: ` +
            `${error instanceof Error ? error.message : String(error)}`,
        );
        await this.pause(this.retryDelayMs);
      }
    }
  }

  private apply(recorded: RecordedEvent): void {
    const parsed = parseMembershipEvent(upcast(recorded, MEMBERSHIP_UPCASTERS));
    if (parsed.ok) {
      for (const change of this.view.apply(parsed.planId, parsed.event, recorded.metadata.at))
        this.notify(change);
    } else {
      // skipped, not fatal: one bad event must not lock every user out of every plan; the
      // event stays in the log for an operator to inspect and nothing is granted by it
      this.log.error(`ignored malformed membership event: ${parsed.reason}`);
    }
    this.position = recorded.position;
    this.freshThrough = Math.max(this.freshThrough, recorded.position);
    for (const waiter of this.waiters) if (waiter.position <= this.position) waiter.settle(true);
  }

  private notify(change: MembershipChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        // a broken listener (one websocket layer) must not stop the view or other listeners
        this.log.error(
          `membership listener failed on ${change.planId}/${change.userId}: ` +
            `${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }

  private waitForPosition(position: number, deadline: number): Promise<boolean> {
    if (this.position >= position) return Promise.resolve(true);
    if (this.state !== 'running') return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const waiter: PositionWaiter = {
        position,
        settle: (reached) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(reached);
        },
      };
      const timer = setTimeout(() => waiter.settle(false), Math.max(0, deadline - Date.now()));
      this.waiters.add(waiter);
    });
  }

  private pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.cancelRetry = done;
    });
  }
}
