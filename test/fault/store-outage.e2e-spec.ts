/**
 * The event store goes away while the server runs. PostgreSQL is shared by everyone on this
 * machine, so it is not restarted; instead the server reaches it through a loopback TCP proxy
 * that the test cuts (connections reset), black-holes (nothing passes, nothing closes) and
 * restores, and the server's own backends are terminated (`pg_terminate_backend`) while clients
 * write. SQLite gets a full disk (the server runs with a file-size limit, so writes past it fail
 * with EFBIG; the limit is lifted on the running process) and a data dir it cannot create.
 *
 * Expected: while the store is unreachable or its last write failed /health is 503, REST writes
 * answer 503 STORE_UNAVAILABLE, websocket writes close the socket with 1011 and are never
 * acknowledged or stored; once the store is back the server accepts writes again without a
 * restart, /health is 200 again after a write went through, and nothing acknowledged is missing.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import { PlanDoc } from '@lib/plan-domain';
import { apiClient, ClientPool, eventually, tokenFor } from '../support/clients';
import { createTestDatabase, type TestDatabase } from '../support/postgres-database';
import { startServer, type ServerProcess } from '../support/server-process';
import { startTcpProxy, viaProxy, type TcpProxy } from '../support/tcp-proxy';

const alice = tokenFor('alice');

/** a new plan, and alice editing it over an ack websocket that finished its first sync */
async function openPlan(server: ServerProcess, pool: ClientPool, title: string) {
  const api = apiClient(server.baseUrl, alice);
  const planId = (await api.post<{ id: string }>('/plans', { title })).body.id;
  const client = pool.connect(server.wsUrl, planId, { token: alice, ack: '1' });
  await eventually(() => expect(client.provider.synced).toBe(true));
  return { api, planId, client, plan: new PlanDoc(client.doc) };
}

/**
 * Once the store is back: the client has reconnected by itself and resent what was never
 * acknowledged, and a REST write (task `rest-after`) is accepted.
 */
async function expectWritesAgain(
  { api, planId, client }: Awaited<ReturnType<typeof openPlan>>,
  title: string,
  timeoutMs: number,
): Promise<void> {
  await eventually(
    () => expect(client.provider.synced && client.acks.state().saved).toBe(true),
    timeoutMs,
  );
  const accepted = await api.post(`/plans/${planId}/tasks`, {
    id: 'rest-after',
    title,
    durationDays: 1,
  });
  expect(accepted.status).toBe(201);
}

/** the plan holds exactly these tasks and its hash chain verifies */
async function expectStoredTasks(
  { api, planId }: Awaited<ReturnType<typeof openPlan>>,
  ids: readonly string[],
): Promise<void> {
  const after = await api.get<{ tasks: Array<{ id: string }> }>(`/plans/${planId}`);
  expect(after.body.tasks.map((t) => t.id).sort()).toEqual([...ids].sort());
  expect((await api.get(`/plans/${planId}/verify`)).body).toMatchObject({ ok: true });
}

async function countEvents(databaseUrl: string): Promise<number> {
  const client = new PgClient({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM events');
    return Number(rows[0].n);
  } finally {
    await client.end();
  }
}

/** false once the client's socket was closed (or after the timeout) */
async function closedOrTimeout(client: { closes: unknown[] }, timeoutMs: number): Promise<false> {
  const deadline = Date.now() + timeoutMs;
  while (client.closes.length === 0 && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 20));
  return false;
}

