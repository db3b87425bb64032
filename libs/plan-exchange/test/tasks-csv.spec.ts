import { normalizePlanImport, type PlanFile, type PlanJson } from '@lib/plan-domain';
import {
  importPlanText,
  isImportRefusedError,
  readTasksCsv,
  writeTasksCsv,
} from '@lib/plan-exchange';
import crm from '../../plan-domain/src/scheduling/fixtures/crm-rollout.plan.json';
import expectedTimeline from '../../plan-domain/src/scheduling/fixtures/crm-rollout.expected-timeline.json';
import { scheduleFacts } from './schedule-of';

const crmPlan = normalizePlanImport(crm as PlanFile);

function refusal(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (isImportRefusedError(error)) return error;
    throw error;
  }
  throw new Error('expected the import to be refused');
}

const workItems = (plan: PlanJson) => ({
  phases: plan.phases,
  tasks: plan.tasks,
  milestones: plan.milestones,
});

describe('tasks as CSV', () => {
  it('given the CRM plan, when exported to CSV and imported again, then the tasks, milestones, phases and the schedule are the same', () => {
    const csv = writeTasksCsv(crmPlan, { fallbackStart: '2000-01-01' });
    const { plan, report } = importPlanText(csv, {
      fileName: 'crm.csv',
      title: crmPlan.meta.title,
    });

    expect(plan.meta.start).toBe(crmPlan.meta.start);
    expect(plan.meta.title).toBe('CRM system rollout');
    expect(workItems(plan)).toEqual(workItems(crmPlan));
    expect(scheduleFacts(plan)).toEqual(scheduleFacts(crmPlan));
    expect(report).toMatchObject({ format: 'csv', notes: [] });
  });

  it('given an export, then predecessors read like 3FS+2 and each row has its computed dates', () => {
    const csv = writeTasksCsv(crmPlan, { fallbackStart: '2000-01-01' });
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(
      'id,title,phase,phaseId,kind,durationDays,start,predecessors,assignees,cost,percentComplete,status,scheduledStart,scheduledFinish',
    );
    expect(lines.find((l) => l.startsWith('t05,'))).toBe(
      `t05,Vendor shortlist,Discovery,ph-discovery,task,10,,t03SS+2,li,8000,0,not-started,${expectedTimeline.tasks.t05.start},${expectedTimeline.tasks.t05.finish}`,
    );
  });

  it('given a spreadsheet export with other column names, semicolons, quotes and row-number ids, then it imports', () => {
    const csv = [
      'Name;Duration;Predecessors;Resource Names;Cost;Phase;Notes',
      'Order parts;3 days;;ana;1200;Build;"call ""Acme"" first"',
      '"Assemble; test";5;1FS+2;ana, ben;;Build;',
      'Ship;0;2SS-1;;;Ship;',
    ].join('\n');
    const { plan, report } = importPlanText(csv, { title: 'Assembly', planStart: '2027-05-03' });
    expect(plan.meta).toMatchObject({ title: 'Assembly', start: '2027-05-03' });
    expect(plan.phases).toEqual([
      { id: 'ph-build', title: 'Build', order: 0 },
      { id: 'ph-ship', title: 'Ship', order: 1 },
    ]);
    expect(plan.tasks).toEqual([
      expect.objectContaining({
        id: '1',
        title: 'Order parts',
        durationDays: 3,
        cost: 1200,
        assignees: ['ana'],
        phaseId: 'ph-build',
      }),
      expect.objectContaining({
        id: '2',
        title: 'Assemble; test',
        durationDays: 5,
        assignees: ['ana', 'ben'],
        dependsOn: [{ taskId: '1', type: 'FS', lagDays: 2 }],
      }),
    ]);
    expect(plan.milestones).toEqual([
      expect.objectContaining({
        id: '3',
        title: 'Ship',
        dependsOn: [{ taskId: '2', type: 'SS', lagDays: -1 }],
      }),
    ]);
    expect(report.notes).toEqual([
      expect.objectContaining({ kind: 'not-held', at: 'line 1', field: 'Notes' }),
    ]);
  });

  it('given bad rows, then every one is reported with its line and column, and nothing is imported', () => {
    const csv = [
      'id,title,durationDays,start,predecessors,cost',
      'a,Design,5,,,',
      'b,,x,2027-02-30,a FS+1,',
      'c,Build,3,,zz;aSX,-4',
      'a,Again,1,,,',
    ].join('\n');
    const error = refusal(() => readTasksCsv(csv, { title: 'Bad' }));
    expect(error.problems).toEqual([
      { at: 'line 3, title', message: 'is empty' },
      { at: 'line 3, durationDays', message: expect.stringContaining('"x"') },
      { at: 'line 3, start', message: expect.stringContaining('2027-02-30') },
      { at: 'line 4, cost', message: expect.stringContaining('"-4"') },
      { at: 'line 5, id', message: '"a" is already used on line 2' },
      { at: 'line 4, predecessors', message: expect.stringContaining('"zz"') },
      { at: 'line 4, predecessors', message: expect.stringContaining('"aSX"') },
    ]);
    expect(error.message).toMatch(/^csv import refused: line 3, title: is empty/);
  });

  it('given a missing title column or an unclosed quote, then the refusal names line 1 or the quote line', () => {
    expect(
      refusal(() => readTasksCsv('name_x,duration\nA,1\n', { title: 'T' })).problems[0].at,
    ).toBe('line 1');
    expect(
      refusal(() => readTasksCsv('title,duration\nA,1\n"B,2\n', { title: 'T' })).problems[0],
    ).toEqual({
      at: 'line 3',
      message: 'a quoted field is not closed',
    });
  });

  it('given a dependency cycle between rows, then the refusal names the rows', () => {
    const error = refusal(() =>
      importPlanText('id,title,durationDays,predecessors\na,A,1,b\nb,B,1,a\n', {
        title: 'T',
        planStart: '2027-01-04',
      }),
    );
    expect(error.problems.some((p) => p.at.startsWith('line ') && /cycle/i.test(p.message))).toBe(
      true,
    );
  });

  it('given titles that a spreadsheet would run as formulas, then the export quotes them and the import gives them back', () => {
    const plan = normalizePlanImport({
      meta: { title: 'F', start: '2027-01-04' },
      tasks: [{ id: 'x', title: '=HYPERLINK("http://evil")', durationDays: 1 }],
    });
    const csv = writeTasksCsv(plan, { fallbackStart: '2027-01-04' });
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(importPlanText(csv, { title: 'F' }).plan.tasks[0].title).toBe(
      '=HYPERLINK("http://evil")',
    );
  });
});
