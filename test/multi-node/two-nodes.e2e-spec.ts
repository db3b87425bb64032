/**
 * Two server processes sharing PostgreSQL and Redis: clients on either node edit one plan
 * and converge, also when Redis drops the nodes' subscriber connections mid-edit.
 */
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { PlanDoc } from '@lib/plan-domain';
import { apiClient, ClientPool, eventually, tokenFor } from '../support/clients';
import { createTestDatabase, type TestDatabase } from '../support/postgres-database';
import { startServer, type ServerProcess } from '../support/server-process';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('two nodes behind one plan', () => {
  const pool = new ClientPool();
  const alice = tokenFor('alice');
  const prefix = `test-${randomUUID().slice(0, 8)}:`;
  let database: TestDatabase;
  let nodeA: ServerProcess;
  let nodeB: ServerProcess;
  let redis: Redis;

  beforeAll(async () => {
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    await redis.ping();
    database = await createTestDatabase();
    const env = {
      EVENT_STORE: 'postgres',
      DATABASE_URL: database.url,
      REDIS_URL,
      REDIS_PREFIX: prefix,
    };
    [nodeA, nodeB] = await Promise.all([startServer(env), startServer(env)]);
  });
  afterAll(async () => {
    pool.destroyAll();
    await Promise.all([nodeA?.dispose(), nodeB?.dispose()]);
    await database?.drop();
    redis?.disconnect();
  });
  afterEach(() => pool.destroyAll());

  async function createPlan(): Promise<string> {
    const created = await apiClient(nodeA.baseUrl, alice).post<{ id: string }>('/plans', {
      title: 'Shared plan',
    });
    expect(created.status).toBe(201);
    return created.body.id;
  }

  it('given clients on node A and node B, when they edit concurrently, then both converge and awareness crosses nodes', async () => {
    const planId = await createPlan();
    const a = pool.connect(nodeA.wsUrl, planId, { token: alice });
    const b = pool.connect(nodeB.wsUrl, planId, { token: alice });
    await eventually(() => expect(a.provider.synced && b.provider.synced).toBe(true));

    for (let i = 0; i < 20; i++) {
      new PlanDoc(a.doc).addTask({ id: `a${i}`, title: `from A ${i}`, durationDays: 1 });
      new PlanDoc(b.doc).addTask({ id: `b${i}`, title: `from B ${i}`, durationDays: 2 });
    }
    b.provider.awareness.setLocalStateField('user', { name: 'on node B' });

    await eventually(() => {
      expect(new PlanDoc(a.doc).toJSON().tasks).toHaveLength(40);
      expect(new PlanDoc(b.doc).toJSON().tasks).toHaveLength(40);
    });
    expect(new PlanDoc(a.doc).toJSON()).toEqual(new PlanDoc(b.doc).toJSON());
    await eventually(() =>
      expect(a.provider.awareness.getStates().get(b.doc.clientID)).toEqual({
        user: { name: 'on node B' },
      }),
    );
  });

  it("given Redis drops both nodes' subscriber connections while A edits, when they reconnect, then B has every update", async () => {
    const planId = await createPlan();
    const a = pool.connect(nodeA.wsUrl, planId, { token: alice, ack: '1' });
    const b = pool.connect(nodeB.wsUrl, planId, { token: alice });
    await eventually(() => expect(a.provider.synced && b.provider.synced).toBe(true));

    for (let round = 0; round < 10; round++) {
      const clients = (await redis.call('CLIENT', 'LIST', 'TYPE', 'pubsub')) as string;
      const ids = clients
        .split('\n')
        .filter((line) => line.includes(`name=${prefix}bus-sub`))
        .map((line) => /id=(\d+)/.exec(line)?.[1])
        .filter((id): id is string => id !== undefined);
      for (const id of ids) await redis.call('CLIENT', 'KILL', 'ID', id);
      for (let k = 0; k < 5; k++)
        new PlanDoc(a.doc).addTask({
          id: `r${round}-${k}`,
          title: `round ${round}`,
          durationDays: 1,
        });
      await new Promise((r) => setTimeout(r, 30));
    }
    await a.acks.whenSaved();

    await eventually(() => expect(new PlanDoc(b.doc).toJSON().tasks).toHaveLength(50), 15_000);
    expect(new PlanDoc(b.doc).toJSON()).toEqual(new PlanDoc(a.doc).toJSON());
  });
});
