/**
 * The dependency graph behind a schedule: resolves `dependsOn` references, isolates dependency
 * cycles (they have no schedule) and orders everything else topologically, ties broken by id,
 * so the same plan always yields the same order whatever order its activities arrive in.
 */

export const DEPENDENCY_TYPES = ['FS', 'SS', 'FF', 'SF'] as const;
export type DependencyType = (typeof DEPENDENCY_TYPES)[number];

export interface Dependency {
  /** The predecessor's id. */
  readonly taskId: string;
  readonly type: DependencyType;
  /** Whole days; negative lag is lead time. */
  readonly lagDays: number;
  /** `working` (default): lag in working days; `elapsed`: calendar days, weekends included. */
  readonly lagKind?: LagKind;
}

export const LAG_KINDS = ['working', 'elapsed'] as const;
export type LagKind = (typeof LAG_KINDS)[number];

export interface GraphActivity {
  readonly id: string;
  readonly dependsOn?: readonly Dependency[];
}

export interface Link {
  readonly predecessorId: string;
  readonly successorId: string;
  readonly type: DependencyType;
  readonly lagDays: number;
  readonly lagKind: LagKind;
}

export type IgnoredDependencyReason = 'unknown-activity' | 'unknown-type' | 'predecessor-in-cycle';

/** A `dependsOn` entry that does not constrain the schedule, and why. */
export interface IgnoredDependency {
  readonly activityId: string;
  readonly dependsOnId: string;
  readonly reason: IgnoredDependencyReason;
}

export interface ActivityGraph {
  /** Schedulable ids, every predecessor before its successors, ties broken by smallest id. */
  readonly order: readonly string[];
  /** Links into each schedulable activity from schedulable predecessors. */
  readonly incoming: ReadonlyMap<string, readonly Link[]>;
  /** Links out of each schedulable activity to schedulable successors. */
  readonly outgoing: ReadonlyMap<string, readonly Link[]>;
  /**
   * Members of each dependency cycle (a strongly connected component, or an activity that
   * depends on itself), sorted; cycles sorted by their first member.
   */
  readonly cycles: readonly (readonly string[])[];
  /** Sorted by activity id, then predecessor id. */
  readonly ignoredDependencies: readonly IgnoredDependency[];
}

/** Builds the graph of activities whose ids are unique (the caller resolves duplicates). */
export function buildActivityGraph(activities: readonly GraphActivity[]): ActivityGraph {
  // Indexing nodes in id order lets "smallest index" stand for "smallest id" in the tie-break.
  const ids = activities.map((a) => a.id).sort();
  const indexOf = new Map(ids.map((id, i) => [id, i]));
  const dependsOnById = new Map(activities.map((a) => [a.id, a.dependsOn ?? []]));

  const ignored: IgnoredDependency[] = [];
  const links: Link[] = [];
  const successors: number[][] = ids.map(() => []);
  for (const successorId of ids) {
    for (const dependency of dependsOnById.get(successorId) ?? []) {
      // The document is a CRDT any client writes to, so a type outside the union can arrive
      // here; it is reported like a dangling reference rather than crashing the projection.
      if (!(DEPENDENCY_TYPES as readonly string[]).includes(dependency.type)) {
        ignored.push({
          activityId: successorId,
          dependsOnId: dependency.taskId,
          reason: 'unknown-type',
        });
        continue;
      }
      const predecessor = indexOf.get(dependency.taskId);
      if (predecessor === undefined) {
        ignored.push({
          activityId: successorId,
          dependsOnId: dependency.taskId,
          reason: 'unknown-activity',
        });
        continue;
      }
      links.push({
        predecessorId: dependency.taskId,
        successorId,
        type: dependency.type,
        lagDays: dependency.lagDays,
        lagKind: dependency.lagKind === 'elapsed' ? 'elapsed' : 'working',
      });
      successors[predecessor].push(indexOf.get(successorId) as number);
    }
  }

  const cycles = findCycles(successors).map((members) => members.map((i) => ids[i]).sort());
  cycles.sort((a, b) => compareIds(a[0], b[0]));
  const inCycle = new Set(cycles.flat());

  const incoming = new Map<string, Link[]>();
  const outgoing = new Map<string, Link[]>();
  for (const id of ids) {
    if (inCycle.has(id)) continue;
    incoming.set(id, []);
    outgoing.set(id, []);
  }
  for (const link of links) {
    if (inCycle.has(link.successorId)) continue;
    if (inCycle.has(link.predecessorId)) {
      ignored.push({
        activityId: link.successorId,
        dependsOnId: link.predecessorId,
        reason: 'predecessor-in-cycle',
      });
      continue;
    }
    incoming.get(link.successorId)?.push(link);
    outgoing.get(link.predecessorId)?.push(link);
  }
  ignored.sort(
    (a, b) => compareIds(a.activityId, b.activityId) || compareIds(a.dependsOnId, b.dependsOnId),
  );

  return {
    order: topologicalOrder(ids, inCycle, outgoing, indexOf),
    incoming,
    outgoing,
    cycles,
    ignoredDependencies: ignored,
  };
}

