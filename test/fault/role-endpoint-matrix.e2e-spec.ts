/**
 * Who may do what, over every route the running server serves. The route list is the
 * server's own OpenAPI document, where each route's auth decorator wrote its rule
 * (`x-access`: public, authenticated, or a plan need); a route with no rule fails the test,
 * and so does a route Nest mapped that the document leaves out. Expected statuses come from
 * the table below, written independently of the server's capability table:
 *
 *   read    owner editor viewer auditor stakeholder   edit    owner editor
 *   comment owner editor stakeholder                  audit   owner editor auditor
 *   manage  owner
 *
 * A caller the rule allows must get past authorization (not 401/403, not "plan not found",
 * never 5xx; a 400 for a generated body or a 404 for an unknown item is fine); any other
 * signed-in caller gets 403, a caller without a token 401. Public routes answer everyone;
 * authenticated ones everyone with a token.
 */
import WebSocket from 'ws';
import type { AuthRequirement } from '@lib/auth/nest';
import { PlanDoc } from '@lib/plan-domain';
import { apiClient, ClientPool, eventually, tokenFor } from '../support/clients';
import {
  apiRoutes,
  fetchOpenApi,
  fillPath,
  mappedRoutes,
  routesWithoutRule,
  sampleValue,
  type ApiRoute,
  type OpenApiDocument,
} from '../support/openapi-routes';
import { startServer, type ServerProcess } from '../support/server-process';

const ROLES = [
  'owner',
  'editor',
  'viewer',
  'auditor',
  'stakeholder',
  'non-member',
  'no-token',
] as const;
type Caller = (typeof ROLES)[number];
type Need = 'read' | 'edit' | 'comment' | 'audit' | 'manage';

const USER: Record<Exclude<Caller, 'no-token'>, string> = {
  owner: 'olivia',
  editor: 'eddie',
  viewer: 'vera',
  auditor: 'audrey',
  stakeholder: 'stan',
  'non-member': 'mallory',
};
const ALLOWED: Record<Need, readonly Caller[]> = {
  read: ['owner', 'editor', 'viewer', 'auditor', 'stakeholder'],
  edit: ['owner', 'editor'],
  comment: ['owner', 'editor', 'stakeholder'],
  audit: ['owner', 'editor', 'auditor'],
  manage: ['owner'],
};
/**
 * What a `{param}` other than the plan gets: `matrix-<collection>` after a collection segment
 * (an item made in beforeAll; ids are unique across a plan's collections), else `matrix-item`.
 */
const itemId = (collection: string | undefined): string =>
  collection ? `matrix-${collection}` : 'matrix-item';

function pathParams(template: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [, collection, param] of template.matchAll(/\/([a-z-]+)\/\{([^}]+)\}/g))
    values[param] = itemId(collection);
  return values;
}

function tokenOf(caller: Caller): string | undefined {
  return caller === 'no-token' ? undefined : tokenFor(USER[caller]);
}

/** why a status breaks the rule, or undefined when it keeps it */
function breach(
  rule: AuthRequirement,
  caller: Caller,
  status: number,
  code: unknown,
): string | undefined {
  if (status >= 500) return 'server error';
  const refused = status === 401 || status === 403;
  switch (rule.kind) {
    case 'public':
      return refused ? 'a public route refused' : undefined;
    case 'authenticated':
      if (caller === 'no-token') return status === 401 ? undefined : 'expected 401';
      return refused ? 'a signed-in caller was refused' : undefined;
    case 'admin':
      // no caller here is in ADMIN_USERS
      if (caller === 'no-token') return status === 401 ? undefined : 'expected 401';
      return status === 403 ? undefined : 'expected 403 for a caller not in ADMIN_USERS';
    case 'url-token':
      // nobody here has the route's own token
      return status === 401 ? undefined : 'expected 401 without the URL token';
    case 'plan': {
      if (caller === 'no-token') return status === 401 ? undefined : 'expected 401';
      const need = rule.need as Need;
      if (!(need in ALLOWED)) return `no expectation for need ${need}: add it to ALLOWED`;
      if (!ALLOWED[need].includes(caller)) return status === 403 ? undefined : 'expected 403';
      if (refused) return `${need} should be allowed`;
      return code === 'PLAN_NOT_FOUND' ? 'the plan was not found' : undefined;
    }
    default: {
      const unknown: never = rule;
      return `unknown rule ${JSON.stringify(unknown)}`;
    }
  }
}

const ORDER: Record<string, number> = { GET: 0, POST: 1, PUT: 1, PATCH: 1, DELETE: 2 };

/** one request, as a client would send it; event streams are closed once the status is known */
async function call(
  server: ServerProcess,
  doc: OpenApiDocument,
  route: ApiRoute,
  planId: string,
  token: string | undefined,
): Promise<{ status: number; code: unknown }> {
  const planParam = route.rule?.kind === 'plan' ? route.rule.param : 'id';
  const path = fillPath(
    route.template,
    { ...pathParams(route.template), [planParam]: planId },
    itemId(undefined),
  );
  const query = new URLSearchParams();
  for (const parameter of route.query)
    if (parameter.required)
      query.set(parameter.name, String(sampleValue(doc, parameter.schema ?? { type: 'string' })));
  const controller = new AbortController();
  const response = await fetch(`${server.baseUrl}${path}${query.size ? `?${query}` : ''}`, {
    method: route.method,
    signal: controller.signal,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(route.body ? { 'content-type': 'application/json' } : {}),
    },
    body: route.body ? JSON.stringify(sampleValue(doc, route.body)) : undefined,
  });
  if (response.headers.get('content-type')?.startsWith('text/event-stream')) {
    controller.abort();
    return { status: response.status, code: undefined };
  }
  const text = await response.text();
  let code: unknown;
  try {
    code = (JSON.parse(text) as { code?: unknown }).code;
  } catch {
    // not JSON (metrics, reports as text): no error code
  }
  return { status: response.status, code };
}

