/** The comments and scope read models: threads and mention notices, attributed scope change and its notice. */
import {
  baselineCapturedEvent,
  captureBaseline,
  planStreamId,
  type ProjectedBatch,
  type Projections,
} from '@lib/projections';
import {
  startProjectionHarness,
  type PlanWriter,
  type ProjectionHarness,
} from './plan-log.harness';

const at = (minute: number) => `2027-03-10T09:${String(minute).padStart(2, '0')}:00.000Z`;
const task = { type: 'task', id: 'A' };

describe('comments and scope read models', () => {
  let harness: ProjectionHarness;
  let projections: Projections;
  let writer: PlanWriter;
  const batches: ProjectedBatch[] = [];
  const notices = () => batches.flatMap((b) => b.notices ?? []);

  beforeEach(async () => {
    batches.length = 0;
    harness = await startProjectionHarness();
    writer = harness.writer('p1');
    await writer.create('ana', at(0), 'Plan');
    await writer.edit('ana', at(1), (plan) => {
      plan.addTask({ id: 'A', title: 'Design', durationDays: 10, cost: 1000 });
      plan.addTask({
        id: 'B',
        title: 'Build',
        durationDays: 10,
        cost: 1000,
        dependsOn: [{ taskId: 'A', type: 'FS', lagDays: 0 }],
      });
      for (const n of [1, 2, 3, 4, 5, 6, 7, 8])
        plan.addTask({ id: `P${n}`, title: `Part ${n}`, durationDays: 10, cost: 1000 });
    });
    projections = await harness.open({ scopeCreepThresholdPercent: 20 });
    projections.onProjected((b) => batches.push(b));
  });
  afterEach(() => harness.close());

  it('given a thread with a reply and an edit that adds a mention, then threads read in order and only new mentions are notified', async () => {
    await writer.json(
      'CommentPosted',
      { commentId: 'c1', target: task, text: '@ken @ana is this sized?', mentions: ['ken', 'ana'] },
      'ana',
      at(2),
    );
    await writer.json(
      'CommentPosted',
      { commentId: 'c2', target: task, parentId: 'c1', text: 'yes', mentions: [] },
      'ken',
      at(3),
    );
    await writer.json(
      'CommentEdited',
      { commentId: 'c2', text: 'yes, ask @ken or @raj' },
      'ken',
      at(4),
    );
    await writer.json(
      'CommentPosted',
      { commentId: 'c3', target: { type: 'plan', id: 'meta' }, text: 'general', mentions: [] },
      'raj',
      at(5),
    );
    await writer.json('CommentResolved', { commentId: 'c1' }, 'ana', at(6));
    await writer.json('CommentEdited', { commentId: 'missing', text: 'x' }, 'ana', at(7));
    await writer.json(
      'CommentPosted',
      { commentId: 'bad', target: { type: 'galaxy', id: 'x' }, text: 'x' },
      'ana',
      at(8),
    );
    await projections.catchUp();

    // the author is not told about their own mention; an edit tells raj, not ken again
    expect(
      notices().map((n) => (n.kind === 'mention' ? `${n.userId}:${n.commentId}` : n.kind)),
    ).toEqual(['ken:c1', 'raj:c2']);
    const threads = await projections.comments.threads('p1', { target: { type: 'task', id: 'A' } });
    expect(threads).toHaveLength(1);
    expect(threads[0]).toMatchObject({
      threadId: 'c1',
      resolved: true,
      commentCount: 2,
      root: { author: 'ana', resolved: { by: 'ana', at: at(6) } },
    });
    expect(threads[0].replies[0]).toMatchObject({
      text: 'yes, ask @ken or @raj',
      revisions: [{ text: 'yes', at: at(3) }],
      editedAt: at(4),
    });
    expect(
      (await projections.comments.threads('p1', { state: 'open' })).map((t) => t.threadId),
    ).toEqual(['c3']);
    expect(await projections.comments.comment('p1', 'bad')).toBeUndefined();
    const audit = (await projections.changeLog.history('p1')).entries.filter(
      (e) => e.entity.type === 'comment',
    );
    expect(audit.map((e) => [e.actor, e.summary]).slice(0, 4)).toEqual([
      ['ana', 'comment on task A: "@ken @ana is this sized?"'],
      ['ken', 'comment reply to c1 on task A: "yes"'],
      ['ken', 'comment edited: "yes, ask @ken or @raj"'],
      ['raj', 'comment on plan meta: "general"'],
    ]);
  });

  it('given a baseline, when three tasks are added and one re-estimated, then scope change names who did what and the notice comes once, when growth passes the threshold', async () => {
    const data = captureBaseline(writer.plan.toJSON(), {
      baselineId: 'b1',
      name: 'Approved',
      capturedAt: at(2),
    });
    await harness.store.appendToStream(planStreamId('p1'), [
      baselineCapturedEvent(data, { actor: 'ana', at: at(2) }),
    ]);
    await projections.catchUp();
    expect(await projections.scope.scope('p1', 20)).toMatchObject({
      hasBaseline: true,
      growthPercent: 0,
      added: [],
    });

    await writer.edit('ken', at(3), (plan) =>
      plan.addTask({ id: 'C', title: 'Extra 1', durationDays: 2, cost: 300 }),
    );
    await projections.catchUp();
    expect(notices()).toEqual([]);
    await writer.edit('raj', at(4), (plan) => {
      plan.addTask({ id: 'D', title: 'Extra 2', durationDays: 2, cost: 300 });
      plan.addTask({ id: 'E', title: 'Extra 3', durationDays: 2, cost: 300 });
    });
    await writer.edit('ken', at(5), (plan) => plan.updateTask('A', { durationDays: 12 }));
    await projections.catchUp();
    await writer.edit('ken', at(6), (plan) => plan.updateTask('E', { cost: 400 }));
    await projections.catchUp();

    const scope = await projections.scope.scope('p1', 20);
    if (!scope?.hasBaseline) throw new Error('expected a baseline');
    expect(scope.added.map((a) => [a.id, a.addedBy])).toEqual([
      ['C', 'ken'],
      ['D', 'raj'],
      ['E', 'raj'],
    ]);
    expect(scope.changed).toEqual([
      expect.objectContaining({ id: 'A', durationDeltaDays: 2, changedBy: ['ken'] }),
    ]);
    expect(scope.totals).toMatchObject({
      costDelta: 1000,
      effortDeltaDays: 8,
      scheduleDeltaDays: 2,
    });
    expect(scope.creepDetected).toBe(true);
    expect(notices()).toEqual([
      expect.objectContaining({
        kind: 'scope-creep',
        planId: 'p1',
        baselineName: 'Approved',
        thresholdPercent: 20,
      }),
    ]);
  });
});
