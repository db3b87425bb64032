/**
 * Uses the in-repo copy of shared/fixtures/crm-rollout.plan.json kept by ./scheduling, so the
 * repository stays self-contained.
 */
import * as Y from 'yjs';
import fixture from './scheduling/fixtures/crm-rollout.plan.json';
import { PlanDoc } from './plan-doc';
import { importPlan, normalizePlanImport } from './plan-import';
import { isPlanValidationError } from './validation/plan-problem';
import { validatePlan } from './validation/validate-plan';

describe('importing the CRM rollout plan file', () => {
  const plan = PlanDoc.fromJSON(fixture).toJSON();

  it('given the fixture, when imported, then its 34 tasks and milestones, 8 risks and the rest are all there', () => {
    expect(plan.tasks.length + plan.milestones.length).toBe(34);
    expect(plan.milestones.map((m) => m.id)).toEqual(['m01', 'm02', 'm03', 'm04', 'm05']);
    expect(plan.tasks).toHaveLength(29);
    expect(plan.phases.map((p) => p.id)).toEqual([
      'ph-discovery',
      'ph-design',
      'ph-build',
      'ph-migrate',
      'ph-rollout',
    ]);
    expect(plan.risks).toHaveLength(8);
    expect(plan.resources).toHaveLength(12);
    expect(plan.stakeholders).toHaveLength(5);
    expect(plan.objectives).toHaveLength(3);
    expect(plan.meta).toMatchObject({
      title: 'CRM system rollout',
      budget: 420000,
      currency: 'EUR',
      start: '2027-03-01',
    });
  });

  it('given the fixture, when imported, then the plan has no problems', () => {
    expect(validatePlan(plan)).toEqual([]);
  });

  it('given tasks flagged as milestones, when imported, then they become milestones keeping id, links and sign-off', () => {
    expect(plan.milestones.find((m) => m.id === 'm01')).toEqual({
      id: 'm01',
      title: 'Requirements signed off',
      phaseId: 'ph-discovery',
      dependsOn: [{ taskId: 't04', type: 'FS', lagDays: 0 }],
      status: 'not-started',
      assignees: ['maria'],
    });
    // Tasks keep depending on milestones by the same id.
    expect(plan.tasks.find((t) => t.id === 't06')?.dependsOn).toContainEqual({
      taskId: 'm01',
      type: 'FS',
      lagDays: 0,
    });
  });

  it('given dependency types and lags, when imported, then all four types survive with their lags', () => {
    const links = [...plan.tasks, ...plan.milestones].flatMap((item) => item.dependsOn);
    expect(new Set(links.map((d) => d.type))).toEqual(new Set(['FS', 'SS', 'FF', 'SF']));
    expect(plan.tasks.find((t) => t.id === 't29')?.dependsOn).toEqual([
      { taskId: 'm02', type: 'SF', lagDays: 25 },
    ]);
  });

  it('given stakeholder levels low/medium/high, when imported, then they become scores 1/3/5', () => {
    expect(plan.stakeholders.map((s) => [s.id, s.influence, s.interest])).toEqual([
      ['s01', 5, 5],
      ['s02', 3, 5],
      ['s03', 5, 1],
      ['s04', 3, 3],
      ['s05', 1, 5],
    ]);
  });

  it('given a budget resource with an amount and equipment without capacity, when imported, then both read as given', () => {
    expect(plan.resources.find((r) => r.id === 'licences')).toEqual({
      id: 'licences',
      name: 'CRM licences',
      kind: 'budget',
      amount: 90000,
    });
    expect(plan.resources.find((r) => r.id === 'env')).toEqual({
      id: 'env',
      name: 'Staging environment',
      kind: 'equipment',
      costRatePerDay: 120,
    });
  });

  it('given the file-only milestone flag, when imported, then it is not stored on tasks', () => {
    const doc = new Y.Doc();
    importPlan(doc, fixture);

    expect((doc.getMap('tasks').get('t01') as Y.Map<unknown>).has('milestone')).toBe(false);
  });

  it('given an imported plan, when the same file is imported again, then no update is produced', () => {
    const doc = new Y.Doc();
    importPlan(doc, fixture);
    let updates = 0;
    doc.on('update', () => updates++);

    importPlan(doc, fixture);

    expect(updates).toBe(0);
  });

  it('given the fixture, when normalized without a document, then it equals what the document reads', () => {
    expect(normalizePlanImport(fixture)).toEqual(plan);
  });

  it('given an origin, when a plan is imported, then it is written in one transaction with that origin', () => {
    const doc = new Y.Doc();
    const origins: unknown[] = [];
    doc.on('update', (_update: Uint8Array, origin: unknown) => origins.push(origin));

    PlanDoc.fromJSON(fixture, doc, { origin: 'cli-import' });

    expect(origins).toEqual(['cli-import']);
  });
});

describe('importing invalid plan files', () => {
  it('given an entry without an id, when imported, then the import is refused before anything is written', () => {
    const doc = new Y.Doc();
    const input = { tasks: [{ id: 'ok', title: 'OK', durationDays: 1 }, { title: 'No id' }] };

    let refused: unknown;
    try {
      importPlan(doc, input as never);
    } catch (error) {
      refused = error;
    }

    expect(isPlanValidationError(refused)).toBe(true);
    expect(refused).toMatchObject({ problems: [{ path: 'tasks.1.id', code: 'MISSING_FIELD' }] });
    expect(doc.getMap('tasks').size).toBe(0);
  });

  it('given one id twice, when imported, then the import is refused instead of merging the two', () => {
    const input = {
      tasks: [
        { id: 'x', title: 'One', durationDays: 1 },
        { id: 'x', title: 'Two', durationDays: 2 },
      ],
    };

    expect(() => normalizePlanImport(input)).toThrow(
      expect.objectContaining({
        problems: [expect.objectContaining({ code: 'DUPLICATE_ID', path: 'tasks.x' })],
      }),
    );
  });

  it('given invalid values, when imported, then they are written as given and validation reports them', () => {
    const input = {
      meta: { title: 'Broken', start: 'next week' },
      tasks: [
        {
          id: 't',
          title: 'T',
          durationDays: -1,
          dependsOn: [{ taskId: 'ghost', type: 'FS', lagDays: 0 }],
        },
      ],
      risks: [{ id: 'r', title: 'R', probability: 7, impact: 2 }],
    };

    const plan = normalizePlanImport(input);

    expect(plan.tasks[0].durationDays).toBe(-1);
    expect(validatePlan(plan).map((p) => [p.path, p.code])).toEqual([
      ['meta.start', 'INVALID_DATE'],
      ['tasks.t.durationDays', 'OUT_OF_RANGE'],
      ['tasks.t.dependsOn.0.taskId', 'UNKNOWN_REFERENCE'],
      ['risks.r.probability', 'OUT_OF_RANGE'],
    ]);
  });
});
