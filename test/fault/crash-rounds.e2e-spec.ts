/**
 * Crash rounds: several clients edit one plan — y-websocket clients with durable acks and a
 * REST client — while the server process is killed with SIGKILL at a random moment, then
 * restarted on the same data. The kill comes at a random moment once the round has had at
 * least MIN_ACKED_PER_ROUND edits acknowledged (a round that acknowledged nothing proves
 * nothing). After every round:
 *   - every websocket edit that was acknowledged, and every REST command that returned 2xx,
 *     is in the stored plan, before any client has reconnected (so nothing was resent);
 *   - the hash chain verifies;
 *   - once the clients reconnect, all of them converge on the stored plan, which then also
 *     holds every edit any client ever made (acknowledged or not: the clients resend).
 * After the last round the read models (timeline, risks, summary, history) must equal a fresh
 * rebuild from the log (`cli rebuild all`), i.e. no crash left a projection half-applied.
 *
 * `npm test` runs 20 short rounds per store; `npm run test:soak` runs SOAK_ROUNDS (100).
 * The seed is printed; FAULT_SEED=<seed> replays the same choices.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PlanDoc, type PlanJson } from '@lib/plan-domain';
import { apiClient, ClientPool, eventually, tokenFor, type Client } from '../support/clients';
import { createTestDatabase } from '../support/postgres-database';
import { seededRandom, type SeededRandom } from '../support/seeded-random';
import { startServer, type ServerProcess } from '../support/server-process';

const ROUNDS = Number(process.env.SOAK_ROUNDS ?? 20);
/** acknowledged edits (websocket acks + 2xx REST answers) each round must reach before the kill */
const MIN_ACKED_PER_ROUND = 10;
const SEED = seededRandom().seed;

interface StoreUnderTest {
  readonly env: Record<string, string>;
  drop(): Promise<void>;
}

const stores: Array<[string, () => Promise<StoreUnderTest>]> = [
  ['sqlite', async () => ({ env: {}, drop: async () => undefined })],
  [
    'postgres',
    async () => {
      const db = await createTestDatabase();
      return { env: { EVENT_STORE: 'postgres', DATABASE_URL: db.url }, drop: () => db.drop() };
    },
  ],
];

/** one websocket client's edits: new tasks, and a rising cost on tasks it created */
interface WsEditor {
  readonly name: string;
  readonly client: Client;
  /** every edit made, acknowledged or not: task id → the last cost this client set */
  readonly made: Map<string, number>;
  /** edits the server acknowledged as durable: task id → highest acknowledged cost */
  readonly acked: Map<string, number>;
  /** how many edits were acknowledged, over all rounds */
  ackCount: number;
  /** edits sent on a socket, waiting for their ack: the socket and its update count at the time */
  pending: Array<{ taskId: string; cost: number; socket: unknown; seq: number }>;
}

/** what REST calls that returned 2xx promise */
interface RestLedger {
  readonly created: Set<string>;
  readonly deleted: Set<string>;
  /** ids a DELETE was sent for (answered or not) */
  readonly maybeDeleted: Set<string>;
  /** task id → highest cost a 2xx PATCH set */
  readonly cost: Map<string, number>;
  calls: number;
  failed: number;
  /** calls answered 2xx, over all rounds */
  answered: number;
}

function trackEditor(name: string, client: Client): WsEditor {
  const editor: WsEditor = {
    name,
    client,
    made: new Map(),
    acked: new Map(),
    ackCount: 0,
    pending: [],
  };
  client.acks.onChange(({ acked }) => {
    const socket = client.provider.ws;
    editor.pending = editor.pending.filter((p) => {
      if (p.socket !== socket || p.seq > acked) return p.socket === socket;
      editor.acked.set(p.taskId, Math.max(editor.acked.get(p.taskId) ?? -1, p.cost));
      editor.ackCount += 1;
      return false;
    });
  });
  return editor;
}

