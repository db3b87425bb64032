import * as Y from 'yjs';
import { PlanDoc } from './plan-doc';
import type { PlanProblem } from './validation/plan-problem';
import { isPlanEntityNotFoundError, isPlanValidationError } from './validation/plan-problem';
import { validatePlan } from './validation/validate-plan';

function sequentialIds(prefix = 'id'): () => string {
  let next = 1;
  return () => `${prefix}-${next++}`;
}

function newPlan(): PlanDoc {
  const plan = new PlanDoc(new Y.Doc(), { newId: sequentialIds() });
  plan.setMeta({ title: 'Test plan' });
  return plan;
}

/** A plan with phases design/build and tasks a → b (FS) in design. */
function planWithTwoTasks(): PlanDoc {
  const plan = newPlan();
  plan.addPhase({ id: 'design', title: 'Design' });
  plan.addPhase({ id: 'build', title: 'Build' });
  plan.addTask({ id: 'a', title: 'Model', durationDays: 3, phaseId: 'design' });
  plan.addTask({
    id: 'b',
    title: 'Review',
    durationDays: 2,
    phaseId: 'design',
    dependsOn: [{ taskId: 'a', type: 'FS', lagDays: 0 }],
  });
  return plan;
}

function problemsOf(run: () => unknown): PlanProblem[] {
  try {
    run();
  } catch (error) {
    if (isPlanValidationError(error)) return [...error.problems];
    throw error;
  }
  throw new Error('expected the command to be refused');
}

function sync(from: Y.Doc, to: Y.Doc): void {
  Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
}

