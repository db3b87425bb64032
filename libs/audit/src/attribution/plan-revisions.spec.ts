import { GENESIS_HASH, type RecordedEvent } from '@lib/event-store';
import { PLAN_UPDATED, PlanDoc, readPlan } from '@lib/plan-domain';
import * as Y from 'yjs';
import { attribute, planRevert } from './plan-revisions';

/** A plan log written by people on their own replicas, as websocket clients would. */
class PlanLog {
  readonly events: RecordedEvent[] = [];
  private readonly replicas = new Map<string, PlanDoc>();

  edit(actor: string, at: string, change: (plan: PlanDoc) => void): number {
    const plan = this.replica(actor);
    const updates: Uint8Array[] = [];
    const listener = (u: Uint8Array, origin: unknown) => origin !== 'log' && updates.push(u);
    plan.doc.on('update', listener);
    change(plan);
    plan.doc.off('update', listener);
    this.append(actor, at, Y.mergeUpdates(updates));
    return this.events.length - 1;
  }

  append(actor: string, at: string, update: Uint8Array): void {
    const version = this.events.length;
    this.events.push({
      id: `e${version}`,
      streamId: 'plan-p',
      type: PLAN_UPDATED,
      data: update,
      metadata: { actor, at },
      schemaVersion: 1,
      version,
      position: version + 1,
      hash: GENESIS_HASH,
      prevHash: GENESIS_HASH,
    });
    for (const replica of this.replicas.values()) Y.applyUpdate(replica.doc, update, 'log');
  }

  private replica(actor: string): PlanDoc {
    let plan = this.replicas.get(actor);
    if (!plan) {
      plan = new PlanDoc(new Y.Doc());
      for (const e of this.events) Y.applyUpdate(plan.doc, e.data as Uint8Array, 'log');
      this.replicas.set(actor, plan);
    }
    return plan;
  }

  current(extra?: Uint8Array) {
    const doc = new Y.Doc();
    for (const e of this.events) Y.applyUpdate(doc, e.data as Uint8Array);
    if (extra) Y.applyUpdate(doc, extra);
    const plan = readPlan(doc);
    doc.destroy();
    return plan;
  }
}

const T = (minute: number) => `2027-03-01T10:${String(minute).padStart(2, '0')}:00.000Z`;

function history(): PlanLog {
  const log = new PlanLog();
  log.edit('alice', T(0), (p) => {
    p.setMeta({ title: 'Rollout' });
    p.addTask({ id: 'a', title: 'Design', durationDays: 5 });
    p.addTask({ id: 'b', title: 'Build', durationDays: 10 });
    p.addTask({ id: 'c', title: 'Test', durationDays: 3 });
  });
  log.edit('bob', T(10), (p) => p.updateTask('a', { durationDays: 9, title: 'Design v2' }));
  log.edit('alice', T(12), (p) => p.updateTask('b', { durationDays: 12 }));
  log.edit('bob', T(15), (p) => p.addTask({ id: 'x', title: 'Bob extra', durationDays: 1 }));
  log.edit('bob', T(16), (p) => p.removeTask('c'));
  log.edit('bob', T(17), (p) =>
    p.addRisk({ id: 'r', title: 'Bob risk', probability: 2, impact: 2 }),
  );
  log.edit('alice', T(20), (p) => p.updateTask('a', { title: 'Design (final)' }));
  log.edit('alice', T(21), (p) => p.updateRisk('r', { impact: 5 }));
  return log;
}

describe('attribution', () => {
  it('given alice and bob editing, when attributed from minute 10, then each event names its actor and the fields it changed', () => {
    const log = history();
    const result = attribute(log.events, { from: T(10) });
    expect(result.events.map((e) => [e.version, e.actor])).toEqual([
      [1, 'bob'],
      [2, 'alice'],
      [3, 'bob'],
      [4, 'bob'],
      [5, 'bob'],
      [6, 'alice'],
      [7, 'alice'],
    ]);
    expect(result.events[0].fields).toEqual([
      {
        kind: 'changed',
        entity: { type: 'task', id: 'a' },
        field: 'title',
        from: 'Design',
        to: 'Design v2',
      },
      { kind: 'changed', entity: { type: 'task', id: 'a' }, field: 'durationDays', from: 5, to: 9 },
    ]);
    expect(result.events[0].summary.length).toBeGreaterThan(0);
    expect(result.actors.find((a) => a.actor === 'bob')?.fields).toEqual([
      'risk:r',
      'task:a.durationDays',
      'task:a.title',
      'task:c',
      'task:x',
    ]);
  });

  it('given a version window and an actor, when attributed, then only those events are listed', () => {
    const result = attribute(history().events, { from: 2, to: 4, actor: 'bob' });
    expect(result.events.map((e) => e.version)).toEqual([3, 4]);
  });
});

describe('revert', () => {
  it("given bob's edits while alice kept editing, when bob's are reverted, then bob's are undone, alice's later edits kept and the conflicts named", () => {
    const log = history();
    const revert = planRevert(log.events, { from: T(5), actor: 'bob' });
    expect(revert.reverted.map((r) => r.version)).toEqual([1, 3, 4, 5]);
    expect(revert.update).toBeDefined();
    const plan = log.current(revert.update);

    const task = (id: string) => plan.tasks.find((t) => t.id === id);
    // bob's duration change undone; his title change was overwritten by alice later: hers stays
    expect(task('a')).toMatchObject({ durationDays: 5, title: 'Design (final)' });
    expect(task('b')).toMatchObject({ durationDays: 12 }); // alice's own edit untouched
    expect(task('x')).toBeUndefined(); // bob's added task removed
    expect(task('c')).toMatchObject({ title: 'Test', durationDays: 3 }); // bob's removal undone
    // bob's risk was edited by alice afterwards: kept, not deleted with her edit
    expect(plan.risks.find((r) => r.id === 'r')).toMatchObject({ impact: 5 });
    expect(revert.conflicts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          entity: { type: 'task', id: 'a' },
          field: 'title',
          reason: 'changed-later',
          laterActor: 'alice',
          kept: 'Design (final)',
        }),
        expect.objectContaining({
          entity: { type: 'risk', id: 'r' },
          reason: 'edited-after-added',
          laterActor: 'alice',
        }),
      ]),
    );
    expect(revert.changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'changed',
          entity: { type: 'task', id: 'a' },
          field: 'durationDays',
          from: 9,
          to: 5,
        }),
        expect.objectContaining({ kind: 'removed', entity: { type: 'task', id: 'x' } }),
        expect.objectContaining({ kind: 'added', entity: { type: 'task', id: 'c' } }),
      ]),
    );
  });

  it('given a window with no edits by the actor, when reverted, then there is no update', () => {
    const revert = planRevert(history().events, { from: T(18), actor: 'bob' });
    expect(revert.update).toBeUndefined();
    expect(revert.reverted).toEqual([]);
  });
});
