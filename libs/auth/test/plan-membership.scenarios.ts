/**
 * PlanMembership behaviour every event store must support. The SQLite spec and the
 * PostgreSQL int-spec call `describePlanMembership` with a way to open a fresh store.
 */
import { randomUUID } from 'node:crypto';
import type { AllSubscription, EventStore, SubscribeOptions } from '@lib/event-store';
import { PlanMembership, planStreamId, type MembershipChange } from '@lib/auth';
import {
  SILENT_LOG,
  appendUpdates,
  createPlan,
  grant,
  recordingLog,
  revoke,
} from './membership-fixtures';

export interface MembershipHarness {
  /** a store on a database of its own; a second call opens another connection to the same one */
  open(): Promise<EventStore>;
  dispose(): Promise<void>;
}

export function describePlanMembership(
  name: string,
  createHarness: () => Promise<MembershipHarness>,
): void {
  describe(`PlanMembership on ${name}`, () => {
    let harness: MembershipHarness;
    let store: EventStore;
    let membership: PlanMembership;

    beforeAll(async () => {
      harness = await createHarness();
      store = await harness.open();
    });
    afterAll(async () => {
      await store?.close();
      await harness?.dispose();
    });
    beforeEach(() => {
      membership = new PlanMembership(store, { log: SILENT_LOG });
      membership.start();
    });
    afterEach(async () => {
      await membership.stop();
    });

    it('given a plan just created, when its creator asks at once, then they are its owner', async () => {
      const planId = await createPlan(store, 'alice', 'Data centre move');
      expect(await membership.roleOf(planId, 'alice')).toBe('owner');
      expect(await membership.planExists(planId)).toBe(true);
      expect(await membership.plansOf('alice')).toContainEqual({
        planId,
        role: 'owner',
        title: 'Data centre move',
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        archived: false,
      });
    });

    it('given no such plan, then it does not exist and nobody has a role on it', async () => {
      const planId = randomUUID();
      expect(await membership.planExists(planId)).toBe(false);
      expect(await membership.roleOf(planId, 'alice')).toBeUndefined();
      expect(await membership.membersOf(planId)).toBeUndefined();
    });

    it('given a plan, when the owner grants bob editor, then the very next question sees bob as editor', async () => {
      const planId = await createPlan(store, 'alice');
      await membership.roleOf(planId, 'alice');
      await grant(store, planId, 'bob', 'editor');
      expect(await membership.roleOf(planId, 'bob')).toBe('editor');
      expect(await membership.membersOf(planId)).toEqual([
        { userId: 'alice', role: 'owner' },
        { userId: 'bob', role: 'editor' },
      ]);
    });

    it('given bob is editor, when he is downgraded to viewer, then he is viewer and listeners hear it', async () => {
      const planId = await createPlan(store, 'alice');
      await grant(store, planId, 'bob', 'editor');
      await membership.roleOf(planId, 'bob');
      const changes: MembershipChange[] = [];
      membership.onMembershipChanged((change) => changes.push(change));
      await grant(store, planId, 'bob', 'viewer');
      expect(await membership.roleOf(planId, 'bob')).toBe('viewer');
      expect(changes).toEqual([
        { planId, userId: 'bob', role: 'viewer', previousRole: 'editor', archived: false },
      ]);
    });

    it('given bob is editor, when he is revoked, then he has no role at once and listeners hear role undefined', async () => {
      const planId = await createPlan(store, 'alice');
      await grant(store, planId, 'bob', 'editor');
      await membership.roleOf(planId, 'bob');
      const changes: MembershipChange[] = [];
      const unsubscribe = membership.onMembershipChanged((change) => changes.push(change));
      await revoke(store, planId, 'bob');
      // no wait: read-your-writes covers revocations too, not only unknown users
      expect(await membership.roleOf(planId, 'bob')).toBeUndefined();
      expect(await membership.plansOf('bob')).not.toContainEqual(
        expect.objectContaining({ planId }),
      );
      expect(changes).toEqual([
        { planId, userId: 'bob', role: undefined, previousRole: 'editor', archived: false },
      ]);
      unsubscribe();
      await grant(store, planId, 'bob', 'auditor');
      expect(await membership.roleOf(planId, 'bob')).toBe('auditor');
      expect(changes).toHaveLength(1);
    });

    it('given grants written by another node, when asked at once, then the view waits for them instead of guessing', async () => {
      // appends through another store instance reach this view's subscription only by polling
      // or notification, i.e. measurably later: this is what read-your-writes has to bridge
      const otherNode = await harness.open();
      try {
        const planId = await createPlan(otherNode, 'alice');
        expect(await membership.roleOf(planId, 'alice')).toBe('owner');
        await grant(otherNode, planId, 'bob', 'editor');
        expect(await membership.roleOf(planId, 'bob')).toBe('editor');
        await revoke(otherNode, planId, 'bob');
        expect(await membership.roleOf(planId, 'bob')).toBeUndefined();
      } finally {
        await otherNode.close();
      }
    });

    it('given the same role granted twice, then listeners hear only the first grant', async () => {
      const planId = await createPlan(store, 'alice');
      const changes: MembershipChange[] = [];
      membership.onMembershipChanged((change) => changes.push(change));
      await grant(store, planId, 'carol', 'viewer');
      await grant(store, planId, 'carol', 'viewer');
      await membership.roleOf(planId, 'carol');
      expect(changes.filter((c) => c.planId === planId && c.userId === 'carol')).toHaveLength(1);
    });

    it('given a busy plan (many content updates after the last grant), when asked, then the answer is current', async () => {
      const planId = await createPlan(store, 'alice');
      await grant(store, planId, 'bob', 'editor');
      await appendUpdates(store, planId, 300);
      expect(await membership.roleOf(planId, 'bob')).toBe('editor');
      await appendUpdates(store, planId, 50);
      await revoke(store, planId, 'bob');
      await appendUpdates(store, planId, 50);
      expect(await membership.roleOf(planId, 'bob')).toBeUndefined();
    });

    it('given a log written before the view started, when it starts, then it replays every plan from position 0', async () => {
      const planId = await createPlan(store, 'dora', 'Replayed');
      await grant(store, planId, 'erin', 'auditor');
      await revoke(store, planId, 'dora');
      const late = new PlanMembership(store, { log: SILENT_LOG });
      late.start();
      try {
        expect(await late.roleOf(planId, 'erin')).toBe('auditor');
        expect(await late.roleOf(planId, 'dora')).toBeUndefined();
        expect(await late.plansOf('erin')).toEqual([
          expect.objectContaining({ planId, title: 'Replayed', role: 'auditor' }),
        ]);
      } finally {
        await late.stop();
      }
    });

    it('given a plan that is archived and restored, then plansOf reports it', async () => {
      const planId = await createPlan(store, 'alice');
      const meta = { actor: 'alice', at: new Date().toISOString() };
      await store.appendToStream(planStreamId(planId), [
        { id: randomUUID(), type: 'PlanArchived', data: {}, metadata: meta },
      ]);
      expect((await membership.plan(planId))?.archived).toBe(true);
      await store.appendToStream(planStreamId(planId), [
        { id: randomUUID(), type: 'PlanRestored', data: {}, metadata: meta },
      ]);
      expect((await membership.plan(planId))?.archived).toBe(false);
      expect(await membership.roleOf(planId, 'alice')).toBe('owner');
    });

    it('given a malformed grant in the log, then it grants nothing, is reported and later events still apply', async () => {
      const log = recordingLog();
      const view = new PlanMembership(store, { log });
      view.start();
      try {
        const planId = await createPlan(store, 'alice');
        const meta = { actor: 'mallory', at: new Date().toISOString() };
        await store.appendToStream(planStreamId(planId), [
          {
            id: randomUUID(),
            type: 'MemberGranted',
            data: { userId: 'mallory', role: 'admin' },
            metadata: meta,
          },
        ]);
        await grant(store, planId, 'bob', 'viewer');
        expect(await view.roleOf(planId, 'mallory')).toBeUndefined();
        expect(await view.roleOf(planId, 'bob')).toBe('viewer');
        expect(log.lines).toContainEqual(
          expect.stringMatching(/malformed membership event.*unknown role "admin"/),
        );
      } finally {
        await view.stop();
      }
    });

    it('given a view whose subscription is stalled, when asked about a fresh grant, then it answers within the bound and warns', async () => {
      const log = recordingLog();
      const stalled = new PlanMembership(withStalledSubscription(store), {
        log,
        freshnessTimeoutMs: 150,
      });
      stalled.start();
      try {
        const planId = await createPlan(store, 'alice');
        const startedMs = Date.now();
        expect(await stalled.roleOf(planId, 'alice')).toBeUndefined();
        expect(Date.now() - startedMs).toBeLessThan(2000);
        expect(log.lines).toContainEqual(expect.stringMatching(/^warn: membership view is behind/));
      } finally {
        await stalled.stop();
      }
    });

    it('given the first subscription fails, then the view reports it, re-subscribes and catches up', async () => {
      const log = recordingLog();
      const flaky = new PlanMembership(withFailingFirstSubscription(store), {
        log,
        retryDelayMs: 10,
      });
      flaky.start();
      try {
        const planId = await createPlan(store, 'alice');
        expect(await flaky.roleOf(planId, 'alice')).toBe('owner');
        expect(log.lines).toContainEqual(
          expect.stringMatching(/^error: membership subscription failed.*retrying/),
        );
      } finally {
        await flaky.stop();
      }
    });
  });
}

/** the store, except that subscriptions deliver nothing until closed */
function withStalledSubscription(store: EventStore): EventStore {
  return Object.assign(Object.create(store) as EventStore, {
    subscribeToAll: (): AllSubscription => {
      let release: () => void = () => undefined;
      const closed = new Promise<void>((resolve) => (release = resolve));
      return {
        close: async () => release(),
        async *[Symbol.asyncIterator]() {
          await closed;
        },
      };
    },
  });
}

/** the store, except that the first subscription throws when read */
function withFailingFirstSubscription(store: EventStore): EventStore {
  let failed = false;
  return Object.assign(Object.create(store) as EventStore, {
    subscribeToAll: (options?: SubscribeOptions): AllSubscription => {
      if (failed) return store.subscribeToAll(options);
      failed = true;
      return {
        close: async () => undefined,
        async *[Symbol.asyncIterator]() {
          throw new Error('connection reset');
        },
      };
    },
  });
}