describe('PlanDoc commands', () => {
  it('given an empty plan, when a task is added without an id, then it gets the injected id and the defaults', () => {
    const plan = newPlan();

    const task = plan.addTask({ title: 'Kick-off', durationDays: 1 });

    expect(task).toEqual({
      id: 'id-1',
      title: 'Kick-off',
      assignees: [],
      durationDays: 1,
      dependsOn: [],
      status: 'not-started',
      percentComplete: 0,
      cost: 0,
      resourceIds: [],
    });
    expect(plan.toJSON().tasks).toEqual([task]);
  });

  it('given a new task, when it is added, then defaults are written to the document for raw clients to read', () => {
    const plan = newPlan();

    plan.addTask({ id: 't', title: 'Kick-off', durationDays: 1 });

    const stored = plan.doc.getMap('tasks').get('t') as Y.Map<unknown>;
    expect(stored).toBeInstanceOf(Y.Map);
    expect(stored.get('status')).toBe('not-started');
    expect(stored.has('start')).toBe(false);
    expect(stored.has('id')).toBe(false);
  });

  it('given a caller origin, when a command runs, then it is one transaction tagged with that origin', () => {
    const plan = planWithTwoTasks();
    const origins: unknown[] = [];
    plan.doc.on('update', (_update: Uint8Array, origin: unknown) => origins.push(origin));
    const rest = { kind: 'rest', actor: 'maria' };

    plan.removeTask('a', rest);
    plan.updateTask('b', { title: 'Peer review', durationDays: 4, status: 'in-progress' }, rest);

    expect(origins).toEqual([rest, rest]);
  });

  it('given a task, when it is updated with the values it already has, then no Yjs update is produced', () => {
    const plan = planWithTwoTasks();
    let updates = 0;
    plan.doc.on('update', () => updates++);

    plan.updateTask('a', { title: 'Model', durationDays: 3 });
    plan.moveTask('a', 'design');

    expect(updates).toBe(0);
  });

  it('given a task with a start, when start is patched with null, then the start is cleared', () => {
    const plan = newPlan();
    plan.addTask({ id: 't', title: 'T', durationDays: 1, start: '2027-03-01' });

    const task = plan.updateTask('t', { start: null });

    expect(task.start).toBeUndefined();
    expect('start' in task).toBe(false);
  });

  it('given two replicas, when each edits a different field of one task concurrently, then both edits survive', () => {
    const left = planWithTwoTasks();
    const right = new PlanDoc(new Y.Doc());
    sync(left.doc, right.doc);

    left.updateTask('a', { title: 'Data model' });
    right.updateTask('a', { percentComplete: 40 });
    sync(left.doc, right.doc);
    sync(right.doc, left.doc);

    expect(left.get('tasks', 'a')).toMatchObject({ title: 'Data model', percentComplete: 40 });
    expect(right.toJSON()).toEqual(left.toJSON());
  });

  it('given an unknown task, when it is updated or removed, then PlanEntityNotFoundError names it', () => {
    const plan = newPlan();

    const attempts = [
      () => plan.updateTask('ghost', { title: 'x' }),
      () => plan.removeTask('ghost'),
    ];

    for (const attempt of attempts) {
      expect(attempt).toThrow(
        expect.objectContaining({
          code: 'PLAN_ENTITY_NOT_FOUND',
          entity: { type: 'task', id: 'ghost' },
        }),
      );
    }
    try {
      plan.moveTask('ghost', null);
    } catch (error) {
      expect(isPlanEntityNotFoundError(error)).toBe(true);
    }
  });

  it('given invalid input, when a task is added, then the command is refused with the field named and nothing is written', () => {
    const plan = newPlan();
    let updates = 0;
    plan.doc.on('update', () => updates++);

    const problems = problemsOf(() =>
      plan.addTask({ id: 't', title: 'T', durationDays: -2, percentComplete: 120 }),
    );

    expect(problems).toEqual([
      expect.objectContaining({ path: 'tasks.t.durationDays', code: 'OUT_OF_RANGE' }),
      expect.objectContaining({ path: 'tasks.t.percentComplete', code: 'OUT_OF_RANGE' }),
    ]);
    expect(updates).toBe(0);
  });

  it('given an impossible date, when a task without an id is added, then a PlanValidationError names the field under tasks.new', () => {
    const plan = newPlan();

    expect(() => plan.addTask({ title: 'T', durationDays: 1, start: '2027-02-30' })).toThrow(
      expect.objectContaining({
        name: 'PlanValidationError',
        code: 'PLAN_VALIDATION_FAILED',
        problems: [expect.objectContaining({ path: 'tasks.new.start', code: 'INVALID_DATE' })],
      }),
    );
  });

  it('given input with a field the schema does not know, when it is added, then the field is reported', () => {
    const plan = newPlan();
    const input = { title: 'T', durationDays: 1, colour: 'red' };

    expect(problemsOf(() => plan.addTask(input))).toEqual([
      expect.objectContaining({ path: 'tasks.new.colour', code: 'UNKNOWN_FIELD' }),
    ]);
  });

  it('given an unknown phase, when a task is added to it, then the reference is refused', () => {
    const plan = newPlan();

    expect(
      problemsOf(() => plan.addTask({ id: 't', title: 'T', durationDays: 1, phaseId: 'nowhere' })),
    ).toEqual([
      expect.objectContaining({
        path: 'tasks.t.phaseId',
        code: 'UNKNOWN_REFERENCE',
        ids: ['nowhere'],
      }),
    ]);
  });

  it('given an id already used by a milestone, when a task is added with it, then the duplicate is refused', () => {
    const plan = newPlan();
    plan.addMilestone({ id: 'm', title: 'Go-live' });

    expect(problemsOf(() => plan.addTask({ id: 'm', title: 'T', durationDays: 1 }))).toEqual([
      expect.objectContaining({ path: 'tasks.m', code: 'DUPLICATE_ID' }),
    ]);
  });

  it('given tasks a → b, when a is made to depend on b, then the cycle is refused with its ids', () => {
    const plan = planWithTwoTasks();

    const problems = problemsOf(() =>
      plan.addDependency('a', { taskId: 'b', type: 'FS', lagDays: 0 }),
    );

    expect(problems).toEqual([
      {
        path: 'tasks.a.dependsOn',
        code: 'DEPENDENCY_CYCLE',
        message: expect.stringContaining('a → b → a'),
        ids: ['a', 'b'],
      },
    ]);
    expect(plan.get('tasks', 'a')?.dependsOn).toEqual([]);
  });

  it('given a task, when it is made to depend on itself, then the self-cycle is refused', () => {
    const plan = planWithTwoTasks();

    expect(
      problemsOf(() => plan.addDependency('a', { taskId: 'a', type: 'SS', lagDays: 0 })),
    ).toEqual([expect.objectContaining({ code: 'DEPENDENCY_CYCLE', ids: ['a'] })]);
  });

  it('given b depends on a, when the link is added again with another type, then it replaces the first', () => {
    const plan = planWithTwoTasks();

    const dependsOn = plan.addDependency('b', { taskId: 'a', type: 'SS', lagDays: 2 });

    expect(dependsOn).toEqual([{ taskId: 'a', type: 'SS', lagDays: 2 }]);
  });

  it('given b depends on a, when the dependency is removed, then b has none and removing it again changes nothing', () => {
    const plan = planWithTwoTasks();

    expect(plan.removeDependency('b', 'a')).toEqual([]);
    expect(plan.removeDependency('b', 'a')).toEqual([]);
  });

  it('given a milestone, when it depends on a task, then dependencies work for milestones too', () => {
    const plan = planWithTwoTasks();
    plan.addMilestone({ id: 'm', title: 'Design approved', phaseId: 'design' });

    plan.addDependency('m', { taskId: 'b', type: 'FS', lagDays: 0 });

    expect(plan.get('milestones', 'm')?.dependsOn).toEqual([
      { taskId: 'b', type: 'FS', lagDays: 0 },
    ]);
    expect(
      problemsOf(() => plan.addDependency('a', { taskId: 'm', type: 'FS', lagDays: 0 })),
    ).toEqual([expect.objectContaining({ code: 'DEPENDENCY_CYCLE', ids: ['a', 'm', 'b'] })]);
  });

  it('given a task in one phase, when it is moved, then its phase changes; null takes it out of any phase', () => {
    const plan = planWithTwoTasks();

    expect(plan.moveTask('a', 'build').phaseId).toBe('build');
    expect(plan.moveTask('a', null).phaseId).toBeUndefined();
  });

  it('given a task linked from dependencies, risks and objectives, when it is removed, then the links go with it in one update', () => {
    const plan = planWithTwoTasks();
    plan.addMilestone({
      id: 'm',
      title: 'Done',
      dependsOn: [{ taskId: 'a', type: 'FS', lagDays: 0 }],
    });
    plan.addRisk({ id: 'r', title: 'Late', probability: 2, impact: 3, linkedTaskIds: ['a', 'b'] });
    plan.addObjective({ id: 'o', title: 'Faster', target: 4, linkedTaskIds: ['a'] });
    let updates = 0;
    plan.doc.on('update', () => updates++);

    plan.removeTask('a');

    const json = plan.toJSON();
    expect(json.tasks.map((t) => t.id)).toEqual(['b']);
    expect(json.tasks[0].dependsOn).toEqual([]);
    expect(json.milestones[0].dependsOn).toEqual([]);
    expect(json.risks[0].linkedTaskIds).toEqual(['b']);
    expect(json.objectives[0].linkedTaskIds).toEqual([]);
    expect(updates).toBe(1);
    expect(validatePlan(json)).toEqual([]);
  });

  it('given a phase with tasks, when it is removed, then it is refused until the tasks have moved', () => {
    const plan = planWithTwoTasks();

    expect(problemsOf(() => plan.removePhase('design'))).toEqual([
      expect.objectContaining({ path: 'tasks.a.phaseId', code: 'UNKNOWN_REFERENCE' }),
      expect.objectContaining({ path: 'tasks.b.phaseId', code: 'UNKNOWN_REFERENCE' }),
    ]);

    plan.moveTask('a', 'build');
    plan.moveTask('b', 'build');
    plan.removePhase('design');
    expect(plan.toJSON().phases.map((p) => p.id)).toEqual(['build']);
  });

  it('given phases added without an order, when listed, then they follow in the order added', () => {
    const plan = newPlan();
    plan.addPhase({ id: 'z', title: 'First' });
    plan.addPhase({ id: 'a', title: 'Second' });
    plan.addPhase({ id: 'm', title: 'Third' });

    expect(plan.toJSON().phases.map((p) => [p.id, p.order])).toEqual([
      ['z', 0],
      ['a', 1],
      ['m', 2],
    ]);
  });

  it('given a resource assigned to a task, when the resource is removed, then the task is unassigned', () => {
    const plan = planWithTwoTasks();
    plan.addResource({
      id: 'sam',
      name: 'Sam',
      kind: 'person',
      capacityHoursPerDay: 8,
      costRatePerDay: 900,
    });
    plan.updateTask('a', { resourceIds: ['sam'] });

    plan.removeResource('sam');

    expect(plan.get('tasks', 'a')?.resourceIds).toEqual([]);
    expect(plan.toJSON().resources).toEqual([]);
  });

  it('given a risk, when its score is set, then probability and impact change together', () => {
    const plan = newPlan();
    plan.addRisk({ id: 'r', title: 'Vendor late', probability: 2, impact: 2 });

    const risk = plan.setRiskScore('r', 4, 5);

    expect(risk).toMatchObject({ probability: 4, impact: 5, response: 'accept', status: 'open' });
    expect(problemsOf(() => plan.setRiskScore('r', 6, 0))).toEqual([
      expect.objectContaining({ path: 'risks.r.probability', code: 'OUT_OF_RANGE' }),
      expect.objectContaining({ path: 'risks.r.impact', code: 'OUT_OF_RANGE' }),
    ]);
  });

  it('given meta fields, when set, then they read back and invalid ones are refused', () => {
    const plan = newPlan();

    const meta = plan.setMeta({ title: 'CRM', budget: 1000, currency: 'EUR', start: '2027-03-01' });

    expect(meta).toEqual({
      title: 'CRM',
      description: '',
      status: 'draft',
      owner: '',
      currency: 'EUR',
      budget: 1000,
      start: '2027-03-01',
    });
    expect(problemsOf(() => plan.setMeta({ budget: -1 }))).toEqual([
      expect.objectContaining({ path: 'meta.budget', code: 'OUT_OF_RANGE' }),
    ]);
    expect(problemsOf(() => plan.setMeta({ title: null } as never))).toEqual([
      expect.objectContaining({ path: 'meta.title', code: 'MISSING_FIELD' }),
    ]);
  });

  it('given stakeholders and objectives, when added, updated and removed, then each command shows in toJSON', () => {
    const plan = newPlan();
    plan.addStakeholder({ id: 's', name: 'CFO', influence: 5, interest: 2 });
    plan.addObjective({
      id: 'o',
      title: 'Adoption',
      kpi: 'weekly active users',
      unit: '%',
      baseline: 0,
      target: 90,
    });

    plan.updateStakeholder('s', { cadence: 'weekly' });
    plan.updateObjective('o', { current: 35 });

    expect(plan.toJSON().stakeholders).toEqual([
      { id: 's', name: 'CFO', role: '', influence: 5, interest: 2, channel: '', cadence: 'weekly' },
    ]);
    expect(plan.get('objectives', 'o')).toMatchObject({ baseline: 0, target: 90, current: 35 });
    expect(problemsOf(() => plan.updateStakeholder('s', { influence: 9 }))).toEqual([
      expect.objectContaining({ path: 'stakeholders.s.influence', code: 'OUT_OF_RANGE' }),
    ]);

    plan.removeStakeholder('s');
    plan.removeObjective('o');
    expect(plan.toJSON()).toMatchObject({ stakeholders: [], objectives: [] });
  });
});

