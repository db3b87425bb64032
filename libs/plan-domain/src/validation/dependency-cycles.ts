/**
 * Finds dependency cycles to report: one concrete cycle per strongly connected component, so a
 * tangle of ten tasks yields one readable problem rather than every cycle through it.
 */
import { compareCodeUnits } from '../id-order';

/**
 * `dependsOn` maps each work item to the ids it depends on (unknown ids already removed).
 * Each cycle is returned in dependency order starting at its smallest id (`['a', 'b']` means
 * a depends on b depends on a; a self-dependency is `['a']`); cycles are sorted by that id.
 */
export function findDependencyCycles(
  dependsOn: ReadonlyMap<string, readonly string[]>,
): string[][] {
  const ids = [...dependsOn.keys()].sort(compareCodeUnits);
  const cycles: string[][] = [];
  for (const component of stronglyConnectedComponents(ids, dependsOn)) {
    const members = new Set(component);
    const start = [...component].sort(compareCodeUnits)[0];
    const isCycle = component.length > 1 || (dependsOn.get(start) ?? []).includes(start);
    // Every member of a cyclic component leads back to start, so the fallback never applies.
    if (isCycle) cycles.push(cycleThrough(start, dependsOn, members) ?? [start]);
  }
  return cycles.sort((a, b) => compareCodeUnits(a[0], b[0]));
}

/** Tarjan's algorithm, iterative so a long dependency chain cannot overflow the call stack. */
function stronglyConnectedComponents(
  ids: readonly string[],
  edges: ReadonlyMap<string, readonly string[]>,
): string[][] {
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;

  for (const root of ids) {
    if (index.has(root)) continue;
    const frames: { id: string; next: number }[] = [{ id: root, next: 0 }];
    index.set(root, counter);
    lowLink.set(root, counter++);
    stack.push(root);
    onStack.add(root);

    while (frames.length > 0) {
      const frame = frames[frames.length - 1];
      const targets = edges.get(frame.id) ?? [];
      if (frame.next < targets.length) {
        const target = targets[frame.next++];
        if (!edges.has(target)) continue;
        if (!index.has(target)) {
          index.set(target, counter);
          lowLink.set(target, counter++);
          stack.push(target);
          onStack.add(target);
          frames.push({ id: target, next: 0 });
        } else if (onStack.has(target)) {
          lowLink.set(frame.id, Math.min(lowLink.get(frame.id)!, index.get(target)!));
        }
        continue;
      }
      frames.pop();
      if (frames.length > 0) {
        const parent = frames[frames.length - 1].id;
        lowLink.set(parent, Math.min(lowLink.get(parent)!, lowLink.get(frame.id)!));
      }
      if (lowLink.get(frame.id) === index.get(frame.id)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.id);
        components.push(component);
      }
    }
  }
  return components;
}

/**
 * The shortest cycle through `start` in dependency order beginning at `start`, if there is one
 * (`within` limits the search to a component). Breadth-first with edges in id order, so the
 * cycle reported for a plan is the same on every run.
 */
export function cycleThrough(
  start: string,
  edges: ReadonlyMap<string, readonly string[]>,
  within?: ReadonlySet<string>,
): string[] | undefined {
  const cameFrom = new Map<string, string>();
  const queue: string[] = [start];
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head];
    const targets = [...new Set(edges.get(id) ?? [])].sort(compareCodeUnits);
    for (const target of targets) {
      if (target === start) {
        const cycle = [id];
        for (let at = id; at !== start;) {
          at = cameFrom.get(at)!;
          cycle.push(at);
        }
        return cycle.reverse();
      }
      if (
        edges.has(target) &&
        (within === undefined || within.has(target)) &&
        !cameFrom.has(target)
      ) {
        cameFrom.set(target, id);
        queue.push(target);
      }
    }
  }
  return undefined;
}

/**
 * The dependency graph of tasks and milestones: id → ids it depends on, keeping only ids of
 * items in the graph and skipping malformed entries (validation reports those separately).
 */
export function dependencyGraph(
  workItems: Iterable<{ readonly id: unknown; readonly dependsOn?: unknown }>,
): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const items = [...workItems];
  for (const item of items) {
    if (typeof item.id === 'string') graph.set(item.id, []);
  }
  for (const item of items) {
    if (typeof item.id !== 'string' || !Array.isArray(item.dependsOn)) continue;
    for (const dependency of item.dependsOn as unknown[]) {
      const taskId =
        typeof dependency === 'object' && dependency !== null
          ? (dependency as { taskId?: unknown }).taskId
          : undefined;
      if (typeof taskId === 'string' && graph.has(taskId)) graph.get(item.id)!.push(taskId);
    }
  }
  return graph;
}