function edit(editor: WsEditor, rng: SeededRandom, round: number, n: number): void {
  const plan = new PlanDoc(editor.client.doc);
  const own = [...editor.made.keys()];
  let taskId: string;
  let cost: number;
  if (own.length > 0 && rng.next() < 0.4) {
    taskId = rng.pick(own);
    cost = editor.made.get(taskId)! + 1;
    plan.updateTask(taskId, { cost });
  } else {
    taskId = `${editor.name}-r${round}-${n}`;
    cost = 0;
    plan.addTask({
      id: taskId,
      title: `${editor.name} round ${round} #${n}`,
      durationDays: 1 + (n % 5),
      cost,
    });
  }
  editor.made.set(taskId, cost);
  const { provider, acks } = editor.client;
  // only an update sent on an open socket can be acknowledged on it; the others are resent
  // (as sync step 2) after the next connect and checked at convergence
  if (provider.wsconnected && provider.ws?.readyState === 1) {
    editor.pending.push({ taskId, cost, socket: provider.ws, seq: acks.state().sent });
  }
}

async function editLoop(
  editor: WsEditor,
  rng: SeededRandom,
  round: number,
  running: () => boolean,
): Promise<number> {
  let n = 0;
  while (running()) {
    await new Promise((r) => setTimeout(r, rng.int(5, 25)));
    if (!running()) break;
    edit(editor, rng, round, n++);
  }
  return n;
}