describe('PlanDoc and content clients wrote straight into the CRDT', () => {
  it('given a probability of 9 written by a client, when the plan is read, then it is reported, not fixed or dropped', () => {
    const plan = newPlan();
    plan.addRisk({ id: 'r', title: 'Vendor late', probability: 2, impact: 2 });
    (plan.doc.getMap('risks').get('r') as Y.Map<unknown>).set('probability', 9);

    expect(plan.get('risks', 'r')?.probability).toBe(9);
    expect(validatePlan(plan.toJSON())).toEqual([
      expect.objectContaining({ path: 'risks.r.probability', code: 'OUT_OF_RANGE' }),
    ]);
  });

  it('given invalid content elsewhere, when an unrelated command runs, then it is not blocked and the content stays', () => {
    const plan = planWithTwoTasks();
    (plan.doc.getMap('tasks').get('a') as Y.Map<unknown>).set('percentComplete', 150);

    plan.updateTask('a', { title: 'Renamed' });
    plan.addTask({ id: 'c', title: 'C', durationDays: 1 });

    expect(plan.get('tasks', 'a')).toMatchObject({ title: 'Renamed', percentComplete: 150 });
  });

  it('given a cycle a client wrote, when a field of a task in it is edited, then the edit is allowed', () => {
    const plan = planWithTwoTasks();
    (plan.doc.getMap('tasks').get('a') as Y.Map<unknown>).set('dependsOn', [
      { taskId: 'b', type: 'FS', lagDays: 0 },
    ]);

    plan.updateTask('a', { percentComplete: 10 });

    expect(validatePlan(plan.toJSON())).toEqual([
      expect.objectContaining({ code: 'DEPENDENCY_CYCLE', ids: ['a', 'b'] }),
    ]);
  });

  it('given a dependency on a task that is gone, when another one is removed, then the renumbered old problem does not block it', () => {
    const plan = planWithTwoTasks();
    plan.addTask({ id: 'c', title: 'C', durationDays: 1 });
    plan.addDependency('b', { taskId: 'c', type: 'FS', lagDays: 0 });
    (plan.doc.getMap('tasks').get('b') as Y.Map<unknown>).set('dependsOn', [
      { taskId: 'a', type: 'FS', lagDays: 0 },
      { taskId: 'ghost', type: 'FS', lagDays: 0 },
    ]);

    expect(plan.removeDependency('b', 'a')).toEqual([{ taskId: 'ghost', type: 'FS', lagDays: 0 }]);
  });

  it('given a plain object and a Y.Text where Y.Maps and strings belong, when read, then their values are used', () => {
    const plan = newPlan();
    const title = new Y.Text();
    plan.doc.transact(() => {
      plan.doc.getMap('tasks').set('plain', { title: 'Plain', durationDays: 2 });
      const entity = new Y.Map<unknown>();
      plan.doc.getMap('tasks').set('typed', entity);
      entity.set('title', title);
      entity.set('durationDays', 1);
      title.insert(0, 'Collaborative');
    });

    expect(plan.toJSON().tasks.map((t) => [t.id, t.title])).toEqual([
      ['plain', 'Plain'],
      ['typed', 'Collaborative'],
    ]);
    // A command on the plain entity converts it to per-field entries, keeping its fields.
    plan.updateTask('plain', { percentComplete: 50 });
    expect(plan.doc.getMap('tasks').get('plain')).toBeInstanceOf(Y.Map);
    expect(plan.get('tasks', 'plain')).toMatchObject({
      title: 'Plain',
      durationDays: 2,
      percentComplete: 50,
    });
  });

  it('given a list read from the plan, when the caller mutates it, then the document is unchanged', () => {
    const plan = planWithTwoTasks();

    const task = plan.toJSON().tasks[1];
    (task.dependsOn as unknown as { taskId: string }[])[0].taskId = 'mutated';

    expect(plan.get('tasks', 'b')?.dependsOn[0].taskId).toBe('a');
  });
});

