import * as Y from 'yjs';
import { PlanDoc } from '../plan-doc';
import { isMergeProblem, problemsByItem } from './merge-problems';
import { validatePlan } from './validate-plan';

function twoReplicas(): [PlanDoc, PlanDoc] {
  const base = PlanDoc.fromJSON({
    meta: { title: 'Merge' },
    tasks: [
      { id: 'a', title: 'A', durationDays: 1 },
      { id: 'b', title: 'B', durationDays: 1 },
      { id: 'c', title: 'C', durationDays: 1 },
    ],
  });
  const state = Y.encodeStateAsUpdate(base.doc);
  return [0, 1].map(() => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state);
    return new PlanDoc(doc);
  }) as [PlanDoc, PlanDoc];
}

function merge(left: PlanDoc, right: PlanDoc): void {
  Y.applyUpdate(left.doc, Y.encodeStateAsUpdate(right.doc));
  Y.applyUpdate(right.doc, Y.encodeStateAsUpdate(left.doc));
}

describe('problems concurrent edits create', () => {
  it('given one replica deletes a task while another makes a task depend on it, when merged, then the dangling link is reported on the dependent row and kept', () => {
    const [left, right] = twoReplicas();
    left.removeTask('a');
    right.addDependency('b', { taskId: 'a', type: 'FS', lagDays: 0 });
    merge(left, right);

    const problems = validatePlan(left.toJSON()).filter(isMergeProblem);
    expect(problems).toEqual([
      expect.objectContaining({
        code: 'UNKNOWN_REFERENCE',
        path: 'tasks.b.dependsOn.0.taskId',
        ids: ['a'],
      }),
    ]);
    expect([...problemsByItem(problems).keys()]).toEqual(['b']);
    expect(left.get('tasks', 'b')?.dependsOn).toEqual([{ taskId: 'a', type: 'FS', lagDays: 0 }]);
  });

  it('given two replicas each add one link of a cycle, when merged, then every item on the cycle is marked', () => {
    const [left, right] = twoReplicas();
    left.addDependency('b', { taskId: 'a', type: 'FS', lagDays: 0 });
    left.addDependency('c', { taskId: 'b', type: 'FS', lagDays: 0 });
    right.addDependency('a', { taskId: 'c', type: 'FS', lagDays: 0 });
    merge(left, right);

    const problems = validatePlan(right.toJSON()).filter(isMergeProblem);
    expect(problems.map((p) => p.code)).toEqual(['DEPENDENCY_CYCLE']);
    const byItem = problemsByItem(problems);
    expect([...byItem.keys()].sort()).toEqual(['a', 'b', 'c']);
    expect(byItem.get('a')).toHaveLength(1);
  });
});
