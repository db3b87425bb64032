import type { PlanProblem } from '@lib/plan-domain';
import { planProblemNotice } from './plan-problem-notice';

const cycle: PlanProblem = {
  path: 'tasks.a.dependsOn',
  code: 'DEPENDENCY_CYCLE',
  message: 'dependency cycle: a → b → a',
  ids: ['a', 'b'],
};
const outOfRange: PlanProblem = {
  path: 'risks.r.probability',
  code: 'OUT_OF_RANGE',
  message: 'probability must be between 1 and 5, got 9',
};
const event = { at: '2027-01-04T09:00:00.000Z', position: 42 };

describe('plan.problem notice', () => {
  it('given a plan without problems, when merged edits close a cycle, then the notice names it as added', () => {
    expect(planProblemNotice('p', [], [cycle, outOfRange], event)).toEqual({
      kind: 'plan.problem',
      planId: 'p',
      problems: [cycle],
      added: [cycle],
      ...event,
    });
  });

  it('given a cycle already reported, when the plan changes otherwise, then no notice is sent again', () => {
    expect(planProblemNotice('p', [cycle], [cycle], event)).toBeUndefined();
  });

  it('given only problems a command would have refused, then there is no notice', () => {
    expect(planProblemNotice('p', [], [outOfRange], event)).toBeUndefined();
  });
});
