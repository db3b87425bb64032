import { normalizePlanImport, type PlanFile } from '@lib/plan-domain';
import { importPlanText, isImportRefusedError } from '@lib/plan-exchange';
import crm from '../../plan-domain/src/scheduling/fixtures/crm-rollout.plan.json';

describe('a plan as JSON', () => {
  it('given the CRM plan file, when imported, then the plan is what importPlan makes of it and the report is empty', () => {
    const { plan, report } = importPlanText(JSON.stringify(crm), { fileName: 'crm.json' });
    expect(plan).toEqual(normalizePlanImport(crm as PlanFile));
    expect(report).toMatchObject({
      format: 'json',
      counts: { tasks: 29, milestones: 5, risks: 8 },
      notes: [],
    });
  });

  it('given GET /plans/:id output, then id, version and position are reported as not carried over', () => {
    const plan = normalizePlanImport(crm as PlanFile);
    const { report } = importPlanText(
      JSON.stringify({ id: 'crm', version: 7, position: 99, ...plan }),
    );
    expect(report.notes.map((n) => n.field)).toEqual(['id', 'version', 'position']);
  });

  it('given broken JSON or a task without a title, then the refusal names where', () => {
    const refused = (text: string) => {
      try {
        importPlanText(text, { format: 'json' });
      } catch (error) {
        if (isImportRefusedError(error)) return error.problems;
        throw error;
      }
      throw new Error('not refused');
    };
    expect(refused('{\n  "meta": {"title": "x"},\n  "tasks": [1 2]\n}')[0].at).toBe(
      'line 3, column 15',
    );
    expect(refused('{"meta": {"title": "x"}, "tasks": [{"id": "a", "durationDays": 1}]}')).toEqual([
      { at: 'tasks[0] (tasks.a.title)', message: 'title is required' },
    ]);
  });
});
