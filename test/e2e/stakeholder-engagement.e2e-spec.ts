/**
 * Stakeholder engagement on a real server, with a plan built through the API: comment threads
 * with mentions reaching the mentioned user's feed, the stakeholder role (comments yes, edits
 * no — REST and websocket), the weekly status report, scope creep against a baseline, and
 * over-allocation per week.
 */
import type { FeedChange, FeedNotice } from '@lib/feed';
import { connectFeed, type FeedClient } from '@lib/feed/client';
import { apiClient, ClientPool, eventually, tokenFor } from '../support/clients';
import { startServer, type ServerProcess } from '../support/server-process';

interface Versioned {
  readonly version: number;
  readonly position: number;
}

describe('stakeholder engagement', () => {
  let server: ServerProcess;
  let planId: string;
  const feeds: FeedClient[] = [];
  const pool = new ClientPool();
  const alice = tokenFor('alice');
  const bob = tokenFor('bob');
  const sam = tokenFor('sam');
  const carol = tokenFor('carol');
  let lastVersion = 0;
  const api = (token: string) => apiClient(server.baseUrl, token);
  const track = <T>(response: { status: number; body: T }): { status: number; body: T } => {
    const version = (response.body as Partial<Versioned> | undefined)?.version;
    if (typeof version === 'number') lastVersion = Math.max(lastVersion, version);
    return response;
  };

  beforeAll(async () => {
    server = await startServer({ SCOPE_CREEP_THRESHOLD_PERCENT: '25' });
    const owner = api(alice);
    planId = (
      await owner.post<{ id: string }>('/plans', {
        title: 'CRM pilot',
        start: '2027-03-01',
        budget: 10_000,
        currency: 'EUR',
        // the dates and weekly hours below are worked out in calendar days
        calendarMode: 'calendar-days',
      })
    ).body.id;
    const setup: [string, unknown][] = [
      [
        'resources',
        { id: 'ken', name: 'Ken', kind: 'person', capacityHoursPerDay: 8, costRatePerDay: 500 },
      ],
      ['tasks', { id: 'a', title: 'Analysis', durationDays: 5, cost: 1000, assignees: ['ken'] }],
      [
        'milestones',
        {
          id: 'm1',
          title: 'Requirements signed off',
          dependsOn: [{ taskId: 'a', type: 'FS', lagDays: 0 }],
        },
      ],
      [
        'risks',
        { id: 'r1', title: 'Vendor contract drags', probability: 2, impact: 3, owner: 'alice' },
      ],
      [
        'objectives',
        {
          id: 'o1',
          title: 'Adoption',
          kpi: 'weekly active sales users',
          unit: '%',
          baseline: 0,
          target: 80,
          due: '2027-03-20',
          linkedTaskIds: ['a'],
        },
      ],
      [
        'stakeholders',
        {
          id: 's1',
          name: 'Head of Sales',
          role: 'sponsor',
          influence: 5,
          interest: 5,
          channel: 'meeting',
          cadence: 'weekly',
        },
      ],
    ];
    for (const [collection, body] of setup)
      expect(track(await owner.post(`/plans/${planId}/${collection}`, body)).status).toBe(201);
    await owner.post(`/plans/${planId}/members`, { userId: 'bob', role: 'editor' });
    await owner.post(`/plans/${planId}/members`, { userId: 'sam', role: 'stakeholder' });
  });
  afterAll(async () => {
    for (const feed of feeds) feed.close();
    pool.destroyAll();
    await server.dispose();
  });

  function feedOf(
    token: string,
    plans: readonly string[] | '*',
  ): { client: FeedClient; notices: FeedNotice[]; changes: FeedChange[] } {
    const notices: FeedNotice[] = [];
    const changes: FeedChange[] = [];
    const client = connectFeed(server.baseUrl, {
      token,
      plans,
      onChange: (c) => changes.push(c),
      onNotice: (n) => notices.push(n),
    });
    feeds.push(client);
    return { client, notices, changes };
  }

  async function subscribed(feed: FeedClient): Promise<void> {
    await eventually(() => expect(feed.socket.connected).toBe(true));
    // the subscribe ack arrives right after connect; give the rooms a moment to be joined
    await new Promise((r) => setTimeout(r, 300));
  }

  it('given a stakeholder, when they comment and mention bob, then bob’s feed gets the mention and the change, a non-member mentioned gets nothing, and the thread can be replied to and resolved', async () => {
    const bobs = feedOf(bob, [planId]);
    const carols = feedOf(carol, '*');
    await subscribed(bobs.client);
    await subscribed(carols.client);

    const posted = track(
      await api(sam).post<{ commentId: string; mentions: string[]; author: string } & Versioned>(
        `/plans/${planId}/comments`,
        {
          target: { type: 'task', id: 'a' },
          text: '@bob can the analysis start earlier? cc @carol',
        },
      ),
    );
    expect(posted.status).toBe(201);
    expect(posted.body).toMatchObject({ author: 'sam', mentions: ['bob', 'carol'] });
    const commentId = posted.body.commentId;

    await eventually(() =>
      expect(bobs.notices.filter((n) => n.kind === 'mention')).toHaveLength(1),
    );
    expect(bobs.notices.find((n) => n.kind === 'mention')).toMatchObject({
      kind: 'mention',
      planId,
      userId: 'bob',
      commentId,
      author: 'sam',
      target: { type: 'task', id: 'a' },
      excerpt: '@bob can the analysis start earlier? cc @carol',
    });
    await eventually(() =>
      expect(
        bobs.changes.some((c) =>
          c.changes.some((x) => x.changeType === 'CommentPosted' && x.entity.id === commentId),
        ),
      ).toBe(true),
    );

    const reply = track(
      await api(bob).post<{ threadId: string }>(`/plans/${planId}/comments`, {
        target: { type: 'task', id: 'a' },
        parentId: commentId,
        text: 'Yes, from Monday.',
      }),
    );
    expect(reply.body.threadId).toBe(commentId);
    expect(
      (await api(bob).patch(`/plans/${planId}/comments/${commentId}`, { text: 'mine now' })).status,
    ).toBe(403);
    expect(
      track(
        await api(sam).patch(`/plans/${planId}/comments/${commentId}`, {
          text: '@bob can the analysis start a week earlier?',
        }),
      ).status,
    ).toBe(200);
    expect(
      track(await api(alice).post(`/plans/${planId}/comments/${commentId}/resolve`)).status,
    ).toBe(200);

    const threads = await api(sam).get<
      {
        threadId: string;
        resolved: boolean;
        replies: { author: string }[];
        root: { revisions: { text: string }[] };
      }[]
    >(`/plans/${planId}/comments?target=task:a&minVersion=${lastVersion}`);
    expect(threads.status).toBe(200);
    expect(threads.body).toEqual([
      expect.objectContaining({
        threadId: commentId,
        resolved: true,
        replies: [expect.objectContaining({ author: 'bob' })],
      }),
    ]);
    expect(threads.body[0].root.revisions).toEqual([
      expect.objectContaining({ text: '@bob can the analysis start earlier? cc @carol' }),
    ]);
    await new Promise((r) => setTimeout(r, 300));
    expect(carols.notices.filter((n) => n.kind === 'mention')).toEqual([]);
  });

  it('given a stakeholder, when they edit the plan over REST or the websocket, then it is refused and nothing changes; comments on unknown items are refused too', async () => {
    expect((await api(sam).patch(`/plans/${planId}/tasks/a`, { durationDays: 1 })).status).toBe(
      403,
    );
    expect(
      (await api(sam).post(`/plans/${planId}/tasks`, { title: 'Sneaky', durationDays: 1 })).status,
    ).toBe(403);
    expect((await api(sam).post(`/plans/${planId}/baselines`, { name: 'mine' })).status).toBe(403);
    const unknown = await api(sam).post<{ code: string; message: string }>(
      `/plans/${planId}/comments`,
      { target: { type: 'risk', id: 'nope' }, text: 'hm' },
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('INVALID_COMMENT');
    expect(
      (
        await api(carol).post(`/plans/${planId}/comments`, {
          target: { type: 'plan' },
          text: 'let me in',
        })
      ).status,
    ).toBe(403);

    const client = pool.connect(server.wsUrl, planId, { token: sam });
    await eventually(() => expect(client.provider.synced).toBe(true));
    client.doc.getMap('meta').set('title', 'Hijacked by a stakeholder');
    await eventually(() => expect(client.permissionDenied[0]).toMatch(/read-only/));
    const plan = await api(alice).get<{
      meta: { title: string };
      tasks: { durationDays: number }[];
    }>(`/plans/${planId}`);
    expect(plan.body.meta.title).toBe('CRM pilot');
    expect(plan.body.tasks[0].durationDays).toBe(5);
  });

  it('given a baseline, when three tasks are added, then scope shows them with who added them and the cost delta, crosses the threshold, and the feed says ScopeCreepDetected', async () => {
    const dashboard = feedOf(alice, [planId]);
    await subscribed(dashboard.client);
    const baseline = track(
      await api(alice).post<{ baselineId: string; projectFinish: string }>(
        `/plans/${planId}/baselines`,
        { name: 'Approved' },
      ),
    );
    expect(baseline.status).toBe(201);
    expect(baseline.body.projectFinish).toBe('2027-03-06');
    expect((await api(alice).post(`/plans/${planId}/baselines`, { name: '' })).status).toBe(400);

    for (const [id, by] of [
      ['b1', alice],
      ['b2', bob],
      ['c', bob],
    ] as const) {
      const body = {
        id,
        title: `Extra ${id}`,
        durationDays: 7,
        cost: 500,
        assignees: ['ken'],
        start: id === 'c' ? '2027-03-22' : '2027-03-08',
      };
      expect(track(await api(by).post(`/plans/${planId}/tasks`, body)).status).toBe(201);
    }
    const scope = await api(sam).get<
      Record<string, unknown> & {
        added: { id: string; addedBy: string; cost: number }[];
        totals: Record<string, number>;
      }
    >(`/plans/${planId}/scope?minVersion=${lastVersion}`);
    expect(scope.status).toBe(200);
    expect(scope.body.added.map((a) => [a.id, a.addedBy, a.cost])).toEqual([
      ['b1', 'alice', 500],
      ['b2', 'bob', 500],
      ['c', 'bob', 500],
    ]);
    expect(scope.body.totals).toMatchObject({
      baselineCost: 1000,
      cost: 2500,
      costDelta: 1500,
      costDeltaPercent: 150,
      effortDeltaDays: 21,
    });
    expect(scope.body).toMatchObject({ thresholdPercent: 25, creepDetected: true, removed: [] });
    await eventually(() =>
      expect(dashboard.notices.filter((n) => n.kind === 'scope-creep')).toEqual([
        expect.objectContaining({
          kind: 'scope-creep',
          planId,
          baselineName: 'Approved',
          thresholdPercent: 25,
        }),
      ]),
    );
  });

  it('given ken on two tasks in the week of 8 March, then he is over-allocated that week and not the weeks around it', async () => {
    const allocation = await api(bob).get<{
      resources: {
        resourceId: string;
        weeks: { week: string; assignedHours: number; overAllocated: boolean }[];
      }[];
      overAllocations: unknown[];
      costs: { categories: unknown[] };
    }>(`/plans/${planId}/resources/allocation?minVersion=${lastVersion}`);
    expect(allocation.status).toBe(200);
    const ken = allocation.body.resources.find((r) => r.resourceId === 'ken')!;
    expect(ken.weeks.map((w) => [w.week, w.assignedHours, w.overAllocated])).toEqual([
      ['2027-W09', 40, false],
      ['2027-W10', 112, true],
      ['2027-W12', 56, false],
    ]);
    expect(allocation.body.overAllocations).toEqual([
      expect.objectContaining({
        resourceId: 'ken',
        name: 'Ken',
        week: '2027-W10',
        weekStart: '2027-03-08',
        assignedHours: 112,
        capacityHours: 56,
        taskIds: ['b1', 'b2'],
      }),
    ]);
    expect(allocation.body.costs.categories).toContainEqual(
      expect.objectContaining({ category: 'labour', planned: 13_000 }),
    );
    const march = await api(bob).get<{ overAllocations: unknown[] }>(
      `/plans/${planId}/resources/allocation?from=2027-03-15`,
    );
    expect(march.body.overAllocations).toEqual([]);
  });

  it('given the week to 5 March, when the milestone slips, the risk rises and the KPI falls, then the status report names each, as JSON, Markdown and HTML', async () => {
    await new Promise((r) => setTimeout(r, 20));
    const since = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    track(
      await api(alice).post(`/plans/${planId}/objectives/o1/measurements`, {
        value: 10,
        at: '2027-03-01',
      }),
    );
    track(
      await api(bob).patch(`/plans/${planId}/tasks/a`, { durationDays: 9, percentComplete: 30 }),
    );
    track(await api(bob).patch(`/plans/${planId}/risks/r1`, { probability: 4, impact: 4 }));
    track(
      await api(bob).post(`/plans/${planId}/objectives/o1/measurements`, {
        value: 2,
        at: '2027-03-04',
      }),
    );
    expect(
      (await api(sam).post(`/plans/${planId}/objectives/o1/measurements`, { value: 99 })).status,
    ).toBe(403);
    expect(
      (await api(alice).post(`/plans/${planId}/objectives/nope/measurements`, { value: 1 })).status,
    ).toBe(404);

    const query = `since=${encodeURIComponent(since)}&today=2027-03-05&minVersion=${lastVersion}`;
    const report = await api(sam).get<{
      highlights: string[];
      milestones: {
        id: string;
        title: string;
        state: string;
        slipDays: number;
        movedInPeriodDays: number;
      }[];
      risks: { rose: { id: string; title: string; scoreAtSince: number; score: number }[] };
      kpis: {
        id: string;
        status: string;
        current: number;
        valueAtSince: number;
        direction: string;
      }[];
      scope: { creepDetected: boolean };
      feedback: { openThreads: number };
    }>(`/plans/${planId}/reports/status?${query}`);
    expect(report.status).toBe(200);
    expect(report.body.milestones).toEqual([
      expect.objectContaining({
        id: 'm1',
        title: 'Requirements signed off',
        state: 'slipped',
        slipDays: 4,
        movedInPeriodDays: 4,
      }),
    ]);
    expect(report.body.risks.rose).toEqual([
      expect.objectContaining({
        id: 'r1',
        title: 'Vendor contract drags',
        scoreAtSince: 6,
        score: 16,
      }),
    ]);
    const kpi = report.body.kpis.find((k) => k.id === 'o1')!;
    expect(kpi).toMatchObject({ current: 2, direction: 'worsening' });
    expect(['at-risk', 'off-track']).toContain(kpi.status);
    expect(report.body.scope.creepDetected).toBe(true);
    expect(report.body.highlights).toEqual(
      expect.arrayContaining([
        'Milestone "Requirements signed off" slipped 4 days to 2027-03-10.',
        'Risk "Vendor contract drags" rose from 6 to 16 (high).',
        expect.stringMatching(
          /^KPI "weekly active sales users" is (at-risk|off-track): 2 % against a target of 80 %\.$/,
        ),
      ]),
    );

    const markdown = await fetch(
      `${server.baseUrl}/plans/${planId}/reports/status?${query}&format=md`,
      { headers: { authorization: `Bearer ${sam}` } },
    );
    expect(markdown.headers.get('content-type')).toMatch(/^text\/markdown/);
    const md = await markdown.text();
    expect(md).toContain('| Requirements signed off | 2027-03-10 | 2027-03-06 | +4 |');
    expect(md).toContain('Rose: Vendor contract drags (6 → 16)');
    const html = await fetch(
      `${server.baseUrl}/plans/${planId}/reports/status?${query}&format=html&audience=s1`,
      { headers: { authorization: `Bearer ${sam}` } },
    );
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await html.text();
    expect(page).toContain('prepared for <b>Head of Sales</b>');
    expect(page).toContain('<svg');
    const wrong = await api(sam).get<{ code: string }>(
      `/plans/${planId}/reports/status?audience=nobody`,
    );
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe('UNKNOWN_AUDIENCE');
  });

  it('given objectives, then their status and the alignment gaps are served; and recording an update takes the sponsor off the due list', async () => {
    const status = await api(sam).get<{
      objectives: { id: string; linkedTasks: { id: string }[] }[];
      alignmentGaps: { id: string }[];
    }>(`/plans/${planId}/objectives/status?today=2027-03-15&minVersion=${lastVersion}`);
    expect(status.status).toBe(200);
    expect(status.body.objectives[0].linkedTasks.map((t) => t.id)).toEqual(['a']);
    expect(status.body.alignmentGaps.map((g) => g.id)).toEqual(['b1', 'b2', 'c']);
    const due = await api(sam).get<{ stakeholders: { stakeholderId: string; due: boolean }[] }>(
      `/plans/${planId}/communications/due?today=2027-03-15`,
    );
    expect(due.body.stakeholders).toEqual([
      expect.objectContaining({ stakeholderId: 's1', due: true }),
    ]);
    const sent = track(
      await api(alice).post(`/plans/${planId}/communications`, {
        stakeholderIds: ['s1'],
        sentAt: '2027-03-15T08:00:00Z',
        note: 'weekly report',
      }),
    );
    expect(sent.status).toBe(201);
    const after = await api(sam).get<{
      stakeholders: { stakeholderId: string; due: boolean; dueOn: string }[];
    }>(`/plans/${planId}/communications/due?today=2027-03-15&minVersion=${lastVersion}`);
    expect(after.body.stakeholders).toEqual([
      expect.objectContaining({ stakeholderId: 's1', due: false, dueOn: '2027-03-22' }),
    ]);
  });
});
