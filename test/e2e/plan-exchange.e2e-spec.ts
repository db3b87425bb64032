/**
 * Plans in and out of the real server: MSPDI and CSV imports (raw body and multipart), the
 * export → import round trip read back through the timeline, per-line and per-element errors,
 * hostile uploads (billion laughs, 100 MB) refused with the server still serving, and the
 * calendar feed with its revocable token.
 */
import { normalizePlanImport, type PlanFile } from '@lib/plan-domain';
import { writeMspdi } from '@lib/plan-exchange';
import crm from '../../libs/plan-domain/src/scheduling/fixtures/crm-rollout.plan.json';
import expectedTimeline from '../../libs/plan-domain/src/scheduling/fixtures/crm-rollout.expected-timeline.json';
import { request as httpRequest, type ClientRequest } from 'node:http';
import { apiClient, tokenFor } from '../support/clients';
import { startServer, type ServerProcess } from '../support/server-process';

interface TimelineActivity {
  readonly id: string;
  readonly start: string;
  readonly finish: string;
  readonly totalFloat: number;
  readonly critical: boolean;
}
interface TimelineView {
  readonly projectFinish: string;
  readonly criticalPath: string[];
  readonly activities: TimelineActivity[];
}

/** A POST to /plans/import on a fresh connection; `send` writes the body. */
function rawPost(
  port: number,
  token: string,
  send: (request: ClientRequest) => void,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/plans/import',
        agent: false,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (c: string) => (body += c));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    request.on('error', reject);
    send(request);
  });
}