async function health(
  server: ServerProcess,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${server.baseUrl}/health`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('PostgreSQL outages', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let server: ServerProcess;
  const pool = new ClientPool();

  beforeAll(async () => {
    db = await createTestDatabase();
    const target = new URL(db.url);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    server = await startServer({ EVENT_STORE: 'postgres', DATABASE_URL: viaProxy(db.url, proxy) });
  });
  afterAll(async () => {
    pool.destroyAll();
    await server?.dispose();
    await proxy?.close();
    await db?.drop();
  });
  afterEach(() => {
    pool.destroyAll();
    proxy.up();
  });

  it('given the network to PostgreSQL is cut, then health is 503, REST writes get 503 STORE_UNAVAILABLE, websocket writes close with 1011 unacknowledged and unstored; when it is back, writes succeed without a restart', async () => {
    const opened = await openPlan(server, pool, 'Outage');
    const { api, planId, client, plan } = opened;
    plan.addTask({ id: 'before', title: 'before the outage', durationDays: 1 });
    await client.acks.whenSaved();
    const storedBefore = await countEvents(db.url);

    proxy.down();
    await eventually(async () => {
      const h = await health(server);
      expect(h).toMatchObject({
        status: 503,
        body: { error: { eventStore: { status: 'down', reachable: false } } },
      });
    });
    const refused = await api.post<{ code: string; message: string }>(`/plans/${planId}/tasks`, {
      id: 'rest-during',
      title: 'x',
      durationDays: 1,
    });
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({
      statusCode: 503,
      code: 'STORE_UNAVAILABLE',
      message: expect.stringMatching(/postgres event store unavailable/),
    });

    plan.addTask({ id: 'during', title: 'typed during the outage', durationDays: 1 });
    await eventually(() =>
      expect(client.closes).toContainEqual({
        code: 1011,
        reason: expect.stringMatching(/event store unavailable|server error/),
      }),
    );
    expect(client.acks.state().saved).toBe(false);
    expect(await countEvents(db.url)).toBe(storedBefore);

    proxy.up();
    await eventually(async () => expect((await health(server)).status).toBe(200), 15_000);
    // the standard client reconnects by itself and resends what was never acknowledged
    await expectWritesAgain(opened, 'after the outage', 15_000);
    await expectStoredTasks(opened, ['before', 'during', 'rest-after']);
  }, 60_000);

  it("given clients writing, when the server's PostgreSQL backends are terminated again and again, then every 2xx and every ack is stored, the chain verifies, and the server stays up", async () => {
    const opened = await openPlan(server, pool, 'Terminated backends');
    const { api, planId, client, plan } = opened;

    const admin = new PgClient({ connectionString: db.url });
    await admin.connect();
    let running = true;
    let terminated = 0;
    const terminator = (async () => {
      while (running) {
        const { rowCount } = await admin.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
        );
        terminated += rowCount ?? 0;
        await new Promise((r) => setTimeout(r, 150));
      }
    })();
    const ok: string[] = [];
    const statuses = new Map<number, number>();
    const writer = (async () => {
      for (let i = 0; running; i++) {
        const response = await api.post(`/plans/${planId}/tasks`, {
          id: `rest-${i}`,
          title: `REST ${i}`,
          durationDays: 1,
        });
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (response.status === 201) ok.push(`rest-${i}`);
        else expect(response.status).toBe(503);
      }
    })();
    const typed: string[] = [];
    for (let i = 0; i < 60; i++) {
      plan.addTask({ id: `ws-${i}`, title: `typed ${i}`, durationDays: 1 });
      typed.push(`ws-${i}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    running = false;
    await Promise.all([terminator, writer]);
    await admin.end();

    // the storm's last write may have failed, and /health stays 503 until one goes through
    await expectWritesAgain(opened, 'after the storm', 15_000);
    ok.push('rest-after');
    expect(await health(server)).toMatchObject({ status: 200 });
    const stored = new Set(
      (await api.get<{ tasks: Array<{ id: string }> }>(`/plans/${planId}`)).body.tasks.map(
        (t) => t.id,
      ),
    );
    expect(ok.filter((id) => !stored.has(id))).toEqual([]);
    // the client resends whatever was refused, so in the end every typed task is stored
    expect(typed.filter((id) => !stored.has(id))).toEqual([]);
    expect((await api.get(`/plans/${planId}/verify`)).body).toMatchObject({ ok: true });
    console.log(
      `terminated ${terminated} backends; REST statuses ${JSON.stringify(Object.fromEntries(statuses))}; websocket closes ${JSON.stringify(client.closes.map((c) => c.code))}`,
    );
    expect(terminated).toBeGreaterThan(0);
  }, 60_000);
});

