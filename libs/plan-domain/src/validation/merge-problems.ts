/**
 * Problems that concurrent edits can create between them although each edit alone was valid:
 * two people each add a dependency and together close a cycle; one deletes a task while another
 * makes something depend on it. Commands refuse to create them, merges cannot, so they are
 * detected after the merge and reported on the items involved; nothing is repaired.
 */
import type { PlanProblem, PlanProblemCode } from './plan-problem';

export const MERGE_PROBLEM_CODES: readonly PlanProblemCode[] = [
  'DEPENDENCY_CYCLE',
  'UNKNOWN_REFERENCE',
  'DUPLICATE_DEPENDENCY',
];

export const isMergeProblem = (problem: PlanProblem): boolean =>
  MERGE_PROBLEM_CODES.includes(problem.code);

/**
 * The problems each item is involved in: the item whose field holds the problem (the id after
 * the collection in `path`) and, for a cycle, every item on it.
 */
export function problemsByItem(
  problems: readonly PlanProblem[],
): ReadonlyMap<string, readonly PlanProblem[]> {
  const byItem = new Map<string, PlanProblem[]>();
  const add = (id: string, problem: PlanProblem): void => {
    const list = byItem.get(id) ?? [];
    if (!list.includes(problem)) list.push(problem);
    byItem.set(id, list);
  };
  for (const problem of problems) {
    const [, owner] = problem.path.split('.');
    if (owner !== undefined && owner !== '') add(owner, problem);
    if (problem.code === 'DEPENDENCY_CYCLE') for (const id of problem.ids ?? []) add(id, problem);
  }
  return byItem;
}
