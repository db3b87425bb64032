/**
 * Who may do what, as one table: every role (owner, editor, viewer, auditor, a signed-in
 * non-member, no token) against every plan route and the websocket write, each with the exact
 * status expected. The table is the spec; the test prints what it saw next to it.
 *
 *   read   (GET plan, items, members, export; own calendar feed) owner editor viewer auditor → 2xx
 *   edit   (POST/PATCH/DELETE items)         owner editor                → 2xx
 *   audit  (state, events, verify)           owner editor auditor        → 2xx
 *   manage (POST/DELETE members)             owner                       → 2xx
 *   anyone else with a token → 403; no token → 401; an unknown plan → 404 (401 without a token)
 */
import WebSocket from 'ws';
import { PlanDoc } from '@lib/plan-domain';
import { apiClient, ClientPool, eventually, tokenFor } from '../support/clients';
import { startServer, type ServerProcess } from '../support/server-process';

const ROLES = ['owner', 'editor', 'viewer', 'auditor', 'non-member', 'no-token'] as const;
type Caller = (typeof ROLES)[number];
type Need = 'read' | 'edit' | 'audit' | 'manage';

const USER: Record<Exclude<Caller, 'no-token'>, string> = {
  owner: 'olivia',
  editor: 'eddie',
  viewer: 'vera',
  auditor: 'audrey',
  'non-member': 'mallory',
};
const ALLOWED: Record<Need, readonly Caller[]> = {
  read: ['owner', 'editor', 'viewer', 'auditor'],
  edit: ['owner', 'editor'],
  audit: ['owner', 'editor', 'auditor'],
  manage: ['owner'],
};

const COLLECTIONS = {
  phases: { create: { title: 'Phase' }, patch: { title: 'Phase 2' } },
  tasks: { create: { title: 'Task', durationDays: 2 }, patch: { durationDays: 3 } },
  milestones: { create: { title: 'Milestone' }, patch: { title: 'Milestone 2' } },
  risks: { create: { title: 'Risk', probability: 2, impact: 3 }, patch: { impact: 4 } },
  resources: { create: { name: 'Crane', kind: 'equipment' }, patch: { name: 'Crane 2' } },
  stakeholders: { create: { name: 'CFO', influence: 4, interest: 3 }, patch: { interest: 5 } },
  objectives: { create: { title: 'Adoption', target: 80 }, patch: { target: 90 } },
} as const;
type Collection = keyof typeof COLLECTIONS;

interface Route {
  readonly name: string;
  readonly need: Need;
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** the path for this caller (items are made per caller, so a DELETE has something to delete) */
  readonly path: (caller: Caller) => string;
  readonly body?: (caller: Caller) => unknown;
  readonly success: 200 | 201;
}

const slug = (caller: Caller) => caller.replace('-', '');