async function restLoop(
  baseUrl: string,
  token: string,
  ledger: RestLedger,
  rng: SeededRandom,
  round: number,
  running: () => boolean,
  loop: number,
): Promise<void> {
  const api = apiClient(baseUrl, token);
  // each loop edits only the tasks it created, so its PATCHes of one task are answered in order
  const own = `rest-r${round}-l${loop}-`;
  let n = 0;
  while (running()) {
    const live = [...ledger.created].filter(
      (id) => id.startsWith(own) && !ledger.maybeDeleted.has(id),
    );
    const roll = rng.next();
    ledger.calls += 1;
    try {
      if (live.length === 0 || roll < 0.5) {
        const id = `${own}${n++}`;
        const response = await api.post(`/plans/${planIdOf(baseUrl)}/tasks`, {
          id,
          title: `REST ${id}`,
          durationDays: 2,
          cost: 0,
        });
        if (response.status === 201) ledger.created.add(id);
        if (response.status < 300) ledger.answered += 1;
      } else if (roll < 0.85) {
        const id = rng.pick(live);
        const cost = (ledger.cost.get(id) ?? 0) + 1;
        const response = await api.patch(`/plans/${planIdOf(baseUrl)}/tasks/${id}`, { cost });
        // a PATCH without an answer may still be stored; the next one sets the same cost, so
        // "stored cost ≥ last acknowledged cost" holds either way
        if (response.status === 200) ledger.cost.set(id, cost);
        if (response.status < 300) ledger.answered += 1;
      } else {
        const id = rng.pick(live);
        // without an answer the delete may or may not be stored: the task is no longer promised
        ledger.maybeDeleted.add(id);
        const response = await api.delete(`/plans/${planIdOf(baseUrl)}/tasks/${id}`);
        if (response.status === 200) ledger.deleted.add(id);
        if (response.status < 300) ledger.answered += 1;
      }
    } catch {
      // the server died mid-request: no answer, no promise
      ledger.failed += 1;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

// the REST loop needs the plan id; one plan per server, registered when it is created
const planIds = new Map<string, string>();
const planIdOf = (baseUrl: string): string => planIds.get(baseUrl)!;

const CLI = join(__dirname, '..', '..', 'dist', 'apps', 'cli', 'src', 'main.js');
const READ_MODEL_ROUTES = ['timeline', 'risks', 'summary', 'history'];

/**
 * waits until every projector has reached the plan's newest event, then reads each read-model
 * route (the store's head can be further on: audited reads append to the plan's access log,
 * which no projector follows)
 */
async function readModels(
  server: ServerProcess,
  token: string,
  planId: string,
): Promise<Record<string, unknown>> {
  const api = apiClient(server.baseUrl, token);
  const plan = await api.get<{ position: number }>(`/plans/${planId}`);
  expect(plan.status).toBe(200);
  await eventually(async () => {
    const health = (await (await fetch(`${server.baseUrl}/health`)).json()) as {
      info: { projections?: { projectors: Array<{ position: number }> } };
    };
    const projectors = health.info.projections?.projectors ?? [];
    expect(projectors.length).toBeGreaterThan(0);
    for (const projector of projectors) expect(projector.position).toBe(plan.body.position);
  }, 30_000);
  const views: Record<string, unknown> = {};
  for (const route of READ_MODEL_ROUTES) {
    const response = await api.get(`/plans/${planId}/${route}`);
    expect({ route, status: response.status }).toEqual({ route, status: 200 });
    views[route] = response.body;
  }
  return views;
}

async function rebuildReadModels(server: ServerProcess): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [CLI, 'rebuild', 'all'], {
    env: { PATH: process.env.PATH ?? '', ...server.env },
    timeout: 120_000,
  });
  return stdout;
}

/** the plan's content, without where and when in the log it was read */
function contentOf(plan: Record<string, unknown>): Record<string, unknown> {
  const { id: _id, version: _version, position: _position, at: _at, ...rest } = plan;
  return rest;
}

describe('crash rounds: SIGKILL at random moments while websocket and REST clients edit', () => {
  it.concurrent.each(stores)(
    `given the %s store, when the server is killed and restarted ${ROUNDS} times mid-edit, then nothing acknowledged is lost, chains verify, clients converge and read models equal a rebuild`,
    async (storeName, makeStore) => {
      const rng = seededRandom(SEED + (storeName === 'sqlite' ? 0 : 1));
      const store = await makeStore();
      const dataDir = mkdtempSync(join(tmpdir(), `crash-rounds-${storeName}-`));
      const pool = new ClientPool();
      const alice = tokenFor('alice');
      const bob = tokenFor('bob');
      let server: ServerProcess = await startServer({ ...store.env, DATA_DIR: dataDir });
      const stats = {
        wsEdits: 0,
        wsAcked: 0,
        restOk: 0,
        restCalls: 0,
        lost: 0,
        fewestAcked: Infinity,
      };
      try {
        const owner = apiClient(server.baseUrl, alice);
        const planId = (
          await owner.post<{ id: string }>('/plans', { title: `Crash rounds (${storeName})` })
        ).body.id;
        planIds.set(server.baseUrl, planId);
        expect(
          (await owner.post(`/plans/${planId}/members`, { userId: 'bob', role: 'editor' })).status,
        ).toBe(201);

        const editors = [
          trackEditor('alice1', pool.connect(server.wsUrl, planId, { token: alice, ack: '1' })),
          trackEditor('bob', pool.connect(server.wsUrl, planId, { token: bob, ack: '1' })),
          trackEditor('alice2', pool.connect(server.wsUrl, planId, { token: alice, ack: '1' })),
        ];
        const rest: RestLedger = {
          created: new Set(),
          deleted: new Set(),
          maybeDeleted: new Set(),
          cost: new Map(),
          calls: 0,
          failed: 0,
          answered: 0,
        };
        const acknowledged = () => editors.reduce((sum, e) => sum + e.ackCount, 0) + rest.answered;
        await eventually(() => expect(editors.every((e) => e.client.provider.synced)).toBe(true));

        for (let round = 1; round <= ROUNDS; round++) {
          let running = true;
          const isRunning = () => running;
          const loops = [
            ...editors.map((e) => editLoop(e, rng, round, isRunning)),
            // several at once: commands that arrive while one is being stored are stored
            // together, and a kill can land in the middle of such a group
            ...[0, 1, 2].map((loop) =>
              restLoop(server.baseUrl, bob, rest, rng, round, isRunning, loop),
            ),
          ];
          const before = acknowledged();
          await new Promise((r) => setTimeout(r, rng.int(200, 600)));
          // a round that acknowledged nothing would prove nothing about losing acknowledged edits
          await eventually(
            () =>
              expect({
                round,
                acknowledged: acknowledged() - before >= MIN_ACKED_PER_ROUND,
              }).toEqual({
                round,
                acknowledged: true,
              }),
            15_000,
          );
          stats.fewestAcked = Math.min(stats.fewestAcked, acknowledged() - before);
          await server.kill();
          running = false;
          for (const e of editors) e.client.provider.disconnect();
          await Promise.all(loops);

          server = await server.restart();
          const api = apiClient(server.baseUrl, alice);

          // before any client reconnects: what was acknowledged is there, nothing was resent
          const stored = await api.get<PlanJson & { version: number }>(`/plans/${planId}`);
          expect(stored.status).toBe(200);
          const tasks = new Map(stored.body.tasks.map((t) => [t.id, t]));
          const missing: string[] = [];
          for (const e of editors) {
            for (const [taskId, cost] of e.acked) {
              const task = tasks.get(taskId);
              if (!task || (task.cost ?? -1) < cost)
                missing.push(`${e.name}: ${taskId} cost ≥ ${cost} (got ${task?.cost})`);
            }
          }
          for (const id of rest.created) {
            if (!rest.maybeDeleted.has(id) && !tasks.has(id)) missing.push(`REST-created ${id}`);
          }
          for (const id of rest.deleted)
            if (tasks.has(id)) missing.push(`REST-deleted ${id} is back`);
          for (const [id, cost] of rest.cost) {
            if (!rest.maybeDeleted.has(id) && (tasks.get(id)?.cost ?? -1) < cost)
              missing.push(`REST cost ${id} ≥ ${cost}`);
          }
          stats.lost += missing.length;
          expect({ round, seed: SEED, missing }).toEqual({ round, seed: SEED, missing: [] });
          const verify = await api.get<{ ok: boolean }>(`/plans/${planId}/verify`);
          expect({ round, verify: verify.body }).toMatchObject({ round, verify: { ok: true } });

          // reconnect: every client converges on the stored plan, which now holds every edit
          for (const e of editors) e.client.provider.connect();
          await eventually(async () => {
            expect(editors.every((e) => e.client.provider.synced)).toBe(true);
            const now = await api.get<Record<string, unknown>>(`/plans/${planId}`);
            const expected = contentOf(now.body);
            for (const e of editors) expect(new PlanDoc(e.client.doc).toJSON()).toEqual(expected);
          }, 20_000);
          const converged = new Map(
            new PlanDoc(editors[0].client.doc).toJSON().tasks.map((t) => [t.id, t]),
          );
          for (const e of editors) {
            for (const [taskId, cost] of e.made)
              expect({ round, taskId, cost: converged.get(taskId)?.cost }).toEqual({
                round,
                taskId,
                cost,
              });
          }
        }

        // read models after all those crashes equal a rebuild from the log
        const projected = await readModels(server, alice, planId);
        await server.stop();
        const rebuilt = await rebuildReadModels(server);
        server = await server.restart();
        expect(await readModels(server, alice, planId)).toEqual(projected);

        stats.wsEdits = editors.reduce((sum, e) => sum + e.made.size, 0);
        stats.wsAcked = editors.reduce((sum, e) => sum + e.acked.size, 0);
        stats.restCalls = rest.calls;
        stats.restOk = rest.created.size + rest.deleted.size + rest.cost.size;
        const events = await apiClient(server.baseUrl, alice).get<{
          events: unknown[];
          nextFromVersion: number | null;
        }>(`/plans/${planId}/events?binary=none&limit=1`);
        expect(events.status).toBe(200);
        console.log(
          `crash-rounds ${storeName}: seed=${SEED} rounds=${ROUNDS} ws tasks=${stats.wsEdits} (acked ${stats.wsAcked}) ` +
            `REST calls=${stats.restCalls} (2xx-tracked ${stats.restOk}, no answer ${rest.failed}) lost=${stats.lost} fewest acked in a round=${stats.fewestAcked}; ` +
            `read models equal a rebuild (${rebuilt.trim().split('\n').length} read models replayed)`,
        );
      } finally {
        pool.destroyAll();
        await server.stop();
        await store.drop();
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
    Math.max(600_000, ROUNDS * 30_000),
  );
});
