/**
 * How a bench edit carries its send time: a writer sets the key `t<writer>` of the root map
 * `bench` to `performance.timeOrigin + performance.now()` (comparable across processes), and
 * a receiver reads the number back out of the raw update with `Y.decodeUpdate` (~3 µs) instead
 * of keeping a Y.Doc per receiver.
 */
import * as Y from 'yjs';
import { PlanDoc } from '@lib/plan-domain';

export const BENCH_MAP = 'bench';

export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

/** one edit = one transaction = one update on the wire; returns the value written */
export function stampEdit(doc: Y.Doc, writer: number): number {
  const sentAtMs = nowMs();
  doc.getMap<number>(BENCH_MAP).set(`t${writer}`, sentAtMs);
  return sentAtMs;
}

/**
 * A stamped edit that also changes the plan (`--edits plan`): the writer's own task gets the
 * next percent complete (the task is added by the writer's first such edit), so a server that
 * projects plans does what a planner's edit costs it. One transaction, one update, like
 * stampEdit; the plan fields carry no number that looks like a send time.
 */
export function stampPlanEdit(doc: Y.Doc, writer: number, edit: number): number {
  let sentAtMs = 0;
  doc.transact(() => {
    const plan = new PlanDoc(doc);
    const id = `bench-task-${writer}`;
    if (plan.get('tasks', id) === undefined)
      plan.addTask({ id, title: `Bench task ${writer}`, durationDays: 5 });
    plan.updateTask(id, { percentComplete: edit % 101 });
    sentAtMs = stampEdit(doc, writer);
  });
  return sentAtMs;
}

/**
 * The send times carried by an update, one per stamped edit in it (a server that merged
 * several edits into one message would yield several). Anything else (plan metadata, seed
 * entries) carries no number that looks like a wall-clock time and yields nothing.
 */
export function readStamps(update: Uint8Array): number[] {
  const stamps: number[] = [];
  for (const struct of Y.decodeUpdate(update).structs) {
    if (!(struct instanceof Y.Item) || !(struct.content instanceof Y.ContentAny)) continue;
    for (const value of struct.content.arr) {
      // epoch ms after 2001: map values of other shapes never pass
      if (typeof value === 'number' && value > 1e12) stamps.push(value);
    }
  }
  return stamps;
}

/** the content of one "loaded document" for the memory run: `entries` task-like map entries in one update */
export function seedUpdate(entries: number, docName: string): Uint8Array {
  const doc = new Y.Doc();
  const tasks = doc.getMap('tasks');
  doc.transact(() => {
    for (let i = 0; i < entries; i++) {
      tasks.set(`task-${i}`, {
        title: `${docName} task ${i}: review the rollout checklist`,
        startDay: i,
        durationDays: 1 + (i % 5),
        owner: `user-${i % 7}`,
        done: false,
      });
    }
  });
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}