function routes(planId: string): Route[] {
  const p = `/plans/${planId}`;
  const list: Route[] = [
    { name: 'GET /plans/:id', need: 'read', method: 'GET', path: () => p, success: 200 },
    {
      name: 'GET /plans/:id/problems',
      need: 'read',
      method: 'GET',
      path: () => `${p}/problems`,
      success: 200,
    },
    {
      name: 'GET /plans/:id/members',
      need: 'read',
      method: 'GET',
      path: () => `${p}/members`,
      success: 200,
    },
    {
      name: 'POST /plans/:id/members',
      need: 'manage',
      method: 'POST',
      path: () => `${p}/members`,
      body: (c) => ({ userId: `guest-${slug(c)}`, role: 'viewer' }),
      success: 201,
    },
    {
      name: 'DELETE /plans/:id/members/:userId',
      need: 'manage',
      method: 'DELETE',
      path: (c) => `${p}/members/leaver-${slug(c)}`,
      success: 200,
    },
    {
      name: 'GET /plans/:id/state?version=0',
      need: 'audit',
      method: 'GET',
      path: () => `${p}/state?version=0`,
      success: 200,
    },
    {
      name: 'GET /plans/:id/events',
      need: 'audit',
      method: 'GET',
      path: () => `${p}/events?binary=none`,
      success: 200,
    },
    {
      name: 'GET /plans/:id/verify',
      need: 'audit',
      method: 'GET',
      path: () => `${p}/verify`,
      success: 200,
    },
    {
      name: 'PATCH /plans/:id',
      need: 'edit',
      method: 'PATCH',
      path: () => p,
      body: () => ({ statusDate: '2027-03-05' }),
      success: 200,
    },
    {
      name: 'POST /plans/:id/leveling/preview',
      need: 'read',
      method: 'POST',
      path: () => `${p}/leveling/preview`,
      success: 200,
    },
    {
      name: 'POST /plans/:id/leveling/apply',
      need: 'edit',
      method: 'POST',
      path: () => `${p}/leveling/apply`,
      success: 200,
    },
    {
      name: 'POST /plans/:id/tasks/:taskId/actual-costs',
      need: 'edit',
      method: 'POST',
      path: (c) => `${p}/tasks/tasks-keep-${slug(c)}/actual-costs`,
      body: () => ({ amount: 100, date: '2027-03-02' }),
      success: 201,
    },
    {
      name: 'GET /plans/:id/tasks/:taskId/actual-costs',
      need: 'read',
      method: 'GET',
      path: (c) => `${p}/tasks/tasks-keep-${slug(c)}/actual-costs`,
      success: 200,
    },
    {
      name: 'GET /plans/:id/export?format=json',
      need: 'read',
      method: 'GET',
      path: () => `${p}/export?format=json`,
      success: 200,
    },
    {
      name: 'POST /plans/:id/calendar-feed',
      need: 'read',
      method: 'POST',
      path: () => `${p}/calendar-feed`,
      success: 201,
    },
    {
      name: 'DELETE /plans/:id/calendar-feed',
      need: 'read',
      method: 'DELETE',
      path: () => `${p}/calendar-feed`,
      success: 200,
    },
  ];
  for (const [collection, bodies] of Object.entries(COLLECTIONS) as Array<
    [Collection, (typeof COLLECTIONS)[Collection]]
  >) {
    // GET /plans/:id/risks is the risk register read model, not the item list
    if (collection !== 'risks')
      list.push({
        name: `GET /plans/:id/${collection}`,
        need: 'read',
        method: 'GET',
        path: () => `${p}/${collection}`,
        success: 200,
      });
    list.push(
      {
        name: `GET /plans/:id/${collection}/:itemId`,
        need: 'read',
        method: 'GET',
        path: (c) => `${p}/${collection}/${collection}-keep-${slug(c)}`,
        success: 200,
      },
      {
        name: `POST /plans/:id/${collection}`,
        need: 'edit',
        method: 'POST',
        path: () => `${p}/${collection}`,
        body: () => bodies.create,
        success: 201,
      },
      {
        name: `PATCH /plans/:id/${collection}/:itemId`,
        need: 'edit',
        method: 'PATCH',
        path: (c) => `${p}/${collection}/${collection}-keep-${slug(c)}`,
        body: () => bodies.patch,
        success: 200,
      },
      {
        name: `DELETE /plans/:id/${collection}/:itemId`,
        need: 'edit',
        method: 'DELETE',
        path: (c) => `${p}/${collection}/${collection}-drop-${slug(c)}`,
        success: 200,
      },
    );
  }
  return list;
}

function expected(need: Need, caller: Caller, success: number): number {
  if (caller === 'no-token') return 401;
  return ALLOWED[need].includes(caller) ? success : 403;
}

function tokenOf(caller: Caller): string | undefined {
  return caller === 'no-token' ? undefined : tokenFor(USER[caller]);
}

