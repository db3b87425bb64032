/**
 * Two nodes sharing PostgreSQL and Redis: a dashboard on node B sees changes made on node A,
 * and when the node projecting the read models is killed, the other takes over.
 */
import { randomUUID } from 'node:crypto';
import type { FeedChange, FeedNotice, SubscribeAck } from '@lib/feed';
import { connectFeed, type FeedClient } from '@lib/feed/client';
import { apiClient, eventually, tokenFor } from '../support/clients';
import { createTestDatabase, type TestDatabase } from '../support/postgres-database';
import { startServer, type ServerProcess } from '../support/server-process';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Health {
  info: {
    projections: { projectors: Array<{ readModel: string; state: string; position: number }> };
  };
}

async function projectors(
  node: ServerProcess,
): Promise<Health['info']['projections']['projectors']> {
  return ((await (await fetch(`${node.baseUrl}/health`)).json()) as Health).info.projections
    .projectors;
}

async function projecting(node: ServerProcess): Promise<string[]> {
  return (await projectors(node))
    .filter((p) => p.state === 'live' || p.state === 'catching-up')
    .map((p) => p.readModel);
}

describe('feed and projections across two nodes', () => {
  const alice = tokenFor('alice');
  const feeds: FeedClient[] = [];
  let database: TestDatabase;
  let nodes: ServerProcess[];

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = {
      EVENT_STORE: 'postgres',
      DATABASE_URL: database.url,
      REDIS_URL,
      REDIS_PREFIX: `test-${randomUUID().slice(0, 8)}:`,
    };
    nodes = await Promise.all([startServer(env), startServer(env)]);
  });
  afterAll(async () => {
    for (const feed of feeds) feed.close();
    await Promise.all(nodes.map((n) => n.dispose()));
    await database.drop();
  });

  it('given a dashboard on node B, when a plan is edited on node A, then B delivers the changes', async () => {
    const [a, b] = nodes;
    const planId = (
      await apiClient(a.baseUrl, alice).post<{ id: string }>('/plans', { title: 'Across nodes' })
    ).body.id;
    const received: FeedChange[] = [];
    feeds.push(
      connectFeed(b.baseUrl, {
        token: alice,
        plans: [planId],
        onChange: (c) => received.push(c),
        socketOptions: { transports: ['websocket'] },
      }),
    );
    for (let i = 0; i < 5; i++) {
      await apiClient(a.baseUrl, alice).post(`/plans/${planId}/tasks`, {
        id: `t${i}`,
        title: `Task ${i}`,
        durationDays: 2,
      });
    }
    await eventually(
      () =>
        expect(
          received.filter((c) => c.changes.some((x) => x.changeType === 'TaskAdded')),
        ).toHaveLength(5),
      15_000,
    );
  });

  it("given bob's dashboard on node B, when alice on node A mentions him and the scope outgrows its baseline, then B delivers both notices, whichever node projects", async () => {
    const [a, b] = nodes;
    const bob = tokenFor('bob');
    const onA = apiClient(a.baseUrl, alice);
    const planId = (await onA.post<{ id: string }>('/plans', { title: 'Notices across nodes' }))
      .body.id;
    expect(
      (await onA.post(`/plans/${planId}/members`, { userId: 'bob', role: 'editor' })).status,
    ).toBe(201);
    await onA.post(`/plans/${planId}/tasks`, {
      id: 'base',
      title: 'Base',
      durationDays: 5,
      cost: 100,
    });
    const notices: FeedNotice[] = [];
    const acks: SubscribeAck[] = [];
    feeds.push(
      connectFeed(b.baseUrl, {
        token: bob,
        plans: [planId],
        onChange: () => undefined,
        onNotice: (n) => notices.push(n),
        onSubscribed: (ack) => acks.push(ack),
        socketOptions: { transports: ['websocket'] },
      }),
    );
    await eventually(() => expect(acks[0]).toMatchObject({ ok: true }));

    expect((await onA.post(`/plans/${planId}/baselines`, { name: 'Agreed' })).status).toBe(201);
    expect(
      (
        await onA.post(`/plans/${planId}/comments`, {
          target: { type: 'task', id: 'base' },
          text: '@bob can you size the extra work?',
        })
      ).status,
    ).toBe(201);
    await onA.post(`/plans/${planId}/tasks`, {
      id: 'extra',
      title: 'Extra',
      durationDays: 5,
      cost: 100,
    });

    await eventually(() => {
      expect(notices.filter((n) => n.kind === 'mention')).toEqual([
        expect.objectContaining({ kind: 'mention', planId, userId: 'bob', author: 'alice' }),
      ]);
      expect(notices.filter((n) => n.kind === 'scope-creep')).toEqual([
        expect.objectContaining({ kind: 'scope-creep', planId, baselineName: 'Agreed' }),
      ]);
    }, 15_000);
  });

  it('given the node that projects is killed, when the plan changes on the survivor, then it takes over and its read models follow', async () => {
    const readModels = (await projectors(nodes[0])).map((p) => p.readModel).sort();
    // every read model has exactly one writer across the two nodes
    await eventually(async () => {
      const leading = await Promise.all(nodes.map(projecting));
      expect(leading.flat().sort()).toEqual(readModels);
    }, 15_000);
    const leaderIndex = (await projecting(nodes[0])).includes('timeline') ? 0 : 1;
    const leader = nodes[leaderIndex];
    const survivor = nodes[1 - leaderIndex];

    const planId = (
      await apiClient(survivor.baseUrl, alice).post<{ id: string }>('/plans', { title: 'Failover' })
    ).body.id;
    await leader.kill();
    await apiClient(survivor.baseUrl, alice).post(`/plans/${planId}/tasks`, {
      id: 'a',
      title: 'A',
      durationDays: 5,
    });
    await apiClient(survivor.baseUrl, alice).post(`/plans/${planId}/tasks`, {
      id: 'b',
      title: 'B',
      durationDays: 3,
      dependsOn: [{ taskId: 'a', type: 'FS', lagDays: 0 }],
    });

    await eventually(
      async () => expect((await projecting(survivor)).sort()).toEqual(readModels),
      20_000,
    );
    await eventually(async () => {
      const timeline = await apiClient(survivor.baseUrl, alice).get<{
        projectFinishDay: number;
        criticalPath: string[];
      }>(`/plans/${planId}/timeline`);
      expect(timeline.status).toBe(200);
      expect(timeline.body.projectFinishDay).toBe(8);
      expect(timeline.body.criticalPath).toEqual(['a', 'b']);
    }, 20_000);
  });
});
