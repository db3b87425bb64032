/**
 * The repo's load-balancer config for real: Debian's nginx (installed by .ci/run) runs
 * docker/nginx.conf, templated for loopback ports, in front of two nodes sharing PostgreSQL
 * and Redis. Through it: REST, the y-websocket upgrade on /collab, the socket.io feed (its
 * websocket upgrade) and the server-sent events feed, which must not wait in nginx's buffer.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FeedChange } from '@lib/feed';
import { connectFeed, type FeedClient } from '@lib/feed/client';
import { PlanDoc } from '@lib/plan-domain';
import { apiClient, ClientPool, eventually, tokenFor } from '../support/clients';
import { readEventStream, type EventStreamReader } from '../support/event-stream';
import { createTestDatabase, type TestDatabase } from '../support/postgres-database';
import { freePort, startServer, type ServerProcess } from '../support/server-process';

const ROOT = join(__dirname, '..', '..');
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));

/** docker/nginx.conf with the compose host names and port 80 replaced by loopback ports */
function loopbackNginxConfig(source: string, listenPort: number, nodePorts: number[]): string {
  const templated = source
    .replace('server node-a:3000', `server 127.0.0.1:${nodePorts[0]}`)
    .replace('server node-b:3000', `server 127.0.0.1:${nodePorts[1]}`)
    .replace(/listen 80;/, `listen 127.0.0.1:${listenPort};`);
  for (const needed of [`127.0.0.1:${nodePorts[0]}`, `127.0.0.1:${nodePorts[1]}`, `${listenPort};`])
    if (!templated.includes(needed))
      throw new Error(`docker/nginx.conf changed shape: could not template ${needed}`);
  return templated;
}

describe('nginx in front of two nodes (docker/nginx.conf)', () => {
  const alice = tokenFor('alice');
  const pool = new ClientPool();
  let database: TestDatabase;
  let nodes: ServerProcess[] = [];
  let nginx: ChildProcess | undefined;
  let nginxOutput = '';
  let dir: string;
  let baseUrl: string;
  const feeds: FeedClient[] = [];
  const streams: EventStreamReader[] = [];

  beforeAll(async () => {
    if (!NGINX)
      throw new Error('nginx is not installed: apt-get install -y nginx (.ci/run installs it)');
    database = await createTestDatabase();
    const env = {
      EVENT_STORE: 'postgres',
      DATABASE_URL: database.url,
      REDIS_URL,
      REDIS_PREFIX: `nginx-${randomUUID().slice(0, 8)}:`,
    };
    nodes = [await startServer(env), await startServer(env)];
    dir = mkdtempSync(join(tmpdir(), 'nginx-lb-'));
    const port = await freePort();
    writeFileSync(
      join(dir, 'nginx.conf'),
      loopbackNginxConfig(
        readFileSync(join(ROOT, 'docker', 'nginx.conf'), 'utf8'),
        port,
        nodes.map((n) => n.port),
      ),
    );
    // -p: temp files and logs under the test's directory, nothing in /var/lib/nginx
    nginx = spawn(
      NGINX,
      [
        '-p',
        dir,
        '-c',
        join(dir, 'nginx.conf'),
        '-g',
        `daemon off; pid ${dir}/nginx.pid; error_log ${dir}/error.log warn;`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    nginx.stdout?.on('data', (c: Buffer) => (nginxOutput += c.toString()));
    nginx.stderr?.on('data', (c: Buffer) => (nginxOutput += c.toString()));
    baseUrl = `http://127.0.0.1:${port}`;
    await eventually(async () => {
      expect(nginx?.exitCode).toBeNull();
      expect((await fetch(`${baseUrl}/health`)).status).toBe(200);
    }, 15_000).catch((error: unknown) => {
      throw new Error(`nginx did not come up: ${String(error)}\n${nginxOutput}`);
    });
  }, 120_000);

  afterAll(async () => {
    for (const feed of feeds) feed.close();
    for (const stream of streams) stream.close();
    pool.destroyAll();
    if (nginx && nginx.exitCode === null) {
      const exited = new Promise((r) => nginx!.once('exit', r));
      nginx.kill('SIGQUIT');
      await exited;
    }
    for (const node of nodes) await node.dispose();
    await database?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('given a plan created through nginx, when a y-websocket client edits through it, then socket.io and SSE dashboards behind it see the change, and both nodes serve it', async () => {
    const api = apiClient(baseUrl, alice);
    const created = await api.post<{ id: string }>('/plans', { title: 'Behind nginx' });
    expect(created.status).toBe(201);
    const planId = created.body.id;

    const overSocket: FeedChange[] = [];
    let subscribed = false;
    feeds.push(
      connectFeed(baseUrl, {
        token: alice,
        plans: [planId],
        socketOptions: { transports: ['websocket'] },
        onSubscribed: (ack) => (subscribed = ack.ok),
        onChange: (change) => overSocket.push(change),
      }),
    );
    const stream = readEventStream(`${baseUrl}/feed/events?plans=${planId}`, {
      authorization: `Bearer ${alice}`,
    });
    streams.push(stream);
    expect(await stream.status).toBe(200);
    await eventually(() => expect(subscribed).toBe(true), 15_000);

    const editor = pool.connect(`ws://${new URL(baseUrl).host}/collab`, planId, {
      token: alice,
      ack: '1',
    });
    await eventually(() => expect(editor.provider.synced).toBe(true), 15_000);
    new PlanDoc(editor.doc).addTask({
      id: 'via-nginx',
      title: 'Through the proxy',
      durationDays: 2,
    });
    await editor.acks.whenSaved();

    const added = (changes: FeedChange[]) =>
      changes.some((c) =>
        c.changes.some((x) => x.changeType === 'TaskAdded' && x.entity.id === 'via-nginx'),
      );
    await eventually(() => expect(added(overSocket)).toBe(true), 15_000);
    await eventually(
      () =>
        expect(
          added(
            stream.events
              .filter((e) => e.event === 'change')
              .map((e) => JSON.parse(e.data) as FeedChange),
          ),
        ).toBe(true),
      15_000,
    );
    for (const node of nodes) {
      const plan = await apiClient(node.baseUrl, alice).get<{ tasks: Array<{ id: string }> }>(
        `/plans/${planId}`,
      );
      expect(plan.body.tasks.map((t) => t.id)).toEqual(['via-nginx']);
    }
    expect(nginx?.exitCode).toBeNull();
  }, 90_000);
});
