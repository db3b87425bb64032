/**
 * Change-feed delivery: 100 dashboard subscribers while 20 editors change one plan (each a
 * REST edit every 100 ms, through the same durable write path as websocket edits), measuring
 * edit-sent → feed-change-received latency. Configurations, in the same run:
 *   single node  — SQLite store, editors and subscribers on one server;
 *   single node  — PostgreSQL store (the multi-node store, for a like-for-like reference);
 *   cross node   — PostgreSQL + Redis, editors on node A, subscribers on node B.
 *
 *   npm run bench:feed [-- --seconds 8 --subscribers 100 --editors 20 --repeat 2]
 *   npm run bench:feed -- --setups sqlite,cross --repeat 1 --profile bench-results/feed-prof
 *
 * `--profile <dir>` profiles every server (cpu-profile-preload.cjs; one .cpuprofile per process,
 * written when it stops, over its whole life: start-up, subscribe and edit phase).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { connectFeed, type FeedClient } from '@lib/feed/client';
import { apiClient } from '../support/clients';
import { createTestDatabase } from '../support/postgres-database';
import { startServer, type ServerProcess } from '../support/server-process';
import { machineLine, printTable, progress, saveRaw, type Row } from './bench-report';
import { cpuTimeUs } from './process-stats';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '8' },
    subscribers: { type: 'string', default: '100' },
    editors: { type: 'string', default: '20' },
    repeat: { type: 'string', default: '2' },
    /** comma-separated: sqlite, postgres, cross */
    setups: { type: 'string', default: 'sqlite,postgres,cross' },
    profile: { type: 'string' },
  },
});
const SETUPS = new Set(args.setups.split(',').map((name) => name.trim()));
for (const name of SETUPS)
  if (!['sqlite', 'postgres', 'cross'].includes(name))
    throw new Error(`--setups: unknown setup "${name}" (sqlite, postgres, cross)`);
const PROFILE_DIR = args.profile === undefined ? undefined : resolve(args.profile);

/**
 * env that makes a server write a V8 CPU profile of its whole life into PROFILE_DIR when it
 * exits (`--cpu-prof` itself is not allowed in NODE_OPTIONS, hence the preload)
 */
function profiled(label: string): Record<string, string> {
  if (!PROFILE_DIR) return {};
  mkdirSync(PROFILE_DIR, { recursive: true });
  return {
    NODE_OPTIONS: `--require ${join(__dirname, 'cpu-profile-preload.cjs')}`,
    BENCH_CPU_PROFILE: join(
      PROFILE_DIR,
      `${label.replace(/[^a-z0-9]+/gi, '-')}-${Date.now()}.cpuprofile`,
    ),
  };
}
const SECONDS = Number(args.seconds);
const SUBSCRIBERS = Number(args.subscribers);
const EDITORS = Number(args.editors);
const REPEAT = Number(args.repeat);
const EDIT_INTERVAL_MS = 100;
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const now = (): number => performance.timeOrigin + performance.now();

interface Setup {
  readonly name: string;
  readonly writeNode: ServerProcess;
  readonly readNode: ServerProcess;
  dispose(): Promise<void>;
}

async function singleNode(
  name: string,
  env: Record<string, string>,
  drop?: () => Promise<void>,
): Promise<Setup> {
  const node = await startServer({ AUTH: 'off', ...env, ...profiled(name) });
  return {
    name,
    writeNode: node,
    readNode: node,
    dispose: async () => (await node.dispose(), await drop?.()),
  };
}