describe('PostgreSQL behind a network that stops answering', () => {
  const QUERY_TIMEOUT_MS = 1_000;
  let db: TestDatabase;
  let proxy: TcpProxy;
  let server: ServerProcess;
  const pool = new ClientPool();

  beforeAll(async () => {
    db = await createTestDatabase();
    const target = new URL(db.url);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    server = await startServer({
      EVENT_STORE: 'postgres',
      DATABASE_URL: viaProxy(db.url, proxy),
      DATABASE_QUERY_TIMEOUT_MS: String(QUERY_TIMEOUT_MS),
    });
  });
  afterAll(async () => {
    pool.destroyAll();
    proxy?.up();
    await server?.dispose();
    await proxy?.close();
    await db?.drop();
  });

  it('given the network to PostgreSQL black-holes (no reset), then health answers 503 and REST writes 503 STORE_UNAVAILABLE after about the query timeout instead of hanging, websocket writes close with 1011 unacknowledged and unstored; when packets flow again, writes succeed and health is 200', async () => {
    const opened = await openPlan(server, pool, 'Black hole');
    const { api, planId, client, plan } = opened;
    plan.addTask({ id: 'before', title: 'before the partition', durationDays: 1 });
    await client.acks.whenSaved();
    const storedBefore = await countEvents(db.url);

    proxy.blackHole();
    let started = Date.now();
    const refused = await api.post<{ code: string; message: string }>(`/plans/${planId}/tasks`, {
      id: 'rest-during',
      title: 'x',
      durationDays: 1,
    });
    const restMs = Date.now() - started;
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({
      code: 'STORE_UNAVAILABLE',
      message: expect.stringMatching(/postgres event store unavailable: .*timeout/i),
    });
    started = Date.now();
    expect(await health(server)).toMatchObject({
      status: 503,
      body: { error: { eventStore: { status: 'down' } } },
    });
    const healthMs = Date.now() - started;

    plan.addTask({ id: 'during', title: 'typed during the partition', durationDays: 1 });
    await eventually(
      () =>
        expect(client.closes).toContainEqual({
          code: 1011,
          reason: expect.stringMatching(/event store unavailable|server error/),
        }),
      15_000,
    );
    expect(client.acks.state().saved).toBe(false);
    expect(await countEvents(db.url)).toBe(storedBefore);
    // a query or a new connection through the black hole gives up after the query timeout
    expect(restMs).toBeLessThan(4 * QUERY_TIMEOUT_MS);
    expect(healthMs).toBeLessThan(4 * QUERY_TIMEOUT_MS);

    proxy.up();
    await expectWritesAgain(opened, 'after the partition', 20_000);
    await eventually(async () => expect((await health(server)).status).toBe(200), 15_000);
    await expectStoredTasks(opened, ['before', 'during', 'rest-after']);
    console.log(
      `black hole: REST write refused after ${restMs} ms, /health answered after ${healthMs} ms (DATABASE_QUERY_TIMEOUT_MS=${QUERY_TIMEOUT_MS}); websocket ${JSON.stringify(client.closes)}`,
    );
  }, 90_000);
});