describe('role × endpoint matrix', () => {
  let server: ServerProcess;
  let planId: string;
  let doc: OpenApiDocument;
  const pool = new ClientPool();

  beforeAll(async () => {
    // info level: Nest logs each route it maps, the list the OpenAPI document must cover
    server = await startServer({ LOG_LEVEL: 'info' });
    doc = await fetchOpenApi(server.baseUrl);
    const owner = apiClient(server.baseUrl, tokenOf('owner'));
    planId = (await owner.post<{ id: string }>('/plans', { title: 'Access matrix' })).body.id;
    for (const caller of ['editor', 'viewer', 'auditor', 'stakeholder'] as const) {
      expect(
        (await owner.post(`/plans/${planId}/members`, { userId: USER[caller], role: caller }))
          .status,
      ).toBe(201);
    }
    // an item with the fallback id in every collection that has item routes
    const routes = apiRoutes(doc);
    for (const route of routes) {
      const collection = /^\/plans\/\{id\}\/([a-z-]+)$/.exec(route.template)?.[1];
      // collections whose create takes an `id` (members are named by their userId instead)
      if (route.method !== 'POST' || !collection || !route.body?.properties?.id) continue;
      if (!routes.some((r) => r.template.startsWith(`/plans/{id}/${collection}/{`))) continue;
      const created = await owner.post(`/plans/${planId}/${collection}`, {
        ...(sampleValue(doc, route.body) as object),
        id: itemId(collection),
      });
      expect({ collection, status: created.status }).toEqual({ collection, status: 201 });
    }
  });
  afterAll(async () => {
    pool.destroyAll();
    await server.dispose();
  });

  it('given the running server, then every route it maps is in its OpenAPI document with an access rule', () => {
    const documented = new Set(apiRoutes(doc).map((r) => r.name));
    const mapped = mappedRoutes(server.output());
    expect(mapped.length).toBeGreaterThan(50);
    expect(mapped.filter((name) => !documented.has(name))).toEqual([]);
    expect(routesWithoutRule(doc)).toEqual([]);
  });

  it('given each role, when it calls every route of the OpenAPI document, then authorization decides exactly as its rule says', async () => {
    const table = apiRoutes(doc)
      .filter((route) => route.rule !== undefined)
      .sort((a, b) => ORDER[a.method] - ORDER[b.method]);
    const seen: Record<string, Partial<Record<Caller, number>>> = {};
    const mismatches: string[] = [];
    let allowed = 0;
    let succeeded = 0;
    // reads first, then writes, then deletes, each by every caller with the owner last: every
    // caller reads the seeded items before anyone deletes them, and the owner's member and item
    // changes do not change what the others may do
    const callers = [
      'no-token',
      'non-member',
      'stakeholder',
      'viewer',
      'auditor',
      'editor',
      'owner',
    ] as const;
    for (const [phase, caller] of [0, 1, 2].flatMap((p) => callers.map((c) => [p, c] as const))) {
      for (const route of table.filter((r) => ORDER[r.method] === phase)) {
        const { status, code } = await call(server, doc, route, planId, tokenOf(caller));
        (seen[route.name] ??= {})[caller] = status;
        const why = breach(route.rule!, caller, status, code);
        if (why) mismatches.push(`${caller} ${route.name}: ${status} (${why})`);
        if (route.rule!.kind === 'plan' && status !== 403 && caller !== 'no-token') {
          allowed += 1;
          if (status < 300) succeeded += 1;
        }
      }
    }
    console.log(
      `role × endpoint (${table.length} routes × ${ROLES.length} callers; ${succeeded} of ${allowed} allowed plan calls answered 2xx):\n` +
        `${'route'.padEnd(56)} ${ROLES.map((r) => r.padStart(12)).join('')}\n` +
        Object.entries(seen)
          .map(
            ([name, byCaller]) =>
              `${name.padEnd(56)} ${ROLES.map((r) => String(byCaller[r]).padStart(12)).join('')}`,
          )
          .join('\n'),
    );
    expect(mismatches).toEqual([]);
    expect(table.length).toBeGreaterThan(50);
    // the generated requests are real ones: most allowed calls do what they ask
    expect(succeeded / allowed).toBeGreaterThan(0.6);
    // the matrix archived the plan along the way (POST /plans/:id/archive): the writes below need it open
    const restored = await apiClient(server.baseUrl, tokenOf('owner')!).post(
      `/plans/${planId}/restore`,
    );
    expect([200, 201]).toContain(restored.status);
    // connections are authorized from the membership view, which follows the log
    await eventually(async () => {
      const listed = await apiClient(server.baseUrl, tokenOf('owner')!).get<
        Array<{ planId: string }>
      >('/plans');
      expect(listed.body.map((p) => p.planId)).toContain(planId);
    });
  }, 240_000);

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
    ['stakeholder', 'permission-denied'],
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
