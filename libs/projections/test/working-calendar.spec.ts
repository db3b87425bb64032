/**
 * The timeline and the status report on working calendars, projected from real event logs:
 * the CRM sample over Easter, a finish-no-later-than that cannot hold, and earned value with
 * costs recorded as events.
 */
import { ACTUAL_COST_RECORDED, importPlan, type PlanFile } from '@lib/plan-domain';
import {
  renderStatusReportHtml,
  renderStatusReportMarkdown,
  statusReport,
  type Projections,
  type TimelineView,
} from '@lib/projections';
import crmPlan from '../../plan-domain/src/scheduling/fixtures/crm-rollout.plan.json';
import crmExpected from '../../plan-domain/src/scheduling/fixtures/crm-rollout.expected-timeline.json';
import { startProjectionHarness, type ProjectionHarness } from './plan-log.harness';

const EASTER_CALENDAR = {
  workingWeekdays: [1, 2, 3, 4, 5],
  holidays: [
    { date: '2027-03-26', name: 'Good Friday' },
    { date: '2027-03-29', name: 'Easter Monday' },
  ],
  exceptions: [],
};
const on = (timeline: TimelineView | undefined, id: string) =>
  timeline?.activities.find((a) => a.id === id);

describe('timeline on a working calendar', () => {
  let harness: ProjectionHarness;
  let projections: Projections;

  beforeEach(async () => {
    harness = await startProjectionHarness();
    projections = await harness.open();
  });
  afterEach(() => harness.close());

  async function crmOnWorkingDays(): Promise<ReturnType<ProjectionHarness['writer']>> {
    const crm = harness.writer('crm');
    await crm.create('maria', '2027-02-01T09:00:00.000Z', 'CRM', '2027-03-01');
    await crm.edit('maria', '2027-02-01T09:05:00.000Z', () =>
      importPlan(crm.doc, crmPlan as PlanFile),
    );
    await crm.edit('maria', '2027-02-01T09:10:00.000Z', (p) =>
      p.setMeta({ calendarMode: 'working-days', calendar: EASTER_CALENDAR }),
    );
    return crm;
  }

  it('given the CRM plan file as imported, then it keeps counting calendar days', async () => {
    const crm = harness.writer('crm');
    await crm.create('maria', '2027-02-01T09:00:00.000Z', 'CRM', '2027-03-01');
    await crm.edit('maria', '2027-02-01T09:05:00.000Z', () =>
      importPlan(crm.doc, crmPlan as PlanFile),
    );
    await projections.catchUp('timeline');
    const timeline = await projections.timeline.timeline('crm');
    expect(timeline).toMatchObject({
      calendarMode: 'calendar-days',
      projectFinish: crmExpected.projectFinish,
    });
  });

  it('given the CRM plan on Mon–Fri with Good Friday and Easter Monday off, then it finishes on Monday 12 July along the same critical path', async () => {
    await crmOnWorkingDays();
    await projections.catchUp('timeline');
    const timeline = await projections.timeline.timeline('crm');
    // worked out in libs/plan-domain/src/scheduling/working-days.spec.ts: the day numbers stay
    // those of the calendar-day schedule (0…93); day 93 is weekday 95 (two holidays before
    // it) = 19 weeks after Monday 1 March = Monday 12 July; the last work day is Friday 9 July
    expect(timeline).toMatchObject({
      calendarMode: 'working-days',
      projectFinishDay: 93,
      projectFinish: '2027-07-12',
    });
    expect(on(timeline, 't27')?.lastWorkDay).toBe('2027-07-09');
    expect(timeline?.criticalPath).toEqual(crmExpected.criticalPath);
    // t06 runs across Easter: Fri 19 March + 11 more working days skipping 26 and 29 March
    expect([on(timeline, 't06')?.start, on(timeline, 't06')?.lastWorkDay]).toEqual([
      '2027-03-19',
      '2027-04-07',
    ]);
  });

  it('given a FNLT on testing that the build chain cannot meet, then the conflict is reported with the chain that pushes it', async () => {
    const crm = await crmOnWorkingDays();
    // t15 (testing) is scheduled days 53–63, last work day day 62 = Fri 28 May. FNLT Fri 21 May
    // allows day 57 as the last work day: 62 − 57 = 5 working days over. What drives it:
    // t15 ← t12 (FS; t14 ends the same day, ties go to the lower predecessor id: links are
    // keyed by it) ← t11 (SS+5) ← t10 (FS; t10 ends day 30, m02 only day 26) ← t06 (FS) ← m01
    // (FS; t05 ends the same day, m01 sorts first) ← t04 (FS; t02 ends a day after t03) ← t02
    // (FS) ← t01, which starts at the plan start.
    await crm.edit('maria', '2027-02-02T09:00:00.000Z', (p) =>
      p.updateTask('t15', { constraint: { type: 'FNLT', date: '2027-05-21' } }),
    );
    await projections.catchUp('timeline');
    const timeline = await projections.timeline.timeline('crm');
    expect(timeline?.constraintConflicts).toEqual([
      {
        activityId: 't15',
        constraint: { type: 'FNLT', date: '2027-05-21' },
        scheduled: '2027-05-28',
        allowed: '2027-05-21',
        overrunDays: 5,
        chain: ['t01', 't02', 't04', 'm01', 't06', 't10', 't11', 't12', 't15'],
        chainStart: 'plan-start',
      },
    ]);
    expect(on(timeline, 't15')?.totalFloat).toBe(-5);
  });
});

