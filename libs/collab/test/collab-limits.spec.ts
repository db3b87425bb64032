/**
 * The collab endpoint's limits, each refusing one connection with a named close code while
 * the document, the store and every other connection carry on: message rate, connections per
 * plan and per user, document size, and readers too slow to keep up.
 */
import WebSocket from 'ws';
import * as Y from 'yjs';
import { planStreamId, writeUpdateMessage, type CollabSettings } from '@lib/collab';
import { eventually, startCollabHarness, type CollabHarness } from './collab-harness';

interface RawClient {
  readonly ws: WebSocket;
  readonly closed: Promise<{ code: number; reason: string }>;
  /** resolves with the first server message (sent once the connection is admitted and loaded) */
  readonly admitted: Promise<void>;
  readonly received: () => number;
}

function rawClient(harness: CollabHarness, planId: string, user: string): RawClient {
  const ws = new WebSocket(`${harness.url}/${planId}?user=${user}`);
  let received = 0;
  let admit: () => void = () => undefined;
  const admitted = new Promise<void>((resolve) => (admit = resolve));
  ws.on('message', () => {
    received += 1;
    admit();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  ws.on('error', () => undefined);
  return { ws, closed, admitted, received: () => received };
}

/** a valid update from a client of its own: a text of `bytes` characters in the plan's meta map */
function textUpdate(bytes: number, key = `note-${Math.random()}`): Uint8Array {
  const doc = new Y.Doc();
  doc.getMap('meta').set(key, 'x'.repeat(bytes));
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

async function storedCount(harness: CollabHarness, planId: string): Promise<number> {
  return (await harness.store.readStream(planStreamId(planId))).length;
}

describe('collab limits', () => {
  let harness: CollabHarness;
  const start = async (settings: Partial<CollabSettings>) => {
    harness = await startCollabHarness({ settings });
  };
  afterEach(async () => {
    await harness.close();
  });

  it('given a rate limit of 20/s with a burst of 30, when a client sends 100 messages at once, then it is closed with 4429 "rate limit" and a client within the rate is not', async () => {
    await start({ rateLimitMessagesPerSec: 20, rateLimitBurst: 30 });
    const planId = await harness.createPlan();
    const polite = rawClient(harness, planId, 'polite');
    const flood = rawClient(harness, planId, 'flood');
    await Promise.all([polite.admitted, flood.admitted]);

    for (let i = 0; i < 100; i++) flood.ws.send(Buffer.from([3])); // query-awareness
    const { code, reason } = await flood.closed;
    expect(code).toBe(4429);
    expect(reason).toMatch(/rate limit/);

    for (let i = 0; i < 10; i++) {
      polite.ws.send(Buffer.from([3]));
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(polite.ws.readyState).toBe(WebSocket.OPEN);
    polite.ws.close();
  });

  it('given at most 2 connections per plan, when a third connects, then it is closed with 4429 naming the limit; after one leaves, a new one is admitted', async () => {
    await start({ maxConnectionsPerPlan: 2 });
    const planId = await harness.createPlan();
    const otherPlan = await harness.createPlan();
    const first = rawClient(harness, planId, 'a');
    const second = rawClient(harness, planId, 'b');
    await Promise.all([first.admitted, second.admitted]);

    const third = rawClient(harness, planId, 'c');
    expect(await third.closed).toEqual({
      code: 4429,
      reason: expect.stringMatching(/MAX_CONNECTIONS_PER_PLAN/),
    });
    const elsewhere = rawClient(harness, otherPlan, 'c');
    await elsewhere.admitted;

    first.ws.close();
    await first.closed;
    const fourth = rawClient(harness, planId, 'd');
    await fourth.admitted;
    for (const c of [second, fourth, elsewhere]) c.ws.close();
  });

  it('given at most 2 connections per user, when that user opens a third on any plan, then it is closed with 4429 and other users are unaffected', async () => {
    await start({ maxConnectionsPerUser: 2 });
    const plans = [
      await harness.createPlan(),
      await harness.createPlan(),
      await harness.createPlan(),
    ];
    const mine = [rawClient(harness, plans[0], 'eve'), rawClient(harness, plans[1], 'eve')];
    await Promise.all(mine.map((c) => c.admitted));

    const third = rawClient(harness, plans[2], 'eve');
    expect(await third.closed).toEqual({
      code: 4429,
      reason: expect.stringMatching(/user eve .*MAX_CONNECTIONS_PER_USER/),
    });
    const someoneElse = rawClient(harness, plans[2], 'frank');
    await someoneElse.admitted;
    for (const c of [...mine, someoneElse]) c.ws.close();
  });

  it('given a document limit of 64 KiB, when an update would grow the plan past it, then that client is closed with 4413, nothing is stored, and others keep editing', async () => {
    await start({ maxDocBytes: 64 * 1024 });
    const planId = await harness.createPlan();
    const editor = harness.provider(planId, { user: 'editor' });
    const watcher = harness.provider(planId, { user: 'watcher' });
    await eventually(() => expect(editor.provider.synced && watcher.provider.synced).toBe(true));
    editor.doc.getMap('meta').set('intro', 'y'.repeat(40 * 1024));
    await eventually(() => expect(watcher.doc.getMap('meta').get('intro')).toHaveLength(40 * 1024));
    const before = await storedCount(harness, planId);

    const big = rawClient(harness, planId, 'big');
    await big.admitted;
    big.ws.send(writeUpdateMessage(textUpdate(30 * 1024)));
    expect(await big.closed).toEqual({
      code: 4413,
      reason: expect.stringMatching(/document would exceed 65536 bytes/),
    });
    expect(await storedCount(harness, planId)).toBe(before);

    editor.doc.getMap('meta').set('small', 'still fits');
    await eventually(() => expect(watcher.doc.getMap('meta').get('small')).toBe('still fits'));
    expect(await storedCount(harness, planId)).toBe(before + 1);
  });

  it('given a send buffer limit of 256 KiB, when one reader stops reading while another client writes 12 MB, then only that reader is closed with 1013 (try again later) and everyone else receives everything', async () => {
    await start({
      maxSendBufferBytes: 256 * 1024,
      slowReaderGraceMs: 10_000,
      rateLimitMessagesPerSec: 0,
    });
    const planId = await harness.createPlan();
    const slow = rawClient(harness, planId, 'slow');
    const reader = harness.provider(planId, { user: 'reader' });
    const writer = rawClient(harness, planId, 'writer');
    await Promise.all([slow.admitted, writer.admitted]);
    await eventually(() => expect(reader.provider.synced).toBe(true));
    const before = await storedCount(harness, planId);

    // stop reading: the kernel buffers fill, then the server's queue for this socket grows
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const updates = 60;
    for (let i = 0; i < updates; i++)
      writer.ws.send(writeUpdateMessage(textUpdate(200 * 1024, `chunk-${i}`)));

    await eventually(
      async () => expect(await storedCount(harness, planId)).toBe(before + updates),
      30_000,
    );
    await eventually(
      () => expect(reader.doc.getMap('meta').get(`chunk-${updates - 1}`)).toHaveLength(200 * 1024),
      30_000,
    );
    expect(writer.ws.readyState).toBe(WebSocket.OPEN);

    // reading again, the slow client drains what was queued before the limit, then the close frame
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    const { code, reason } = await slow.closed;
    expect(code).toBe(1013);
    expect(reason).toMatch(/send buffer over 262144 bytes/);
    expect(slow.received()).toBeLessThan(updates);
    writer.ws.close();
  }, 60_000);

  it('given a client that reconnects after a refusal, then the admitted counts were released (no leak across many refused connections)', async () => {
    await start({ maxConnectionsPerPlan: 1 });
    const planId = await harness.createPlan();
    for (let i = 0; i < 5; i++) {
      const c = rawClient(harness, planId, `u${i}`);
      await c.admitted;
      const refused = rawClient(harness, planId, `x${i}`);
      expect((await refused.closed).code).toBe(4429);
      c.ws.close();
      await c.closed;
    }
    const last = rawClient(harness, planId, 'last');
    await last.admitted;
    last.ws.close();
  });
});
