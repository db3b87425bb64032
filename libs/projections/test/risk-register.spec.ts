import { heatMapCount } from '@lib/plan-domain';
import type { Projections } from '@lib/projections';
import {
  addCriticalPathExample,
  PlanWriter,
  startProjectionHarness,
  type ProjectionHarness,
} from './plan-log.harness';

describe('risk register read model', () => {
  let harness: ProjectionHarness;
  let projections: Projections;
  let plan: PlanWriter;

  beforeEach(async () => {
    harness = await startProjectionHarness();
    projections = await harness.open();
    plan = harness.writer('p1');
    await plan.create('maria', '2027-03-01T08:00:00.000Z', 'ERP upgrade', '2027-03-01');
    await plan.edit('maria', '2027-03-01T09:00:00.000Z', (p) => {
      addCriticalPathExample(p);
      p.addRisk({
        id: 'r1',
        title: 'Vendor late',
        probability: 4,
        impact: 5,
        owner: 'li',
        reviewDate: '2027-03-10',
        linkedTaskIds: ['A'],
      });
      p.addRisk({
        id: 'r2',
        title: 'Copy late',
        probability: 2,
        impact: 2,
        owner: 'ana',
        reviewDate: '2027-03-20',
        linkedTaskIds: ['C'],
      });
    });
  });

  afterEach(async () => {
    await harness.close();
  });

  it('given a risk of probability 4 and impact 5, when read, then it scores 20, is critical, fills heat-map cell (4,5) and is flagged on the critical path', async () => {
    await projections.catchUp('risk-register');
    const register = await projections.riskRegister.riskRegister('p1', { today: '2027-03-05' });
    expect(register?.risks[0]).toMatchObject({
      id: 'r1',
      score: 20,
      level: 'critical',
      onCriticalPath: true,
      criticalTaskIds: ['A'],
    });
    expect(register?.risks[1]).toMatchObject({
      id: 'r2',
      score: 4,
      level: 'low',
      onCriticalPath: false,
    });
    expect(heatMapCount(register!.heatMap, 4, 5)).toBe(1);
    expect(register?.heatMap.flat().reduce((a, b) => a + b, 0)).toBe(2);
    expect(register?.openCriticalPathRiskIds).toEqual(['r1']);
    expect(register?.openCountsByLevel).toEqual({ low: 1, medium: 0, high: 0, critical: 1 });
  });

  it('given review dates, when read on different days, then overdue reviews are judged against the day asked for', async () => {
    await projections.catchUp('risk-register');
    expect(
      (await projections.riskRegister.riskRegister('p1', { today: '2027-03-05' }))?.overdueReviews,
    ).toEqual([]);
    expect(
      (await projections.riskRegister.riskRegister('p1', { today: '2027-03-15' }))?.overdueReviews,
    ).toEqual([{ riskId: 'r1', owner: 'li', reviewDate: '2027-03-10', daysOverdue: 5 }]);
  });

  it('given risks changed over several days, when read, then the exposure trend follows the event times, one point per day up to today', async () => {
    await plan.edit('carol', '2027-03-02T10:00:00.000Z', (p) => p.setRiskScore('r2', 3, 3));
    await plan.edit('carol', '2027-03-02T16:00:00.000Z', (p) => p.setRiskScore('r2', 3, 4));
    await plan.edit('li', '2027-03-04T11:00:00.000Z', (p) =>
      p.updateRisk('r1', { status: 'mitigated' }),
    );
    await projections.catchUp('risk-register');
    const register = await projections.riskRegister.riskRegister('p1', { today: '2027-03-06' });
    expect(register?.exposureTrend).toEqual([
      { date: '2027-03-01', exposure: 24, openCount: 2 },
      { date: '2027-03-02', exposure: 32, openCount: 2 },
      { date: '2027-03-03', exposure: 32, openCount: 2 },
      { date: '2027-03-04', exposure: 12, openCount: 1 },
      { date: '2027-03-05', exposure: 12, openCount: 1 },
      { date: '2027-03-06', exposure: 12, openCount: 1 },
    ]);
    // asked about an earlier day, the trend stops there
    const earlier = await projections.riskRegister.riskRegister('p1', { today: '2027-03-02' });
    expect(earlier?.exposureTrend.map((p) => p.date)).toEqual(['2027-03-01', '2027-03-02']);
  });

  it('given a day split over two batches, when projected in small batches, then the trend equals the one projected at once', async () => {
    await plan.edit('carol', '2027-03-02T10:00:00.000Z', (p) => p.setRiskScore('r2', 3, 3));
    await plan.edit('carol', '2027-03-02T16:00:00.000Z', (p) => p.setRiskScore('r2', 3, 4));
    const small = await harness.open({ batchSize: 1, file: 'small.sqlite' });
    await small.catchUp('risk-register');
    await projections.catchUp('risk-register');
    const rows = (p: Projections) =>
      p.readModels.all('SELECT * FROM risk_register_exposure_days ORDER BY plan_id, day');
    expect(await rows(small)).toEqual(await rows(projections));
  });

  it('given a task becomes critical, when projected, then the risk linked to it is flagged', async () => {
    await plan.edit('bob', '2027-03-02T10:00:00.000Z', (p) =>
      p.updateTask('C', { durationDays: 9 }),
    );
    await projections.catchUp('risk-register');
    const register = await projections.riskRegister.riskRegister('p1', { today: '2027-03-05' });
    expect(register?.openCriticalPathRiskIds).toEqual(['r2']);
  });

  it('given a today that is not a date, when read, then it fails naming today', async () => {
    await projections.catchUp('risk-register');
    await expect(projections.riskRegister.riskRegister('p1', { today: '5 March' })).rejects.toThrow(
      /today/,
    );
  });
});