describe('earned value and the S-curve in the status report', () => {
  let harness: ProjectionHarness;
  let projections: Projections;

  beforeAll(async () => {
    harness = await startProjectionHarness();
    const plan = harness.writer('evm');
    await plan.create('maria', '2027-02-20T09:00:00.000Z', 'Office move', '2027-03-01');
    await plan.edit('maria', '2027-02-20T09:10:00.000Z', (p) => {
      p.setMeta({ calendarMode: 'working-days', calendar: { workingWeekdays: [1, 2, 3, 4, 5] } });
      p.addTask({ id: 'A', title: 'Pack', durationDays: 10, cost: 10_000 });
      p.addTask({ id: 'B', title: 'Cabling', durationDays: 4, cost: 4_000 });
      p.addTask({ id: 'C', title: 'Furniture', durationDays: 8, cost: 8_000 });
      p.addTask({ id: 'D', title: 'Signage', durationDays: 5, cost: 5_000, start: '2027-03-03' });
    });
    // the status date Friday 5 March: A, B and C half done since Monday, D not started
    await plan.edit('ken', '2027-03-05T17:00:00.000Z', (p) => {
      for (const id of ['A', 'B', 'C'])
        p.updateTask(id, { percentComplete: 50, actualStart: '2027-03-01' });
      p.setMeta({ statusDate: '2027-03-05' });
    });
    for (const [taskId, amount, date] of [
      ['A', 6_000, '2027-03-04'],
      ['B', 1_500, '2027-03-02'],
      ['C', 4_500, '2027-03-05'],
    ] as const)
      await plan.json(
        ACTUAL_COST_RECORDED,
        { taskId, amount, date },
        'ken',
        '2027-03-05T18:00:00.000Z',
      );
    projections = await harness.open();
    await projections.catchUp();
  });
  afterAll(() => harness.close());

  it('given three tasks half done and one late at the status date, then SPI and CPI are the hand-computed ones', async () => {
    const timeline = await projections.timeline.timeline('evm');
    // PV by Fri 5 March: A 10 000 × 5/10 + B 4 000 × 4/4 + C 8 000 × 5/8 + D 5 000 × 3/5
    //   = 5 000 + 4 000 + 5 000 + 3 000 = 17 000
    // EV = 50 % × (10 000 + 4 000 + 8 000) = 11 000; AC = 6 000 + 1 500 + 4 500 = 12 000
    // SPI = 11 000 / 17 000 = 0.6471; CPI = 11 000 / 12 000 = 0.9167
    expect(timeline?.earnedValue).toMatchObject({
      statusDate: '2027-03-05',
      pv: 17_000,
      ev: 11_000,
      ac: 12_000,
      spi: 0.6471,
      cpi: 0.9167,
      bac: 27_000,
    });
    // D is late: planned from Wed 3 March, forecast from Mon 8 March (after the status date)
    expect(on(timeline, 'D')).toMatchObject({
      plannedStart: '2027-03-03',
      start: '2027-03-08',
      slipDays: 3,
    });
    expect(timeline?.slippedActivityIds).toContain('D');
  });

  it('given that plan, when the status report is built, then it shows the earned value and the S-curve', async () => {
    const report = await statusReport(projections, 'evm', {
      since: '2027-03-01',
      today: '2027-03-05',
      scopeCreepThresholdPercent: 10,
    });
    expect(report.earnedValue).toMatchObject({ spi: 0.6471, cpi: 0.9167 });
    expect(report.charts.sCurve).toEqual([
      expect.objectContaining({ week: '2027-W09', pv: 17_000, ev: 11_000, ac: 12_000 }),
      expect.objectContaining({ week: '2027-W10', pv: 27_000, ev: null, ac: null }),
    ]);
    const html = renderStatusReportHtml(report);
    expect(html).toContain('aria-label="S-curve: cumulative planned value');
    expect(html).toContain('Earned value as of 2027-03-05');
    expect(renderStatusReportMarkdown(report)).toMatch(
      /\| 2027-W09 \| .*17,000.* \| .*11,000.* \|/,
    );
  });
});
