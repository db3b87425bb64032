/**
 * The change feed as server-sent events: the same changes and positions as socket.io, and a
 * reconnect with Last-Event-ID that delivers exactly what was missed.
 */
import type { FeedChange } from '@lib/feed';
import { connectFeed } from '@lib/feed/client';
import { apiClient, eventually, tokenFor } from '../support/clients';
import { readEventStream, type EventStreamReader } from '../support/event-stream';
import { startServer, type ServerProcess } from '../support/server-process';

describe('change feed over server-sent events', () => {
  let server: ServerProcess;
  const alice = tokenFor('alice');
  const streams: EventStreamReader[] = [];
  const auth = { authorization: `Bearer ${alice}` };

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    for (const stream of streams) stream.close();
    await server.dispose();
  });

  const open = (query: string, headers: Record<string, string> = auth) => {
    const stream = readEventStream(`${server.baseUrl}/feed/events?${query}`, headers);
    streams.push(stream);
    return stream;
  };
  const changesOf = (stream: EventStreamReader): FeedChange[] =>
    stream.events.filter((e) => e.event === 'change').map((e) => JSON.parse(e.data) as FeedChange);
  const progressed = (changes: FeedChange[]) =>
    changes.filter((c) => c.changes.some((x) => x.changeType === 'TaskProgressed'));

  async function planWithTask() {
    const api = apiClient(server.baseUrl, alice);
    const planId = (await api.post<{ id: string }>('/plans', { title: 'SSE plan' })).body.id;
    const taskId = (
      await api.post<{ id: string }>(`/plans/${planId}/tasks`, { title: 'Build', durationDays: 5 })
    ).body.id;
    const progress = (percent: number) =>
      api.patch(`/plans/${planId}/tasks/${taskId}`, { percentComplete: percent });
    return { planId, progress };
  }

  it('given a plan with changes, when read from 0 over SSE and over socket.io, then both carry the same changes with the same positions', async () => {
    const { planId, progress } = await planWithTask();
    for (let i = 1; i <= 4; i++) await progress(i);
    const stream = open(`plans=${planId}&from=0`);
    expect(await stream.status).toBe(200);
    const overSocket: FeedChange[] = [];
    const feed = connectFeed(server.baseUrl, {
      token: alice,
      plans: [planId],
      onChange: (c) => overSocket.push(c),
    });
    try {
      await eventually(() => {
        expect(progressed(changesOf(stream))).toHaveLength(4);
        expect(progressed(overSocket)).toHaveLength(4);
      });
      expect(changesOf(stream)).toEqual(overSocket);
      expect(stream.events.filter((e) => e.event === 'change').map((e) => Number(e.id))).toEqual(
        overSocket.map((c) => c.position),
      );
    } finally {
      feed.close();
    }
  });

  it('given a dashboard that disconnected, when it reconnects with Last-Event-ID, then it gets exactly the changes it missed', async () => {
    const { planId, progress } = await planWithTask();
    await progress(1);
    const first = open(`plans=${planId}`);
    await eventually(() => expect(progressed(changesOf(first))).toHaveLength(1));
    const lastId = first.events.filter((e) => e.event === 'change').at(-1)!.id!;
    first.close();

    for (let i = 2; i <= 6; i++) await progress(i);
    // the change log is a projection: wait until it holds the five missed changes
    let missed: number[] = [];
    await eventually(async () => {
      const history = await apiClient(server.baseUrl, alice).get<{
        entries: Array<{ position: number }>;
      }>(`/plans/${planId}/history?direction=forwards&limit=1000`);
      missed = [...new Set(history.body.entries.map((e) => e.position))].filter(
        (p) => p > Number(lastId),
      );
      expect(missed).toHaveLength(5);
    });

    // `from` says 0, Last-Event-ID wins: that is what a reconnecting EventSource sends
    const resumed = open(`plans=${planId}&from=0`, { ...auth, 'last-event-id': lastId });
    await eventually(() => expect(changesOf(resumed).map((c) => c.position)).toEqual(missed));
    await progress(7);
    await eventually(() => expect(progressed(changesOf(resumed))).toHaveLength(6));
    expect(
      progressed(changesOf(resumed)).map(
        (c) =>
          (c.changes.find((x) => x.changeType === 'TaskProgressed')!.payload as { to: number }).to,
      ),
    ).toEqual([2, 3, 4, 5, 6, 7]);
  });

  it('given no token, a plan of someone else, or a bad position, then 401, 403 and 400 naming the field', async () => {
    const { planId } = await planWithTask();
    expect(await open(`plans=${planId}`, {}).status).toBe(401);
    expect(
      await open(`plans=${planId}`, { authorization: `Bearer ${tokenFor('mallory')}` }).status,
    ).toBe(403);
    const bad = await fetch(`${server.baseUrl}/feed/events?plans=${planId}&from=-1`, {
      headers: auth,
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/from/);
  });
});