/** Code-unit order: unlike localeCompare it is the same on every machine and locale. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Tarjan's strongly connected components, iterative so a long dependency chain cannot overflow
 * the call stack. Returns the components that are cycles: more than one member, or a self-loop.
 */
function findCycles(successors: readonly (readonly number[])[]): number[][] {
  const n = successors.length;
  const visitIndex = new Array<number>(n).fill(-1);
  const lowLink = new Array<number>(n).fill(0);
  const onStack = new Array<boolean>(n).fill(false);
  const stack: number[] = [];
  const cycles: number[][] = [];
  let counter = 0;

  const visit = (node: number, frames: { node: number; next: number }[]): void => {
    visitIndex[node] = lowLink[node] = counter++;
    stack.push(node);
    onStack[node] = true;
    frames.push({ node, next: 0 });
  };

  for (let root = 0; root < n; root++) {
    if (visitIndex[root] !== -1) continue;
    const frames: { node: number; next: number }[] = [];
    visit(root, frames);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1];
      const out = successors[frame.node];
      if (frame.next < out.length) {
        const next = out[frame.next++];
        if (visitIndex[next] === -1) visit(next, frames);
        else if (onStack[next])
          lowLink[frame.node] = Math.min(lowLink[frame.node], visitIndex[next]);
        continue;
      }
      frames.pop();
      if (frames.length > 0) {
        const parent = frames[frames.length - 1].node;
        lowLink[parent] = Math.min(lowLink[parent], lowLink[frame.node]);
      }
      if (lowLink[frame.node] !== visitIndex[frame.node]) continue;
      const component: number[] = [];
      let member: number;
      do {
        member = stack.pop() as number;
        onStack[member] = false;
        component.push(member);
      } while (member !== frame.node);
      if (component.length > 1 || successors[frame.node].includes(frame.node)) {
        cycles.push(component);
      }
    }
  }
  return cycles;
}

/** Kahn's algorithm over the acyclic part, always releasing the smallest ready id first. */
function topologicalOrder(
  ids: readonly string[],
  inCycle: ReadonlySet<string>,
  outgoing: ReadonlyMap<string, readonly Link[]>,
  indexOf: ReadonlyMap<string, number>,
): string[] {
  const waitingOn = new Map<string, number>();
  for (const id of ids) if (!inCycle.has(id)) waitingOn.set(id, 0);
  for (const links of outgoing.values()) {
    for (const link of links)
      waitingOn.set(link.successorId, (waitingOn.get(link.successorId) ?? 0) + 1);
  }

  // Ready node indexes kept sorted descending, so pop() yields the smallest id.
  const ready: number[] = [];
  const release = (id: string): void => {
    const index = indexOf.get(id) as number;
    let lo = 0;
    let hi = ready.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ready[mid] > index) lo = mid + 1;
      else hi = mid;
    }
    ready.splice(lo, 0, index);
  };
  for (const [id, count] of waitingOn) if (count === 0) ready.push(indexOf.get(id) as number);
  ready.sort((a, b) => b - a);

  const order: string[] = [];
  while (ready.length > 0) {
    const id = ids[ready.pop() as number];
    order.push(id);
    for (const link of outgoing.get(id) ?? []) {
      const remaining = (waitingOn.get(link.successorId) ?? 0) - 1;
      waitingOn.set(link.successorId, remaining);
      if (remaining === 0) release(link.successorId);
    }
  }
  return order;
}
