import { InvalidHistoryQueryError, type Projections } from '@lib/projections';
import { PlanWriter, startProjectionHarness, type ProjectionHarness } from './plan-log.harness';

describe('change log read model', () => {
  let harness: ProjectionHarness;
  let projections: Projections;
  let plan: PlanWriter;

  beforeEach(async () => {
    harness = await startProjectionHarness();
    plan = harness.writer('crm');
    await plan.create('maria', '2027-03-01T08:00:00.000Z', 'CRM rollout');
    await plan.json(
      'MemberGranted',
      { userId: 'bob', role: 'editor' },
      'maria',
      '2027-03-01T08:05:00.000Z',
    );
    await plan.edit('bob', '2027-03-01T09:00:00.000Z', (p) => {
      p.addTask({ id: 't1', title: 'Kick-off', durationDays: 1 });
      p.addRisk({ id: 'r1', title: 'Data quality', probability: 3, impact: 4, owner: 'bob' });
    });
    await plan.edit('carol', '2027-03-02T10:30:00.000Z', (p) => p.setRiskScore('r1', 4, 5));
    await plan.edit('bob', '2027-03-02T11:00:00.000Z', (p) =>
      p.updateTask('t1', { durationDays: 2, percentComplete: 50 }),
    );
    await plan.json('MemberRevoked', { userId: 'bob' }, 'maria', '2027-03-03T08:00:00.000Z');
    projections = await harness.open();
    await projections.catchUp('change-log');
  });

  afterEach(async () => {
    await harness.close();
  });

  it('given carol raised a risk from 3×4 to 4×5, when the history is read, then one entry says who changed which score from what to what', async () => {
    const { entries } = await projections.changeLog.history('crm');
    const scoreChanges = entries.filter((e) => e.changeType === 'RiskScoreChanged');
    expect(scoreChanges).toEqual([
      {
        planId: 'crm',
        position: 5,
        seq: 0,
        version: 4,
        eventId: expect.any(String),
        eventType: 'PlanUpdated',
        actor: 'carol',
        at: '2027-03-02T10:30:00.000Z',
        changeType: 'RiskScoreChanged',
        entity: { type: 'risk', id: 'r1' },
        payload: {
          type: 'RiskScoreChanged',
          entity: { type: 'risk', id: 'r1' },
          from: { probability: 3, impact: 4, score: 12 },
          to: { probability: 4, impact: 5, score: 20 },
        },
        summary: 'risk r1 score changed from 12 (P3×I4) to 20 (P4×I5)',
      },
    ]);
  });

  it('given a realistic sequence, when the history is read, then entries follow the log with actors, versions and membership events', async () => {
    const { entries, next } = await projections.changeLog.history('crm');
    expect(next).toBeNull();
    expect(entries[0]).toMatchObject({
      changeType: 'PlanCreated',
      actor: 'maria',
      version: 0,
      summary: 'plan created: "CRM rollout", owner maria',
    });
    expect(
      entries
        .map((e) => [e.version, e.actor, e.changeType, `${e.entity.type} ${e.entity.id}`])
        .slice(-6),
    ).toEqual([
      [3, 'bob', 'TaskAdded', 'task t1'],
      [3, 'bob', 'RiskAdded', 'risk r1'],
      [4, 'carol', 'RiskScoreChanged', 'risk r1'],
      [5, 'bob', 'TaskRescheduled', 'task t1'],
      [5, 'bob', 'TaskProgressed', 'task t1'],
      [6, 'maria', 'MemberRevoked', 'member bob'],
    ]);
    expect(entries.find((e) => e.changeType === 'MemberGranted')).toMatchObject({
      entity: { type: 'member', id: 'bob' },
      payload: { userId: 'bob', role: 'editor' },
      summary: 'member bob granted editor',
    });
    const positions = entries.map((e) => [e.position, e.seq]);
    expect(positions).toEqual([...positions].sort((a, b) => a[0] - b[0] || a[1] - b[1]));
  });

  it('given pages of two, when each page continues from the previous cursor, then together they are the whole history without gap or repeat', async () => {
    const whole = (await projections.changeLog.history('crm')).entries;
    const paged = [];
    let from: string | undefined;
    do {
      const page = await projections.changeLog.history('crm', { from, limit: 2 });
      paged.push(...page.entries);
      from = page.next ?? undefined;
    } while (from);
    expect(paged).toEqual(whole);
  });

  it('given a version cursor, when read forwards and backwards, then entries start at that version or end there, newest first', async () => {
    const since = await projections.changeLog.history('crm', { from: 'v5' });
    expect(since.entries.map((e) => e.version)).toEqual([5, 5, 6]);
    const latest = await projections.changeLog.history('crm', { direction: 'backwards', limit: 3 });
    expect(latest.entries.map((e) => e.changeType)).toEqual([
      'MemberRevoked',
      'TaskProgressed',
      'TaskRescheduled',
    ]);
    const older = await projections.changeLog.history('crm', {
      direction: 'backwards',
      from: latest.next ?? '',
      limit: 2,
    });
    expect(older.entries.map((e) => e.changeType)).toEqual(['RiskScoreChanged', 'RiskAdded']);
  });

  it('given a position cursor, when read, then only entries of later events come back', async () => {
    const page = await projections.changeLog.history('crm', { from: '5' });
    expect(page.entries.every((e) => e.position > 5)).toBe(true);
    expect(page.entries[0].changeType).toBe('TaskRescheduled');
  });

  it('given a malformed cursor or limit, when read, then the error names the field', async () => {
    await expect(projections.changeLog.history('crm', { from: 'yesterday' })).rejects.toThrow(
      InvalidHistoryQueryError,
    );
    await expect(projections.changeLog.history('crm', { from: 'yesterday' })).rejects.toMatchObject(
      { field: 'from' },
    );
    await expect(projections.changeLog.history('crm', { limit: 0 })).rejects.toMatchObject({
      field: 'limit',
    });
  });

  it('given entries of two plans, when a feed catches up after a position, then it gets whole events of the plans it asked for', async () => {
    const other = harness.writer('other');
    await other.create('li', '2027-03-04T08:00:00.000Z', 'Other');
    await projections.catchUp('change-log');
    const all = await projections.changeLog.entriesAfter(6);
    expect([...new Set(all.map((e) => e.planId))]).toEqual(['crm', 'other']);
    const beforeBobsEdit = (await projections.changeLog.history('crm')).entries.filter(
      (e) => e.position < 4,
    ).length;
    // the limit falls on the first of the two entries of bob's edit at position 4: both come
    const limited = await projections.changeLog.entriesAfter(0, {
      planIds: ['crm'],
      limit: beforeBobsEdit + 1,
    });
    expect(limited.map((e) => e.changeType).slice(-2)).toEqual(['TaskAdded', 'RiskAdded']);
    expect(limited.every((e) => e.planId === 'crm')).toBe(true);
  });

  it('given the same log, when projected twice into separate stores, then the entries are identical', async () => {
    const again = await harness.open({ file: 'again.sqlite' });
    await again.catchUp('change-log');
    expect((await again.changeLog.history('crm', { limit: 1000 })).entries).toEqual(
      (await projections.changeLog.history('crm', { limit: 1000 })).entries,
    );
  });
});