describe('role × endpoint matrix', () => {
  let server: ServerProcess;
  let planId: string;
  const pool = new ClientPool();

  beforeAll(async () => {
    server = await startServer();
    const owner = apiClient(server.baseUrl, tokenOf('owner'));
    planId = (await owner.post<{ id: string }>('/plans', { title: 'Access matrix' })).body.id;
    for (const caller of ['editor', 'viewer', 'auditor'] as const) {
      expect(
        (await owner.post(`/plans/${planId}/members`, { userId: USER[caller], role: caller }))
          .status,
      ).toBe(201);
    }
    for (const caller of ROLES) {
      expect(
        (
          await owner.post(`/plans/${planId}/members`, {
            userId: `leaver-${slug(caller)}`,
            role: 'viewer',
          })
        ).status,
      ).toBe(201);
      for (const [collection, bodies] of Object.entries(COLLECTIONS)) {
        for (const prefix of ['keep', 'drop']) {
          const created = await owner.post(`/plans/${planId}/${collection}`, {
            id: `${collection}-${prefix}-${slug(caller)}`,
            ...bodies.create,
          });
          expect({
            collection,
            status: created.status,
            body: created.status === 201 ? undefined : created.body,
          }).toEqual({ collection, status: 201, body: undefined });
        }
      }
    }
  });
  afterAll(async () => {
    pool.destroyAll();
    await server.dispose();
  });

  it('given each role, when it calls every plan route, then it gets exactly the expected status', async () => {
    const table = routes(planId);
    const seen: Record<string, Record<Caller, number>> = {};
    const mismatches: string[] = [];
    // the owner goes last, so its member and item changes do not change what the others may do
    for (const caller of [
      'no-token',
      'non-member',
      'viewer',
      'auditor',
      'editor',
      'owner',
    ] as const) {
      const token = tokenOf(caller);
      for (const route of table) {
        const response = await fetch(`${server.baseUrl}${route.path(caller)}`, {
          method: route.method,
          headers: {
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(route.body ? { 'content-type': 'application/json' } : {}),
          },
          body: route.body ? JSON.stringify(route.body(caller)) : undefined,
        });
        await response.arrayBuffer();
        (seen[route.name] ??= {} as Record<Caller, number>)[caller] = response.status;
        const want = expected(route.need, caller, route.success);
        if (response.status !== want)
          mismatches.push(
            `${caller} ${route.method} ${route.path(caller)}: ${response.status}, expected ${want}`,
          );
      }
    }
    console.log(
      `role × endpoint (${table.length} routes × ${ROLES.length} callers):\n` +
        `${'route'.padEnd(42)} ${ROLES.map((r) => r.padStart(11)).join('')}\n` +
        Object.entries(seen)
          .map(
            ([name, byCaller]) =>
              `${name.padEnd(42)} ${ROLES.map((r) => String(byCaller[r]).padStart(11)).join('')}`,
          )
          .join('\n'),
    );
    expect(mismatches).toEqual([]);
  }, 120_000);

  it('given an unknown plan, then every signed-in caller gets 404 and a caller without a token 401', async () => {
    for (const caller of ROLES) {
      const api = apiClient(server.baseUrl, tokenOf(caller));
      const statuses = [
        (await api.get('/plans/no-such-plan')).status,
        (await api.post('/plans/no-such-plan/tasks', { title: 't', durationDays: 1 })).status,
        (await api.get('/plans/no-such-plan/verify')).status,
      ];
      expect({ caller, statuses }).toEqual({
        caller,
        statuses: caller === 'no-token' ? [401, 401, 401] : [404, 404, 404],
      });
    }
  });

  it.each([
    ['owner', 'stored'],
    ['editor', 'stored'],
    ['viewer', 'permission-denied'],
    ['auditor', 'permission-denied'],
  ] as const)(
    'given the %s connected over the websocket, when it writes, then the update is %s',
    async (caller, outcome) => {
      const client = pool.connect(server.wsUrl, planId, { token: tokenOf(caller)!, ack: '1' });
      await eventually(() => expect(client.provider.synced).toBe(true));
      const id = `ws-${caller}`;
      new PlanDoc(client.doc).addTask({ id, title: `written by ${caller}`, durationDays: 1 });
      if (outcome === 'stored') {
        await client.acks.whenSaved();
        const plan = await apiClient(server.baseUrl, tokenOf('owner')).get<{
          tasks: Array<{ id: string }>;
        }>(`/plans/${planId}`);
        expect(plan.body.tasks.map((t) => t.id)).toContain(id);
      } else {
        await eventually(() =>
          expect(client.permissionDenied).toEqual([expect.stringMatching(/read-only access/)]),
        );
        const plan = await apiClient(server.baseUrl, tokenOf('owner')).get<{
          tasks: Array<{ id: string }>;
        }>(`/plans/${planId}`);
        expect(plan.body.tasks.map((t) => t.id)).not.toContain(id);
      }
    },
  );

  it.each([
    ['non-member', 4403],
    ['no-token', 4401],
  ] as const)(
    'given a %s, when it opens the websocket to write, then it is closed with %i before it can send anything',
    async (caller, code) => {
      const token = tokenOf(caller);
      const ws = new WebSocket(`${server.wsUrl}/${planId}${token ? `?token=${token}` : ''}`);
      const received: Buffer[] = [];
      ws.on('message', (data: Buffer) => received.push(data));
      const closed = await new Promise<{ code: number; reason: string }>((resolve) =>
        ws.on('close', (c, reason) => resolve({ code: c, reason: reason.toString() })),
      );
      expect(closed.code).toBe(code);
      expect(closed.reason).not.toBe('');
      expect(received).toEqual([]);
    },
  );
});
