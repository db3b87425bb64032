import type { Milestone, PlanJson, Risk, Task } from '../plan-json';
import { validatePlan } from './validate-plan';

const META = {
  title: 'Plan',
  description: '',
  status: 'draft',
  owner: '',
  currency: 'EUR',
  budget: 0,
} as const;

function task(id: string, fields: Partial<Task> = {}): Task {
  return {
    id,
    title: id,
    assignees: [],
    durationDays: 1,
    dependsOn: [],
    status: 'not-started',
    percentComplete: 0,
    cost: 0,
    resourceIds: [],
    ...fields,
  };
}

function fs(taskId: string) {
  return { taskId, type: 'FS', lagDays: 0 } as const;
}

function plan(parts: Partial<PlanJson> = {}): PlanJson {
  return {
    meta: META,
    phases: [],
    tasks: [],
    milestones: [],
    risks: [],
    resources: [],
    stakeholders: [],
    objectives: [],
    ...parts,
  };
}

/** Values a client can write into the CRDT that the types rule out. */
function unchecked<T>(value: unknown): T {
  return value as T;
}

const risk: Risk = {
  id: 'r',
  title: 'Late',
  category: '',
  probability: 3,
  impact: 3,
  owner: '',
  response: 'accept',
  mitigation: '',
  status: 'open',
  linkedTaskIds: [],
};