describe('SQLite faults', () => {
  it('given DATA_DIR is a file, when the server starts, then it exits with an error naming the path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sqlite-fault-'));
    const notADir = join(dir, 'data');
    writeFileSync(notADir, 'not a directory');
    try {
      await expect(startServer({ DATA_DIR: notADir })).rejects.toThrow(
        new RegExp(`server exited with 1:[\\s\\S]*(ENOTDIR|EEXIST)[\\s\\S]*${notADir}`),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('given a full disk (file writes past 3 MB fail), when clients write, then writes fail with a clear error and are not acknowledged and /health is 503 naming it; when there is space again, the next write succeeds and /health is 200; after a restart, every acknowledged write is there and the chain verifies', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sqlite-full-'));
    const pool = new ClientPool();
    let server = await startServer(
      { DATA_DIR: dataDir, SNAPSHOT_EVERY_UPDATES: '1000000' },
      undefined,
      {
        // soft limit only, so that it can be lifted on the running process
        commandPrefix: ['prlimit', `--fsize=${3 * 1024 * 1024}:unlimited`],
      },
    );
    try {
      const { api, planId, client, plan } = await openPlan(server, pool, 'Disk full');

      // tasks with 100 kB titles, written straight into the CRDT, until the disk is full
      const acked: string[] = [];
      for (let i = 0; i < 60 && client.closes.length === 0; i++) {
        plan.addTask({ id: `big-${i}`, title: 'x'.repeat(100_000), durationDays: 1 });
        const saved = await Promise.race([
          client.acks.whenSaved().then(() => true),
          closedOrTimeout(client, 10_000),
        ]);
        if (saved) acked.push(`big-${i}`);
      }
      expect(client.closes[0]).toEqual({
        code: 1011,
        reason: expect.stringMatching(/event store unavailable|server error/),
      });
      expect(client.acks.state().saved).toBe(false);
      const lastTried = `big-${acked.length}`;
      client.provider.disconnect();
      const refusal = await api.post(`/plans/${planId}/tasks`, {
        id: 'rest-when-full',
        title: 'REST when full',
        durationDays: 1,
      });
      expect(refusal).toMatchObject({
        status: 503,
        body: {
          code: 'STORE_UNAVAILABLE',
          message: expect.stringMatching(/sqlite event store unavailable: .*(disk|full|I\/O)/i),
        },
      });
      pool.destroyAll();

      // reads still work, so only the failed writes can tell that the store is not healthy
      const whileFull = await health(server);
      expect(whileFull).toMatchObject({
        status: 503,
        body: {
          error: {
            eventStore: {
              status: 'down',
              reachable: true,
              writable: false,
              error: expect.stringMatching(/^last write failed: sqlite event store unavailable/),
              lastWriteFailure: {
                reason: expect.stringMatching(
                  /sqlite event store unavailable: .*(disk|full|I\/O)/i,
                ),
                at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
              },
            },
          },
        },
      });
      // space again, without a restart: the failure stays reported until a write goes through
      execFileSync('prlimit', ['--pid', String(server.pid), '--fsize=unlimited']);
      expect((await health(server)).status).toBe(503);
      const afterSpace = await api.post(`/plans/${planId}/tasks`, {
        id: 'rest-after-space',
        title: 'REST after space',
        durationDays: 1,
      });
      expect(afterSpace.status).toBe(201);
      expect(await health(server)).toMatchObject({
        status: 200,
        body: { info: { eventStore: { status: 'up', reachable: true, writable: true } } },
      });

      await server.stop();
      server = await startServer(
        { DATA_DIR: dataDir, SNAPSHOT_EVERY_UPDATES: '1000000' },
        server.port,
      );
      const after = apiClient(server.baseUrl, alice);
      const stored = new Set(
        (await after.get<{ tasks: Array<{ id: string }> }>(`/plans/${planId}`)).body.tasks.map(
          (t) => t.id,
        ),
      );
      expect(acked.filter((id) => !stored.has(id))).toEqual([]);
      expect(acked.length).toBeGreaterThan(5);
      expect(stored.has(lastTried)).toBe(false);
      expect(stored.has('rest-when-full')).toBe(false);
      expect(stored.has('rest-after-space')).toBe(true);
      expect((await after.get(`/plans/${planId}/verify`)).body).toMatchObject({ ok: true });
      console.log(
        `disk full after ${acked.length} acknowledged 100 kB writes; websocket ${JSON.stringify(client.closes[0])}; REST ${JSON.stringify(refusal.body)}; /health ${JSON.stringify(whileFull.body)}`,
      );
    } finally {
      pool.destroyAll();
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
