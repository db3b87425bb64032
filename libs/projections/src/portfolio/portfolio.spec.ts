import { portfolioLine, type PortfolioInput } from './portfolio';

type Timeline = NonNullable<PortfolioInput['timeline']>;
type Risks = NonNullable<PortfolioInput['risks']>;
type Summary = NonNullable<PortfolioInput['summary']>;

const activity = (id: string, finishDeltaDays: number | null) =>
  ({
    id,
    slippage:
      finishDeltaDays === null
        ? null
        : { baselineStart: '', baselineFinish: '', startDeltaDays: 0, finishDeltaDays },
  }) as unknown as Timeline['activities'][number];

const timeline = (overrides: Partial<Timeline>): Timeline =>
  ({
    projectFinish: '2027-04-10',
    percentComplete: 25,
    criticalPath: ['a', 'b'],
    activities: [activity('a', 0), activity('b', 4), activity('c', 9)],
    milestones: [],
    baseline: {
      baselineId: 'b1',
      name: 'Approved',
      capturedAt: '',
      projectFinish: '2027-04-06',
      projectFinishDeltaDays: 4,
      slippedActivityIds: ['b', 'c'],
    },
    position: 12,
    ...overrides,
  }) as Timeline;

const base: PortfolioInput = { planId: 'p1', title: 'Rollout', role: 'owner', archived: false };

describe('portfolio line', () => {
  it('given a plan whose critical path slipped 4 days, then the finish and the critical slip say so and it is slipping', () => {
    const line = portfolioLine({ ...base, timeline: timeline({}) });
    expect(line.finish).toEqual({ forecast: '2027-04-10', baseline: '2027-04-06', deltaDays: 4 });
    // c slipped 9 days but has float: not on the critical path
    expect(line.criticalPathSlipDays).toBe(4);
    expect(line.slipping).toBe(true);
    expect(line).toMatchObject({ spi: null, cpi: null, position: 12 });
  });

  it('given no baseline, then slip is unknown (null), not zero, and the plan is not slipping', () => {
    const line = portfolioLine({ ...base, timeline: timeline({ baseline: null }) });
    expect(line.finish.baseline).toBeNull();
    expect(line.criticalPathSlipDays).toBeNull();
    expect(line.slipping).toBe(false);
  });

  it('given risks, budget and milestones, then open critical/high risks, budget use and the next undone milestone are picked', () => {
    const risks = {
      openCountsByLevel: { low: 1, medium: 0, high: 1, critical: 1 },
      risks: [
        { id: 'r1', title: 'Vendor', status: 'open', level: 'high', score: 12 },
        { id: 'r2', title: 'GDPR', status: 'open', level: 'critical', score: 20 },
        { id: 'r3', title: 'Old', status: 'closed', level: 'critical', score: 25 },
      ],
      position: 14,
    } as unknown as Risks;
    const summary = {
      title: 'Rollout',
      status: 'active',
      position: 13,
      budget: { currency: 'EUR', budget: 200_000, plannedCost: 150_000, overBudget: false },
    } as unknown as Summary;
    const milestones = [
      { id: 'm1', title: 'Kick-off', date: '2027-03-01', lateByDays: 0, status: 'done' },
      { id: 'm3', title: 'Go-live', date: '2027-04-10', lateByDays: 0, status: 'not-started' },
      { id: 'm2', title: 'UAT', date: '2027-03-20', lateByDays: 2, status: 'not-started' },
    ] as unknown as Timeline['milestones'];
    const line = portfolioLine({ ...base, summary, risks, timeline: timeline({ milestones }) });
    expect(line.openRisks).toEqual({
      critical: 1,
      high: 1,
      top: [
        { id: 'r2', title: 'GDPR', level: 'critical', score: 20 },
        { id: 'r1', title: 'Vendor', level: 'high', score: 12 },
      ],
    });
    expect(line.budget).toEqual({
      currency: 'EUR',
      budget: 200_000,
      plannedCost: 150_000,
      usedPercent: 75,
      overBudget: false,
    });
    expect(line.nextMilestone).toEqual({
      id: 'm2',
      title: 'UAT',
      date: '2027-03-20',
      lateByDays: 2,
    });
    expect(line.position).toBe(14);
  });

  it('given a plan not projected yet, then the line has its title and empty figures', () => {
    expect(portfolioLine(base)).toMatchObject({
      title: 'Rollout',
      finish: { forecast: null, baseline: null, deltaDays: null },
      budget: null,
      nextMilestone: null,
      slipping: false,
    });
  });
});
