/**
 * One port, two websocket endpoints: engine.io (socket.io's `/feed`) destroys any upgrade it
 * does not own that has written nothing within 1 s. A `/collab` handshake whose authorization
 * takes longer than that (the membership check waits on a slow store) must still succeed,
 * while socket.io clients keep connecting on the same port.
 */
import { io, type Socket } from 'socket.io-client';
import { PlanDoc } from '@lib/plan-domain';
import { apiClient, ClientPool, eventually, tokenFor } from '../support/clients';
import { createTestDatabase, type TestDatabase } from '../support/postgres-database';
import { startServer, type ServerProcess } from '../support/server-process';
import { startTcpProxy, viaProxy, type TcpProxy } from '../support/tcp-proxy';

const STALL_MS = 1800;

describe('slow authorization on /collab while socket.io shares the port', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let server: ServerProcess;
  const pool = new ClientPool();
  const sockets: Socket[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    const target = new URL(db.url);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    server = await startServer({ EVENT_STORE: 'postgres', DATABASE_URL: viaProxy(db.url, proxy) });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    pool.destroyAll();
    proxy?.up();
    await server?.dispose();
    await proxy?.close();
    await db?.drop();
  });

  it(`given a token check that takes over 1 s, when a y-websocket client connects, then it is admitted and syncs, and socket.io connects on the same port meanwhile`, async () => {
    const alice = tokenFor('alice');
    const api = apiClient(server.baseUrl, alice);
    const planId = (await api.post<{ id: string }>('/plans', { title: 'Slow auth' })).body.id;
    await api.post(`/plans/${planId}/tasks`, { id: 'seeded', title: 'Seeded', durationDays: 1 });

    // the membership check reads the store first: with the store stalled, authorization waits
    proxy.blackHole();
    const started = Date.now();
    const client = pool.connect(server.wsUrl, planId, { token: alice });
    const feed = io(`${server.baseUrl}/feed`, {
      auth: { token: alice },
      transports: ['websocket'],
      reconnection: false,
    });
    sockets.push(feed);
    const feedConnectedAfterMs = await new Promise<number>((resolve, reject) => {
      feed.on('connect', () => resolve(Date.now() - started));
      feed.on('connect_error', reject);
    });
    await new Promise((r) => setTimeout(r, STALL_MS - (Date.now() - started)));
    expect(client.provider.synced).toBe(false);
    proxy.up();

    await eventually(() => expect(client.provider.synced).toBe(true), 15_000);
    const syncedAfterMs = Date.now() - started;
    expect(syncedAfterMs).toBeGreaterThan(STALL_MS);
    expect(feedConnectedAfterMs).toBeLessThan(STALL_MS);
    // the handshake was never cut: one connection, no close, the plan is there
    expect(client.closes).toEqual([]);
    expect(new PlanDoc(client.doc).toJSON().tasks.map((t) => t.id)).toEqual(['seeded']);
  }, 60_000);
});
