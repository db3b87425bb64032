/**
 * Membership commands decided on the stream as it is: the last owner stays, concurrent
 * commands are each decided on the state they land on, and older payloads are upcast on read.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  decideMembership,
  isLastOwnerError,
  LastOwnerError,
  MEMBERSHIP_UPCASTERS,
  membershipDecider,
  planStreamId,
  PlanArchivedError,
  type MembershipCommand,
} from '@lib/auth';
import {
  foldStream,
  handleCommand,
  SQLITE_EVENTS_FILE,
  SqliteEventStore,
  upcast,
  Upcasters,
  DuplicateUpcasterError,
} from '@lib/event-store';
import { createPlan, grant } from './membership-fixtures';

const metadata = { actor: 'ana', at: '2027-01-04T09:00:00.000Z' };

describe('membership decider', () => {
  let dataDir: string;
  let store: SqliteEventStore;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'membership-decider-'));
    store = new SqliteEventStore({ file: join(dataDir, SQLITE_EVENTS_FILE) });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const run = (command: MembershipCommand) =>
    handleCommand(store, planStreamId(command.planId), membershipDecider, command);

  it('given a plan with one owner, when the owner is revoked or demoted, then LAST_OWNER is thrown and nothing is appended', async () => {
    const planId = await createPlan(store, 'ana');
    await expect(run({ type: 'RevokeMember', planId, userId: 'ana', metadata })).rejects.toThrow(
      LastOwnerError,
    );
    await expect(
      run({ type: 'GrantMember', planId, userId: 'ana', role: 'editor', metadata }),
    ).rejects.toThrow(LastOwnerError);
    expect(await store.streamVersion(planStreamId(planId))).toBe(0);
  });

  it('given two owners, when both are revoked at the same time, then exactly one revocation succeeds and an owner remains', async () => {
    const planId = await createPlan(store, 'ana');
    await grant(store, planId, 'ben', 'owner');

    const results = await Promise.allSettled([
      run({ type: 'RevokeMember', planId, userId: 'ana', metadata: { ...metadata, actor: 'ben' } }),
      run({ type: 'RevokeMember', planId, userId: 'ben', metadata }),
    ]);

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.filter((r) => r.status === 'rejected');
    expect(refused).toHaveLength(1);
    expect(isLastOwnerError((refused[0] as PromiseRejectedResult).reason)).toBe(true);
    const { state } = await foldStream(store, planStreamId(planId), membershipDecider);
    expect([...state.members.values()]).toEqual(['owner']);
  });

  it('given a revoked member, when revoked again, then nothing is appended', async () => {
    const planId = await createPlan(store, 'ana');
    await grant(store, planId, 'ben', 'editor');
    const first = await run({ type: 'RevokeMember', planId, userId: 'ben', metadata });
    const again = await run({ type: 'RevokeMember', planId, userId: 'ben', metadata });
    expect(first.appended).toBeDefined();
    expect(again.appended).toBeUndefined();
    expect(again.version).toBe(first.version);
  });

  it('given an archived plan, when archived again or restored, then archive is idempotent and restore appends PlanRestored', async () => {
    const planId = await createPlan(store, 'ana');
    expect((await run({ type: 'ArchivePlan', planId, metadata })).state.archived).toBe(true);
    expect((await run({ type: 'ArchivePlan', planId, metadata })).appended).toBeUndefined();
    const restored = await run({ type: 'RestorePlan', planId, metadata });
    expect(restored.state.archived).toBe(false);
    expect(restored.appended?.events).toHaveLength(1);
  });

  it('given no plan, when a member is granted, then the plan is not found', () => {
    expect(() =>
      decideMembership(
        { type: 'GrantMember', planId: 'p', userId: 'x', role: 'viewer', metadata },
        membershipDecider.initialState(),
      ),
    ).toThrow(/does not exist/);
    expect(new PlanArchivedError('p').code).toBe('PLAN_ARCHIVED');
  });

  it('given a MemberRevoked stored as schema v1, when read through the upcasters, then it reads as v2 with an unknown previous role', async () => {
    const planId = await createPlan(store, 'ana');
    await store.appendToStream(planStreamId(planId), [
      {
        id: randomUUID(),
        type: 'MemberRevoked',
        data: { userId: 'ben' },
        metadata,
        schemaVersion: 1,
      },
    ]);
    const [stored] = await store.readStream(planStreamId(planId), { fromVersion: 1 });
    expect(stored.schemaVersion).toBe(1);

    const read = upcast(stored, MEMBERSHIP_UPCASTERS);

    expect(read.schemaVersion).toBe(2);
    expect(read.data).toEqual({ userId: 'ben', previousRole: null });
    // the stored event is untouched: its hash still covers what was written
    expect(stored.data).toEqual({ userId: 'ben' });
    const revoked = await run({ type: 'RevokeMember', planId, userId: 'ana', metadata }).catch(
      (e: unknown) => e,
    );
    expect(isLastOwnerError(revoked)).toBe(true);
  });

  it('given an upcaster for a step, when another is registered for the same step, then registration fails', () => {
    const upcasters = new Upcasters().register({
      type: 'X',
      fromVersion: 1,
      upcast: (data) => data,
    });
    expect(() => upcasters.register({ type: 'X', fromVersion: 1, upcast: (data) => data })).toThrow(
      DuplicateUpcasterError,
    );
  });
});