describe('PlanDoc.toJSON', () => {
  it('given the same content inserted in different orders, when read, then the JSON is byte-identical', () => {
    const forward = newPlan();
    const backward = newPlan();
    const tasks = ['t3', 't1', 't2'].map((id) => ({
      id,
      title: id.toUpperCase(),
      durationDays: 1,
    }));

    forward.addPhase({ id: 'p2', title: 'Second', order: 1 });
    forward.addPhase({ id: 'p1', title: 'First', order: 0 });
    tasks.forEach((t) => forward.addTask(t));
    backward.addPhase({ id: 'p1', title: 'First', order: 0 });
    backward.addPhase({ id: 'p2', title: 'Second', order: 1 });
    [...tasks].reverse().forEach((t) => backward.addTask(t));

    expect(JSON.stringify(forward.toJSON())).toBe(JSON.stringify(backward.toJSON()));
    expect(forward.toJSON().tasks.map((t) => t.id)).toEqual(['t1', 't2', 't3']);
    expect(forward.toJSON().phases.map((p) => p.id)).toEqual(['p1', 'p2']);
  });

  it('given phases with equal order, when read, then ties are broken by id', () => {
    const plan = newPlan();
    plan.addPhase({ id: 'b', title: 'B', order: 1 });
    plan.addPhase({ id: 'a', title: 'A', order: 1 });
    plan.addPhase({ id: 'c', title: 'C', order: 0 });

    expect(plan.toJSON().phases.map((p) => p.id)).toEqual(['c', 'a', 'b']);
  });

  it('given a plan, when it is exported and loaded into a fresh document, then the JSON round-trips', () => {
    const plan = planWithTwoTasks();
    plan.addRisk({
      id: 'r',
      title: 'Late',
      probability: 3,
      impact: 4,
      reviewDate: '2027-04-01',
      linkedTaskIds: ['a'],
    });
    plan.setMeta({ title: 'Plan', start: '2027-03-01' });

    const copy = PlanDoc.fromJSON(plan.toJSON());

    expect(copy.toJSON()).toEqual(plan.toJSON());
  });
});