async function setups(): Promise<Array<() => Promise<Setup>>> {
  const all: Array<[string, () => Promise<Setup>]> = [
    ['sqlite', () => singleNode('single node, sqlite', {})],
    [
      'postgres',
      async () => {
        const db = await createTestDatabase();
        return singleNode(
          'single node, postgres',
          { EVENT_STORE: 'postgres', DATABASE_URL: db.url },
          () => db.drop(),
        );
      },
    ],
    [
      'cross',
      async () => {
        const db = await createTestDatabase();
        const env = {
          AUTH: 'off',
          EVENT_STORE: 'postgres',
          DATABASE_URL: db.url,
          REDIS_URL,
          REDIS_PREFIX: `bench-${randomUUID().slice(0, 8)}:`,
        };
        const [a, b] = await Promise.all([
          startServer({ ...env, ...profiled('cross node A') }),
          startServer({ ...env, ...profiled('cross node B') }),
        ]);
        return {
          name: 'cross node (A → B), postgres + redis',
          writeNode: a,
          readNode: b,
          dispose: async () => {
            await Promise.all([a.dispose(), b.dispose()]);
            await db.drop();
          },
        };
      },
    ],
  ];
  return all.filter(([name]) => SETUPS.has(name)).map(([, make]) => make);
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted.length === 0
    ? NaN
    : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function measure(setup: Setup, run: number): Promise<Row> {
  const api = apiClient(setup.writeNode.baseUrl);
  const planId = (await api.post<{ id: string }>('/plans', { title: 'Feed bench' })).body.id;
  for (let e = 0; e < EDITORS; e++)
    await api.post(`/plans/${planId}/tasks`, {
      id: `e${e}`,
      title: `editor ${e}`,
      durationDays: 1,
    });
  const head = (
    (await (await fetch(`${setup.writeNode.baseUrl}/health`)).json()) as {
      info: { eventStore: { headPosition: number } };
    }
  ).info.eventStore.headPosition;

  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let delivered = 0;
  const feeds: FeedClient[] = [];
  let subscribed = 0;
  for (let s = 0; s < SUBSCRIBERS; s++) {
    feeds.push(
      connectFeed(setup.readNode.baseUrl, {
        plans: [planId],
        from: head,
        kinds: ['change'],
        socketOptions: { transports: ['websocket'] },
        onSubscribed: () => (subscribed += 1),
        onChange: (change) => {
          const received = now();
          for (const item of change.changes) {
            const title = (item.payload as { to?: unknown }).to;
            const sent = typeof title === 'string' ? sentAt.get(title) : undefined;
            if (sent !== undefined) {
              latencies.push(received - sent);
              delivered += 1;
            }
          }
        },
      }),
    );
  }
  while (subscribed < SUBSCRIBERS) await new Promise((r) => setTimeout(r, 50));

  const cpuBefore = [setup.writeNode, setup.readNode].map((n) => cpuTimeUs(n.pid));
  const deadline = Date.now() + SECONDS * 1000;
  let edits = 0;
  await Promise.all(
    Array.from({ length: EDITORS }, async (_, e) => {
      for (let seq = 0; Date.now() < deadline; seq++) {
        const title = `editor ${e} edit ${seq}`;
        sentAt.set(title, now());
        const started = Date.now();
        await api.patch(`/plans/${planId}/tasks/e${e}`, { title });
        edits += 1;
        await new Promise((r) =>
          setTimeout(r, Math.max(0, EDIT_INTERVAL_MS - (Date.now() - started))),
        );
      }
    }),
  );
  const expected = edits * SUBSCRIBERS;
  const settleUntil = Date.now() + 10_000;
  while (delivered < expected && Date.now() < settleUntil)
    await new Promise((r) => setTimeout(r, 50));
  const cpuUs = [setup.writeNode, setup.readNode].map((n, i) => cpuTimeUs(n.pid) - cpuBefore[i]);
  for (const feed of feeds) feed.close();

  latencies.sort((a, b) => a - b);
  const serverCpuUs = setup.writeNode === setup.readNode ? cpuUs[0] : cpuUs[0] + cpuUs[1];
  return {
    run,
    setup: setup.name,
    subscribers: SUBSCRIBERS,
    editors: EDITORS,
    edits,
    'delivered / expected': `${delivered} / ${expected}`,
    'p50 ms': percentile(latencies, 50).toFixed(1),
    'p95 ms': percentile(latencies, 95).toFixed(1),
    'p99 ms': percentile(latencies, 99).toFixed(1),
    'max ms': (latencies[latencies.length - 1] ?? NaN).toFixed(1),
    'server CPU µs / delivered': (serverCpuUs / Math.max(1, delivered)).toFixed(1),
  };
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  for (let run = 1; run <= REPEAT; run++) {
    for (const make of await setups()) {
      const setup = await make();
      try {
        progress(
          `run ${run}/${REPEAT}: ${setup.name}, ${SUBSCRIBERS} subscribers, ${EDITORS} editors, ${SECONDS} s`,
        );
        rows.push(await measure(setup, run));
      } finally {
        await setup.dispose();
      }
    }
  }
  const reference = new Map(
    rows
      .filter((r) => r.setup === 'single node, postgres')
      .map((r) => [r.run, Number(r['p50 ms'])]),
  );
  for (const row of rows) {
    // without the PostgreSQL setup in the run there is nothing to compare with
    const postgresP50 = reference.get(Number(row.run));
    row['p50 / single-node postgres p50'] =
      postgresP50 === undefined ? '—' : (Number(row['p50 ms']) / postgresP50).toFixed(2);
  }
  printTable(`Feed delivery latency, edit sent → change received (${machineLine()})`, rows);
  process.stderr.write(`raw results: ${saveRaw('feed', rows)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
