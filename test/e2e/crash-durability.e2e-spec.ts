/**
 * Nothing a client was told is saved may be lost: an `ack=1` client edits, the server is
 * killed with SIGKILL while edits are in flight, and after a restart every acknowledged
 * edit is in the plan, for the SQLite and the PostgreSQL store.
 */
import { PlanDoc } from '@lib/plan-domain';
import { apiClient, ClientPool, eventually, tokenFor } from '../support/clients';
import { createTestDatabase, type TestDatabase } from '../support/postgres-database';
import { startServer, type ServerProcess } from '../support/server-process';

const stores: Array<
  [string, () => Promise<{ env: Record<string, string>; drop(): Promise<void> }>]
> = [
  ['sqlite', async () => ({ env: {}, drop: async () => undefined })],
  [
    'postgres',
    async () => {
      const db: TestDatabase = await createTestDatabase();
      return { env: { EVENT_STORE: 'postgres', DATABASE_URL: db.url }, drop: () => db.drop() };
    },
  ],
];

describe.each(stores)('crash safety with the %s store', (_, makeStore) => {
  const pool = new ClientPool();
  const alice = tokenFor('alice');
  let server: ServerProcess;
  let dropStore: () => Promise<void>;

  beforeAll(async () => {
    const store = await makeStore();
    dropStore = store.drop;
    server = await startServer(store.env);
  });
  afterAll(async () => {
    pool.destroyAll();
    await server.dispose();
    await dropStore();
  });

  it('given acknowledged edits, when the server is killed with SIGKILL mid-edit and restarted, then every acknowledged edit is there', async () => {
    const api = apiClient(server.baseUrl, alice);
    const planId = (await api.post<{ id: string }>('/plans', { title: 'Crash test' })).body.id;
    const client = pool.connect(server.wsUrl, planId, { token: alice, ack: '1' });
    await eventually(() => expect(client.provider.synced).toBe(true));
    const plan = new PlanDoc(client.doc);

    const acknowledged: string[] = [];
    for (let i = 0; i < 40; i++) {
      plan.addTask({ id: `saved-${i}`, title: `saved ${i}`, durationDays: 1 });
      if (i % 10 === 9) {
        await client.acks.whenSaved();
        acknowledged.push(...Array.from({ length: 10 }, (_, k) => `saved-${i - 9 + k}`));
      }
    }
    // edits in flight when the process dies: some may be stored, none was acknowledged
    for (let i = 0; i < 20; i++)
      plan.addTask({ id: `in-flight-${i}`, title: `in flight ${i}`, durationDays: 1 });
    await server.kill();
    pool.destroyAll();

    server = await server.restart();
    const after = await apiClient(server.baseUrl, alice).get<{ tasks: Array<{ id: string }> }>(
      `/plans/${planId}`,
    );
    const ids = new Set(after.body.tasks.map((t) => t.id));
    expect(acknowledged.filter((id) => !ids.has(id))).toEqual([]);
    expect(acknowledged).toHaveLength(40);
    const verify = await apiClient(server.baseUrl, alice).get<{ ok: boolean }>(
      `/plans/${planId}/verify`,
    );
    expect(verify.body.ok).toBe(true);

    // a client reconnecting with the same document converges with the stored plan
    const reconnected = pool.connect(server.wsUrl, planId, { token: alice });
    await eventually(() => expect(reconnected.provider.synced).toBe(true));
    await eventually(() =>
      expect(new PlanDoc(reconnected.doc).toJSON().tasks.length).toBe(ids.size),
    );
  });
});
