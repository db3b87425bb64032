/**
 * The limits as an operator configures them (environment → running server): request body
 * size, slow requests (headers and body timeouts), document size over REST and websocket,
 * connections per plan and per user, message rate. The collab limits are tested in depth
 * in-process in libs/collab/test/collab-limits.spec.ts (including slow readers); here each is
 * checked once end to end.
 */
import { connect } from 'node:net';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { writeUpdateMessage } from '@lib/collab';
import { apiClient, tokenFor } from '../support/clients';
import { startServer, type ServerProcess } from '../support/server-process';

const alice = tokenFor('alice');

/** sends `parts` on a raw TCP connection with pauses, returns what the server answered and when it closed */
async function rawHttp(
  port: number,
  parts: string[],
  pauseMs: number,
): Promise<{ response: string; closedAfterMs: number }> {
  const started = Date.now();
  const socket = connect(port, '127.0.0.1');
  let response = '';
  socket.on('data', (chunk) => (response += chunk.toString()));
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.on('error', () => undefined);
  for (const part of parts) {
    if (socket.destroyed) break;
    socket.write(part);
    await Promise.race([new Promise((r) => setTimeout(r, pauseMs)), closed]);
  }
  await Promise.race([closed, new Promise((r) => setTimeout(r, 8000))]);
  socket.destroy();
  return { response, closedAfterMs: Date.now() - started };
}

function openSocket(server: ServerProcess, planId: string, token: string) {
  const ws = new WebSocket(`${server.wsUrl}/${planId}?token=${token}`);
  ws.on('error', () => undefined);
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  const admitted = new Promise<void>((resolve) => ws.once('message', () => resolve()));
  return { ws, closed, admitted };
}

