/**
 * What the plan summary tells listeners when merged edits broke a rule no single edit broke:
 * two people each add a valid dependency and together close a cycle, or one deletes a task
 * another just made something depend on. The CRDT keeps both edits (nothing is repaired);
 * the notice names the problem and the items involved so people can fix it.
 */
import { isMergeProblem, type PlanProblem } from '@lib/plan-domain';

export interface PlanProblemNotice {
  readonly kind: 'plan.problem';
  readonly planId: string;
  /** the problems of these kinds the plan has now (details at `GET /plans/:id/problems`) */
  readonly problems: readonly PlanProblem[];
  /** those among them the events since the last notice introduced */
  readonly added: readonly PlanProblem[];
  /** time of the event after which they appeared */
  readonly at: string;
  readonly position: number;
}

/** The notice for a plan whose problems went from `before` to `after`, if any are new. */
export function planProblemNotice(
  planId: string,
  before: readonly PlanProblem[],
  after: readonly PlanProblem[],
  event: { readonly at: string; readonly position: number },
): PlanProblemNotice | undefined {
  const relevant = (problems: readonly PlanProblem[]) => problems.filter(isMergeProblem);
  const known = new Set(relevant(before).map(problemKey));
  const now = relevant(after);
  const added = now.filter((p) => !known.has(problemKey(p)));
  if (added.length === 0) return undefined;
  return {
    kind: 'plan.problem',
    planId,
    problems: now,
    added,
    at: event.at,
    position: event.position,
  };
}

const problemKey = (p: PlanProblem): string => `${p.code}|${p.path}|${(p.ids ?? []).join(',')}`;