describe('plan import and export over HTTP', () => {
  let server: ServerProcess;
  const alice = tokenFor('alice');
  const bob = tokenFor('bob');
  const crmXml = writeMspdi(normalizePlanImport(crm as PlanFile), { fallbackStart: '2000-01-01' });

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.dispose();
  });

  const upload = (
    path: string,
    body: RequestInit['body'],
    headers: Record<string, string> = {},
    token = alice,
  ) =>
    fetch(`${server.baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, ...headers },
      body,
    });

  async function timelineOf(planId: string, version: number): Promise<TimelineView> {
    const response = await apiClient(server.baseUrl, alice).get<TimelineView>(
      `/plans/${planId}/timeline?minVersion=${version}`,
    );
    expect(response.status).toBe(200);
    return response.body;
  }

  const facts = (timeline: TimelineView) => ({
    projectFinish: timeline.projectFinish,
    criticalPath: [...timeline.criticalPath].sort(),
    activities: Object.fromEntries(
      timeline.activities.map((a) => [a.id, [a.start, a.finish, a.totalFloat, a.critical]]),
    ),
  });

  it('given an MSPDI file as the raw body, when imported, then the plan exists with the schedule of the source, owned by the importer, and its history starts with PlanImported', async () => {
    const response = await upload('/plans/import?id=crm-mspdi', crmXml, {
      'content-type': 'application/xml',
      'x-file-name': 'crm.xml',
    });
    const answer = (await response.json()) as {
      id: string;
      version: number;
      report: { format: string; counts: Record<string, number> };
    };
    expect(response.status).toBe(201);
    expect(answer).toMatchObject({
      id: 'crm-mspdi',
      url: '/p/crm-mspdi',
      report: { format: 'mspdi', counts: { tasks: 29, milestones: 5, phases: 5 } },
    });

    const timeline = await timelineOf('crm-mspdi', answer.version);
    expect(timeline.projectFinish).toBe(expectedTimeline.projectFinish);
    for (const [id, expected] of Object.entries(expectedTimeline.tasks)) {
      expect(timeline.activities.find((a) => a.id === id)).toMatchObject({
        start: expected.start,
        finish: expected.finish,
        totalFloat: expected.totalFloat,
        critical: expected.critical,
      });
    }
    const api = apiClient(server.baseUrl, alice);
    expect((await api.get('/plans/crm-mspdi/members')).body).toEqual([
      { userId: 'alice', role: 'owner' },
    ]);
    const history = await api.get<{
      entries: { changeType: string; summary: string; version: number }[];
    }>(`/plans/crm-mspdi/history?minVersion=${answer.version}`);
    expect(history.body.entries[0]).toMatchObject({
      changeType: 'PlanImported',
      version: 0,
      summary: expect.stringContaining('plan imported from mspdi "crm.xml"'),
    });
    expect((await api.get('/plans/crm-mspdi/verify')).body).toMatchObject({ ok: true });
  });

  it('given the imported plan, when exported as MSPDI and as CSV and each imported again, then every copy has the same schedule', async () => {
    const api = apiClient(server.baseUrl, alice);
    const original = facts(await timelineOf('crm-mspdi', 1));
    for (const format of ['mspdi', 'csv'] as const) {
      const exported = await fetch(`${server.baseUrl}/plans/crm-mspdi/export?format=${format}`, {
        headers: { authorization: `Bearer ${alice}` },
      });
      expect(exported.status).toBe(200);
      expect(exported.headers.get('content-disposition')).toMatch(
        new RegExp(`filename="CRM-system-rollout\\.${format === 'mspdi' ? 'xml' : 'csv'}"`),
      );
      const form = new FormData();
      form.append(
        'file',
        new Blob([await exported.text()]),
        `copy.${format === 'mspdi' ? 'xml' : 'csv'}`,
      );
      form.append('id', `crm-${format}-copy`);
      form.append('title', `Copy via ${format}`);
      const response = await upload('/plans/import', form);
      const answer = (await response.json()) as { version: number; title: string };
      expect([response.status, answer.title]).toEqual([201, `Copy via ${format}`]);
      expect(facts(await timelineOf(`crm-${format}-copy`, answer.version))).toEqual(original);
    }
    const json = await api.get<{ tasks: unknown[] }>('/plans/crm-mspdi/export?format=json');
    expect(json.body.tasks).toHaveLength(29);
  });

  it('given a CSV with bad rows, then 400 lists each line and column at fault, and no plan is created', async () => {
    const csv = 'id,title,durationDays,predecessors\na,Design,5,\nb,Build,five,a\nc,Test,2,zz\n';
    const response = await upload('/plans/import?id=bad-csv', csv, { 'content-type': 'text/csv' });
    const body = (await response.json()) as { code: string; problems: { at: string }[] };
    expect(response.status).toBe(400);
    expect(body.code).toBe('IMPORT_REFUSED');
    expect(body.problems.map((p) => p.at)).toEqual([
      'line 3, durationDays',
      'line 4, predecessors',
    ]);
    expect((await apiClient(server.baseUrl, alice).get('/plans/bad-csv')).status).toBe(404);
  });

  it('given a billion-laughs XML, then it is refused with 400 before parsing, and the server keeps serving', async () => {
    const levels = Array.from(
      { length: 10 },
      (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`,
    ).join('\n');
    const laughs = `<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol0 "lol">\n${levels}\n]>\n<Project><Name>&lol10;</Name></Project>`;
    const started = Date.now();
    const response = await upload('/plans/import', laughs, { 'content-type': 'application/xml' });
    const body = (await response.json()) as { message: string; problems: { at: string }[] };
    expect(response.status).toBe(400);
    expect(body.problems[0].at).toBe('line 2, column 1');
    expect(body.message).toMatch(/DOCTYPE is not allowed/);
    expect(Date.now() - started).toBeLessThan(5000);
    expect((await fetch(`${server.baseUrl}/health`)).status).toBe(200);
  });

  it('given a 100 MB upload, then it is refused with 413 naming the limit, and the server keeps serving imports', async () => {
    // each on a connection of its own, so a pooled keep-alive connection closing under it
    // cannot be mistaken for the server's answer
    const declared = await rawPost(server.port, alice, (request) => {
      request.setHeader('content-length', String(100 * 1024 * 1024));
      const chunk = Buffer.alloc(1024 * 1024, 'a');
      let sent = 0;
      const more = (): void => {
        while (sent < 100) {
          sent += 1;
          if (!request.write(chunk)) return void request.once('drain', more);
        }
        request.end();
      };
      more();
    });
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body)).toMatchObject({
      code: 'IMPORT_TOO_LARGE',
      maxImportBytes: 16 * 1024 * 1024,
    });

    // chunked, so no Content-Length to refuse on: no longer kept once past the limit
    const streamed = await rawPost(server.port, alice, (request) => {
      const chunk = Buffer.alloc(1024 * 1024, 'a');
      let sent = 0;
      const more = (): void => {
        while (sent < 100) {
          sent += 1;
          if (!request.write(chunk)) return void request.once('drain', more);
        }
        request.end();
      };
      more();
    });
    expect(streamed.status).toBe(413);

    expect((await fetch(`${server.baseUrl}/health`)).status).toBe(200);
    const after = await upload('/plans/import', 'title,durationDays\nStill here,1\n', {
      'content-type': 'text/csv',
    });
    expect(after.status).toBe(201);
  });

  it('given a member issues a calendar feed, then the URL serves the plan as iCalendar without other credentials until it is revoked or replaced', async () => {
    const api = apiClient(server.baseUrl, alice);
    const issued = await api.post<{ url: string; token: string }>('/plans/crm-mspdi/calendar-feed');
    expect(issued.status).toBe(201);
    const feed = await fetch(`${server.baseUrl}${issued.body.url}`);
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toMatch(/^text\/calendar/);
    const ics = await feed.text();
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(34);
    expect(ics).toContain(
      `DTSTART;VALUE=DATE:${expectedTimeline.tasks.t05.start.replace(/-/g, '')}`,
    );

    expect((await fetch(`${server.baseUrl}/plans/crm-mspdi/calendar.ics`)).status).toBe(401);
    const forged = issued.body.token.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    expect(
      (await fetch(`${server.baseUrl}/plans/crm-mspdi/calendar.ics?token=${forged}`)).status,
    ).toBe(401);
    // the token is for one plan
    expect(
      (await fetch(`${server.baseUrl}/plans/crm-csv-copy/calendar.ics?token=${issued.body.token}`))
        .status,
    ).toBe(401);
    // bob has no role: he can neither issue a feed nor use alice's on his behalf
    expect(
      (await apiClient(server.baseUrl, bob).post('/plans/crm-mspdi/calendar-feed')).status,
    ).toBe(403);

    const replaced = await api.post<{ url: string }>('/plans/crm-mspdi/calendar-feed');
    expect((await fetch(`${server.baseUrl}${issued.body.url}`)).status).toBe(401);
    expect((await fetch(`${server.baseUrl}${replaced.body.url}`)).status).toBe(200);
    expect((await api.delete('/plans/crm-mspdi/calendar-feed')).status).toBe(200);
    expect((await fetch(`${server.baseUrl}${replaced.body.url}`)).status).toBe(401);
  });

  it('given import options that are wrong, then 400 names the field', async () => {
    const bad = await upload('/plans/import?format=xlsx', 'x', { 'content-type': 'text/csv' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(
      /format must be one of mspdi, csv, json/,
    );
    const existing = await upload('/plans/import?id=crm-mspdi', crmXml, {
      'content-type': 'application/xml',
    });
    expect(existing.status).toBe(409);
    const anonymous = await fetch(`${server.baseUrl}/plans/import`, {
      method: 'POST',
      body: crmXml,
    });
    expect(anonymous.status).toBe(401);
  });
});

describe('DEMO=1 npm start', () => {
  let server: ServerProcess;
  afterAll(async () => {
    await server?.dispose();
  });

  it('given an empty data dir, when the server starts with DEMO=1, then the demo plan is there with its history and the log names its URL and a token', async () => {
    server = await startServer({ DEMO: '1', LOG_LEVEL: 'info' });
    const token = /sign in as maria with this token \(valid 7 days\): ([\w.-]+)/.exec(
      server.output(),
    )?.[1];
    expect(server.output()).toMatch(
      /demo plan loaded: open http:\/\/127\.0\.0\.1:\d+\/p\/crm-demo/,
    );
    const api = apiClient(server.baseUrl, token);
    const plan = await api.get<{ tasks: unknown[]; version: number }>('/plans/crm-demo');
    expect(plan.status).toBe(200);
    expect(plan.body.tasks.length).toBeGreaterThanOrEqual(29);
    const restarted = await server.restart();
    server = restarted;
    expect(server.output()).toMatch(/demo plan already there/);
  });
});