describe('limits configured through the environment', () => {
  let server: ServerProcess;
  let planId: string;

  beforeAll(async () => {
    server = await startServer({
      MAX_BODY_BYTES: '4096',
      HTTP_HEADERS_TIMEOUT_MS: '1000',
      HTTP_REQUEST_TIMEOUT_MS: '2000',
      MAX_DOC_BYTES: String(48 * 1024),
      MAX_MESSAGE_BYTES: String(32 * 1024),
      MAX_CONNECTIONS_PER_PLAN: '3',
      MAX_CONNECTIONS_PER_USER: '2',
      RATE_LIMIT_MESSAGES_PER_SEC: '20',
      RATE_LIMIT_BURST: '40',
    });
    planId = (
      await apiClient(server.baseUrl, alice).post<{ id: string }>('/plans', { title: 'Limits' })
    ).body.id;
    for (const user of ['bob', 'carol', 'dave']) {
      await apiClient(server.baseUrl, alice).post(`/plans/${planId}/members`, {
        userId: user,
        role: 'editor',
      });
    }
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('given MAX_BODY_BYTES=4096, when a larger JSON body is posted, then the answer is 413 naming the limit and nothing is stored', async () => {
    const api = apiClient(server.baseUrl, alice);
    const response = await api.post<{ statusCode: number; message: string }>(
      `/plans/${planId}/tasks`,
      {
        title: 'big',
        durationDays: 1,
        assignees: Array.from({ length: 400 }, (_, i) => `person-${i}`),
      },
    );
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({
      statusCode: 413,
      message: expect.stringMatching(/exceeds the limit of 4096 bytes/),
    });
  });

  it('given HTTP_HEADERS_TIMEOUT_MS=1000, when a client sends its headers slower than that, then it gets 408 and is disconnected', async () => {
    const { response, closedAfterMs } = await rawHttp(
      server.port,
      [
        'GET /health HTTP/1.1\r\n',
        'Host: x\r\n',
        'X-Slow: 1\r\n',
        'X-Slow: 2\r\n',
        'X-Slow: 3\r\n',
      ],
      600,
    );
    expect(response).toMatch(/^HTTP\/1\.1 408/);
    expect(closedAfterMs).toBeLessThan(4000);
  });

  it('given HTTP_REQUEST_TIMEOUT_MS=2000, when a client trickles its body, then it gets 408 and is disconnected', async () => {
    const head = `POST /plans HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${alice}\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n`;
    const { response, closedAfterMs } = await rawHttp(
      server.port,
      [head, '{"title":', '"slow', 'ly', ' typed'],
      900,
    );
    expect(response).toMatch(/^HTTP\/1\.1 408/);
    expect(closedAfterMs).toBeLessThan(5000);
  });

  it('given MAX_DOC_BYTES=48 KiB, when an update would grow the plan past it, then the websocket is closed with 4413, REST gets 413, and nothing is stored', async () => {
    const api = apiClient(server.baseUrl, alice);
    const before = (await api.get<{ events: unknown[] }>(`/plans/${planId}/events?binary=none`))
      .body.events.length;
    // two fillers fit (30 + 16 KiB); a third of 30 KiB would pass 48 KiB
    for (const [i, kib] of [30, 16, 30].entries()) {
      const doc = new Y.Doc();
      doc.getMap('meta').set(`filler-${i}`, 'x'.repeat(kib * 1024));
      const { ws, closed, admitted } = openSocket(server, planId, alice);
      await admitted;
      ws.send(writeUpdateMessage(Y.encodeStateAsUpdate(doc)));
      if (i < 2) {
        ws.send(Uint8Array.of(3)); // answered once the update before it was handled
        await new Promise((r) => ws.once('message', r));
        ws.close();
        await closed;
      } else {
        expect(await closed).toEqual({
          code: 4413,
          reason: expect.stringMatching(/document would exceed 49152 bytes/),
        });
      }
    }
    const rest = await api.post<{ code: string; message: string }>(`/plans/${planId}/tasks`, {
      title: 'y'.repeat(290),
      durationDays: 1,
      assignees: Array.from({ length: 100 }, (_, i) => `someone-with-a-long-name-${i}`),
    });
    expect(rest.status).toBe(413);
    expect(rest.body).toMatchObject({
      code: 'DOCUMENT_TOO_LARGE',
      message: expect.stringMatching(/MAX_DOC_BYTES/),
    });
    const after = (await api.get<{ events: unknown[] }>(`/plans/${planId}/events?binary=none`)).body
      .events.length;
    expect(after).toBe(before + 2);
  });

  it('given MAX_CONNECTIONS_PER_USER=2 and MAX_CONNECTIONS_PER_PLAN=3, when more connect, then the extra ones are closed with 4429 naming the limit', async () => {
    const mine = [openSocket(server, planId, alice), openSocket(server, planId, alice)];
    await Promise.all(mine.map((s) => s.admitted));
    expect(await openSocket(server, planId, alice).closed).toEqual({
      code: 4429,
      reason: expect.stringMatching(/MAX_CONNECTIONS_PER_USER/),
    });
    const bob = openSocket(server, planId, tokenFor('bob'));
    await bob.admitted;
    expect(await openSocket(server, planId, tokenFor('carol')).closed).toEqual({
      code: 4429,
      reason: expect.stringMatching(/MAX_CONNECTIONS_PER_PLAN/),
    });
    for (const s of [...mine, bob]) s.ws.close();
    await Promise.all([...mine, bob].map((s) => s.closed));
  });

  it('given RATE_LIMIT_MESSAGES_PER_SEC=20 with a burst of 40, when a client sends 200 messages at once, then it is closed with 4429 "rate limit"', async () => {
    const flood = openSocket(server, planId, tokenFor('dave'));
    await flood.admitted;
    for (let i = 0; i < 200; i++) flood.ws.send(Uint8Array.of(3));
    expect(await flood.closed).toEqual({
      code: 4429,
      reason: expect.stringMatching(/^rate limit: more than 20 messages\/s \(burst 40\)/),
    });
  });
});