describe('validatePlan', () => {
  it('given a valid plan, when validated, then there are no problems', () => {
    expect(
      validatePlan(
        plan({ tasks: [task('a'), task('b', { dependsOn: [fs('a')] })], risks: [risk] }),
      ),
    ).toEqual([]);
  });

  it('given probability and impact outside 1–5, when validated, then both are out of range', () => {
    const problems = validatePlan(plan({ risks: [{ ...risk, probability: 0, impact: 6 }] }));

    expect(problems).toEqual([
      {
        path: 'risks.r.probability',
        code: 'OUT_OF_RANGE',
        message: 'probability must be between 1 and 5, got 0',
      },
      {
        path: 'risks.r.impact',
        code: 'OUT_OF_RANGE',
        message: 'impact must be between 1 and 5, got 6',
      },
    ]);
  });

  it('given a fractional probability, when validated, then it must be a whole number', () => {
    expect(validatePlan(plan({ risks: [{ ...risk, probability: 2.5 }] }))).toEqual([
      expect.objectContaining({ path: 'risks.r.probability', code: 'NOT_INTEGER' }),
    ]);
  });

  it('given a negative duration and progress outside 0–100, when validated, then both are reported', () => {
    const problems = validatePlan(
      plan({ tasks: [task('t', { durationDays: -3, percentComplete: 101 })] }),
    );

    expect(problems.map((p) => [p.path, p.code])).toEqual([
      ['tasks.t.durationDays', 'OUT_OF_RANGE'],
      ['tasks.t.percentComplete', 'OUT_OF_RANGE'],
    ]);
    expect(problems[0].message).toBe('durationDays must be at least 0, got -3');
  });

  it('given a dependency on a task that does not exist, when validated, then the reference is unknown', () => {
    expect(
      validatePlan(plan({ tasks: [task('t', { dependsOn: [fs('a'), fs('ghost')] }), task('a')] })),
    ).toEqual([
      {
        path: 'tasks.t.dependsOn.1.taskId',
        code: 'UNKNOWN_REFERENCE',
        message: 'refers to task or milestone ghost, which is not in the plan',
        ids: ['ghost'],
      },
    ]);
  });

  it('given tasks a → b → c → a, when validated, then one cycle is reported with its ids in dependency order', () => {
    const tasks = [
      task('a', { dependsOn: [fs('b')] }),
      task('b', { dependsOn: [fs('c')] }),
      task('c', { dependsOn: [fs('a')] }),
    ];

    expect(validatePlan(plan({ tasks }))).toEqual([
      {
        path: 'tasks.a.dependsOn',
        code: 'DEPENDENCY_CYCLE',
        message: 'dependency cycle: a → b → c → a',
        ids: ['a', 'b', 'c'],
      },
    ]);
  });

  it('given two separate cycles and a self-dependency, when validated, then each is reported once', () => {
    const tasks = [
      task('a', { dependsOn: [fs('b')] }),
      task('b', { dependsOn: [fs('a')] }),
      task('x', { dependsOn: [fs('y')] }),
      task('y', { dependsOn: [fs('x'), fs('a')] }),
      task('s', { dependsOn: [fs('s')] }),
    ];

    expect(validatePlan(plan({ tasks })).map((p) => p.ids)).toEqual([
      ['a', 'b'],
      ['s'],
      ['x', 'y'],
    ]);
  });

  it('given a cycle through a milestone, when validated, then it is reported under the item with the smallest id', () => {
    const milestone: Milestone = {
      id: 'm',
      title: 'Go',
      dependsOn: [fs('t')],
      status: 'not-started',
      assignees: [],
    };

    expect(
      validatePlan(plan({ tasks: [task('t', { dependsOn: [fs('m')] })], milestones: [milestone] })),
    ).toEqual([
      expect.objectContaining({
        path: 'milestones.m.dependsOn',
        code: 'DEPENDENCY_CYCLE',
        ids: ['m', 't'],
      }),
    ]);
  });

  it('given a long dependency chain, when validated, then it finishes without overflowing the stack', () => {
    const tasks = Array.from({ length: 20000 }, (_, i) =>
      task(`t${i}`, { dependsOn: i === 0 ? [] : [fs(`t${i - 1}`)] }),
    );

    expect(validatePlan(plan({ tasks }))).toEqual([]);
  });

  it('given an unknown phase, resource or linked task, when validated, then each reference is reported', () => {
    const problems = validatePlan(
      plan({
        tasks: [task('t', { phaseId: 'ph-x', resourceIds: ['nobody'] })],
        risks: [{ ...risk, linkedTaskIds: ['t', 'gone'] }],
      }),
    );

    expect(problems.map((p) => [p.path, p.code, p.ids])).toEqual([
      ['tasks.t.phaseId', 'UNKNOWN_REFERENCE', ['ph-x']],
      ['tasks.t.resourceIds.0', 'UNKNOWN_REFERENCE', ['nobody']],
      ['risks.r.linkedTaskIds.1', 'UNKNOWN_REFERENCE', ['gone']],
    ]);
  });

  it('given bad ISO dates, when validated, then each is an invalid date', () => {
    const problems = validatePlan(
      plan({
        meta: { ...META, start: '2027-13-01' },
        tasks: [task('t', { start: '2027-02-29' })],
        risks: [{ ...risk, reviewDate: '1 April 2027' }],
      }),
    );

    expect(problems.map((p) => [p.path, p.code])).toEqual([
      ['meta.start', 'INVALID_DATE'],
      ['tasks.t.start', 'INVALID_DATE'],
      ['risks.r.reviewDate', 'INVALID_DATE'],
    ]);
  });

  it('given an id that is both a task and a milestone, when validated, then the duplicate is reported', () => {
    const milestone: Milestone = {
      id: 'x',
      title: 'X',
      dependsOn: [],
      status: 'not-started',
      assignees: [],
    };

    expect(validatePlan(plan({ tasks: [task('x')], milestones: [milestone] }))).toEqual([
      expect.objectContaining({ path: 'milestones.x', code: 'DUPLICATE_ID', ids: ['x'] }),
    ]);
  });

  it('given the same predecessor twice, when validated, then the second link is a duplicate dependency', () => {
    expect(
      validatePlan(
        plan({
          tasks: [
            task('a'),
            task('b', { dependsOn: [fs('a'), { taskId: 'a', type: 'SS', lagDays: 1 }] }),
          ],
        }),
      ),
    ).toEqual([
      expect.objectContaining({
        path: 'tasks.b.dependsOn.1',
        code: 'DUPLICATE_DEPENDENCY',
        ids: ['a'],
      }),
    ]);
  });

  it('given values of the wrong shape from a client, when validated, then each is reported and nothing throws', () => {
    const tasks = [
      unchecked<Task>({
        id: 't',
        title: 42,
        assignees: 'ana',
        dependsOn: [null, { taskId: 'a', type: 'XX' }, { taskId: 't2', type: 'FS', lagDays: 1n }],
        status: 'paused',
        percentComplete: 'half',
        cost: 0,
        resourceIds: [],
      }),
    ];

    const problems = validatePlan(plan({ tasks }));

    expect(problems.map((p) => [p.path, p.code])).toEqual([
      ['tasks.t.title', 'WRONG_TYPE'],
      ['tasks.t.assignees', 'WRONG_TYPE'],
      ['tasks.t.durationDays', 'MISSING_FIELD'],
      ['tasks.t.dependsOn.0', 'WRONG_TYPE'],
      ['tasks.t.dependsOn.1.type', 'INVALID_ENUM'],
      ['tasks.t.dependsOn.1.lagDays', 'MISSING_FIELD'],
      ['tasks.t.dependsOn.2.lagDays', 'WRONG_TYPE'],
      ['tasks.t.status', 'INVALID_ENUM'],
      ['tasks.t.percentComplete', 'WRONG_TYPE'],
      ['tasks.t.dependsOn.1.taskId', 'UNKNOWN_REFERENCE'],
      ['tasks.t.dependsOn.2.taskId', 'UNKNOWN_REFERENCE'],
    ]);
    expect(problems.find((p) => p.path === 'tasks.t.dependsOn.2.lagDays')?.message).toBe(
      'lagDays must be a finite number, got "1n"',
    );
  });

  it('given a stakeholder with influence outside 1–5, when validated, then it is out of range', () => {
    const stakeholders = [
      {
        id: 's',
        name: 'CFO',
        role: '',
        influence: 7,
        interest: 3,
        channel: '',
        cadence: 'monthly' as const,
      },
    ];

    expect(validatePlan(plan({ stakeholders }))).toEqual([
      expect.objectContaining({ path: 'stakeholders.s.influence', code: 'OUT_OF_RANGE' }),
    ]);
  });

  it('given problems across collections, when validated, then they come grouped by collection and entity id', () => {
    const tasks = [task('b', { durationDays: -1 }), task('a', { percentComplete: -1 })];

    expect(
      validatePlan(
        plan({ meta: { ...META, budget: -5 }, tasks, risks: [{ ...risk, impact: 0 }] }),
      ).map((p) => p.path),
    ).toEqual(['meta.budget', 'tasks.a.percentComplete', 'tasks.b.durationDays', 'risks.r.impact']);
  });
});
