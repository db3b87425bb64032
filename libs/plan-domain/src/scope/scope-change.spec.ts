import {
  buildScopeReport,
  scopeChangesBetween,
  type ScopeBaseline,
  type ScopeItem,
} from './scope-change';

const item = (id: string, durationDays: number, cost: number): ScopeItem => ({
  id,
  kind: 'task',
  title: id.toUpperCase(),
  durationDays,
  cost,
});
const baseline: ScopeBaseline = {
  baselineId: 'b1',
  name: 'Signed off',
  capturedAt: '2027-03-01T09:00:00.000Z',
  projectFinish: '2027-04-01',
  items: [
    item('t1', 10, 1000),
    item('t2', 10, 1000),
    { id: 'm1', kind: 'milestone', title: 'M1', durationDays: 0, cost: 0 },
  ],
};

describe('scope change', () => {
  it('given one event that adds, removes and re-estimates, then each item change is recorded with the actor', () => {
    const records = scopeChangesBetween(
      [item('t1', 10, 1000), item('t2', 10, 1000)],
      [item('t1', 12, 1000), item('t3', 5, 500)],
      {
        at: '2027-03-02T10:00:00.000Z',
        actor: 'ken',
        version: 7,
      },
    );
    expect(records).toEqual([
      expect.objectContaining({
        change: 'changed',
        itemId: 't1',
        durationDeltaDays: 2,
        costDelta: 0,
        actor: 'ken',
        version: 7,
      }),
      expect.objectContaining({
        change: 'added',
        itemId: 't3',
        durationDeltaDays: 5,
        costDelta: 500,
      }),
      expect.objectContaining({
        change: 'removed',
        itemId: 't2',
        durationDeltaDays: -10,
        costDelta: -1000,
      }),
    ]);
  });

  it('given three tasks added after the baseline, then effort, cost and items grow past a 10 % threshold, attributed to who added them', () => {
    const added = [item('t3', 2, 400), item('t4', 2, 400), item('t5', 2, 400)];
    const changes = added.map(
      (i, n) =>
        scopeChangesBetween([], [i], {
          at: `2027-03-0${n + 2}T10:00:00.000Z`,
          actor: n === 2 ? 'raj' : 'ken',
          version: 5 + n,
        })[0],
    );
    const report = buildScopeReport({
      baseline,
      items: [...baseline.items, ...added],
      projectFinish: '2027-04-03',
      changes,
      thresholdPercent: 10,
    });
    expect(report.added.map((a) => [a.id, a.addedBy])).toEqual([
      ['t3', 'ken'],
      ['t4', 'ken'],
      ['t5', 'raj'],
    ]);
    expect(report.totals).toMatchObject({
      effortDeltaDays: 6,
      effortDeltaPercent: 30,
      costDelta: 1200,
      costDeltaPercent: 60,
      addedItemsPercent: 100,
      scheduleDeltaDays: 2,
    });
    expect(report).toMatchObject({
      growthPercent: 100,
      creepDetected: true,
      removed: [],
      changed: [],
    });
  });

  it('given only a removal and a cheaper estimate, then scope changed but did not creep', () => {
    const report = buildScopeReport({
      baseline,
      items: [item('t1', 10, 800), baseline.items[2]],
      projectFinish: '2027-03-20',
      changes: [],
      thresholdPercent: 10,
    });
    expect(report.removed.map((r) => r.id)).toEqual(['t2']);
    expect(report.changed).toEqual([
      expect.objectContaining({ id: 't1', costDelta: -200, changedBy: [] }),
    ]);
    expect(report).toMatchObject({ growthPercent: 0, creepDetected: false });
    expect(report.totals.scheduleDeltaDays).toBe(-12);
  });
});
