/**
 * The stakeholder read models and the status report over a realistic log: the CRM rollout
 * fixture, a baseline, and a week in which a milestone slips, a risk rises, a KPI gets worse,
 * someone comments and three tasks are added.
 */
import { importPlan, type PlanFile } from '@lib/plan-domain';
import {
  baselineCapturedEvent,
  captureBaseline,
  planStreamId,
  renderStatusReportHtml,
  renderStatusReportMarkdown,
  statusReport,
  type ProjectedBatch,
  type Projections,
} from '@lib/projections';
import crm from '../../plan-domain/src/scheduling/fixtures/crm-rollout.plan.json';
import {
  startProjectionHarness,
  type PlanWriter,
  type ProjectionHarness,
} from './plan-log.harness';

const at = (day: number, hour = 9) =>
  `2027-03-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00.000Z`;

describe('status report over the CRM rollout', () => {
  let harness: ProjectionHarness;
  let projections: Projections;
  let writer: PlanWriter;
  const batches: ProjectedBatch[] = [];

  beforeAll(async () => {
    harness = await startProjectionHarness();
    writer = harness.writer('crm');
    await writer.create('maria', at(1, 8), 'CRM system rollout');
    await writer.edit('maria', at(1, 8), (plan) => importPlan(plan.doc, crm as PlanFile));
    const baseline = captureBaseline(writer.plan.toJSON(), {
      baselineId: 'b1',
      name: 'Signed off',
      capturedAt: at(1, 10),
    });
    await harness.store.appendToStream(planStreamId('crm'), [
      baselineCapturedEvent(baseline, { actor: 'maria', at: at(1, 10) }),
    ]);
    await writer.edit('ken', at(2), (plan) =>
      plan.updateTask('t01', { percentComplete: 100, status: 'done' }),
    );
    await writer.json('KpiMeasured', { objectiveId: 'o01', value: 20, at: at(3) }, 'ana', at(3));
    // the week reported on
    await writer.edit('ken', at(9), (plan) =>
      plan.updateTask('t02', { durationDays: 14, percentComplete: 40 }),
    );
    await writer.edit('ana', at(9, 11), (plan) => plan.setRiskScore('r02', 5, 4));
    await writer.json('KpiMeasured', { objectiveId: 'o01', value: 23, at: at(10) }, 'ana', at(10));
    await writer.json(
      'CommentPosted',
      {
        commentId: 'c1',
        target: { type: 'milestone', id: 'm01' },
        text: '@maria sign-off moves, tell the sponsor',
        mentions: ['maria'],
      },
      'ken',
      at(11),
    );
    await writer.edit('raj', at(12), (plan) => {
      for (const n of [1, 2, 3])
        plan.addTask({
          id: `x${n}`,
          title: `Extra report ${n}`,
          durationDays: 5,
          cost: 20_000,
          assignees: ['raj'],
          start: '2027-03-15',
        });
    });
    projections = await harness.open({ scopeCreepThresholdPercent: 10 });
    projections.onProjected((b) => batches.push(b));
    await projections.catchUp();
  });
  afterAll(() => harness.close());

  it('given the week of 8 March, when the status report is built, then it names the slipped milestone, the risk that rose and the KPI off target', async () => {
    const report = await statusReport(projections, 'crm', {
      since: '2027-03-08',
      today: '2027-03-15',
      scopeCreepThresholdPercent: 10,
    });
    expect(report.milestones.find((m) => m.id === 'm01')).toMatchObject({
      title: 'Requirements signed off',
      baselineDate: '2027-03-15',
      date: '2027-03-21',
      slipDays: 6,
      movedInPeriodDays: 6,
      state: 'slipped',
    });
    expect(report.risks.rose).toEqual([
      expect.objectContaining({ id: 'r02', scoreAtSince: 16, score: 20, level: 'critical' }),
    ]);
    expect(report.risks.top[0]).toMatchObject({ id: 'r02', movement: 'up' });
    expect(report.kpis.find((k) => k.id === 'o01')).toMatchObject({
      current: 23,
      valueAtSince: 20,
      change: 3,
      direction: 'worsening',
    });
    expect(['at-risk', 'off-track']).toContain(report.kpis.find((k) => k.id === 'o01')?.status);
    expect(report.scope).toMatchObject({
      creepDetected: true,
      costDelta: 60_000,
      thresholdPercent: 10,
    });
    expect(report.scope?.added.map((a) => a.by)).toEqual(['raj', 'raj', 'raj']);
    expect(report.feedback).toMatchObject({ openThreads: 1, commentsInPeriod: 1 });
    expect(report.feedback.threads[0]).toMatchObject({
      targetTitle: 'Requirements signed off',
      author: 'ken',
    });
    expect(report.overAllocations).toContainEqual(
      expect.objectContaining({
        resourceId: 'raj',
        week: '2027-W11',
        assignedHours: 120,
        capacityHours: 56,
      }),
    );
    expect(report.highlights.join('\n')).toMatch(
      /Milestone "Requirements signed off" slipped 6 days/,
    );
    expect(report.highlights.join('\n')).toMatch(
      /Risk "Dirty legacy data delays migration" rose from 16 to 20/,
    );
    expect(report.highlights.join('\n')).toMatch(
      /KPI "median first response time" is (at-risk|off-track)/,
    );
  });

  it('given the same report, when rendered, then Markdown has the sections and HTML is one page with inline SVG charts and nothing external', async () => {
    const report = await statusReport(projections, 'crm', {
      since: '2027-03-08',
      today: '2027-03-15',
      scopeCreepThresholdPercent: 10,
    });
    const markdown = renderStatusReportMarkdown(report);
    for (const heading of [
      '## Highlights',
      '## Milestones',
      '## Critical path',
      '## Risks',
      '## Budget',
      '## Objectives and KPIs',
      '## Scope',
      '## Feedback',
    ]) {
      expect(markdown).toContain(heading);
    }
    expect(markdown).toMatch(/\| Requirements signed off \| 2027-03-21 \| 2027-03-15 \| \+6 \|/);
    const html = renderStatusReportHtml(report);
    expect(html.match(/<svg /g)?.length).toBeGreaterThanOrEqual(5);
    expect(html).not.toMatch(/<script|src=|href=/);
    expect(html).toContain('Dirty legacy data delays migration');
  });

  it('given a stakeholder with little influence as the audience, then the report is the summary; an unknown audience is refused', async () => {
    const query = { since: '2027-03-08', today: '2027-03-15', scopeCreepThresholdPercent: 10 };
    const forReps = await statusReport(projections, 'crm', { ...query, audience: 's05' });
    expect(forReps.audience).toMatchObject({ name: 'Sales reps', detail: 'summary' });
    expect(forReps.overAllocations).toEqual([]);
    const forSponsor = await statusReport(projections, 'crm', {
      ...query,
      audience: 'Head of Sales',
    });
    expect(forSponsor.audience).toMatchObject({ stakeholderId: 's01', detail: 'full' });
    await expect(
      statusReport(projections, 'crm', { ...query, audience: 'nobody' }),
    ).rejects.toMatchObject({ code: 'UNKNOWN_AUDIENCE' });
  });

  it('given the mention and the added tasks, then the comments and scope read models told their listeners once', () => {
    const notices = batches.flatMap((b) => b.notices ?? []);
    expect(notices).toEqual([
      expect.objectContaining({
        kind: 'mention',
        planId: 'crm',
        userId: 'maria',
        author: 'ken',
        commentId: 'c1',
        target: { type: 'milestone', id: 'm01' },
      }),
      expect.objectContaining({
        kind: 'scope-creep',
        planId: 'crm',
        baselineId: 'b1',
        thresholdPercent: 10,
      }),
    ]);
  });

  it('given weekly and monthly stakeholders never updated, when one update is recorded, then only the others stay due', async () => {
    const before = await statusReport(projections, 'crm', {
      since: '2027-03-08',
      today: '2027-03-15',
      scopeCreepThresholdPercent: 10,
    });
    expect(before.communication.map((c) => c.stakeholderId)).toEqual(
      expect.arrayContaining(['s01', 's02', 's03', 's05']),
    );
    await writer.json(
      'StakeholderUpdateSent',
      { stakeholderIds: ['s01', 's02'], sentAt: at(15, 8) },
      'maria',
      at(15, 8),
    );
    await projections.catchUp();
    const after = await statusReport(projections, 'crm', {
      since: '2027-03-08',
      today: '2027-03-15',
      scopeCreepThresholdPercent: 10,
    });
    expect(after.communication.map((c) => c.stakeholderId)).not.toContain('s01');
    expect(after.communication.map((c) => c.stakeholderId)).toContain('s03');
  });
});
