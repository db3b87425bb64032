/**
 * An in-process collab endpoint on a loopback port over a temp-dir SQLite store, for specs
 * that drive it with real y-websocket clients.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { SqliteEventStore } from '@lib/event-store';
import {
  CollabServer,
  DEFAULT_COLLAB_SETTINGS,
  LiveDocuments,
  SnapshotExtension,
  SqliteSnapshotStore,
  planStreamId,
  type Authenticate,
  type CollabExtension,
  type CollabSettings,
} from '@lib/collab';

export interface CollabHarness {
  readonly url: string;
  readonly store: SqliteEventStore;
  readonly documents: LiveDocuments;
  readonly server: CollabServer;
  createPlan(): Promise<string>;
  provider(
    planId: string,
    params?: Record<string, string>,
  ): { doc: Y.Doc; provider: WebsocketProvider };
  close(): Promise<void>;
}

export async function startCollabHarness(
  options: { authenticate?: Authenticate; settings?: Partial<CollabSettings> } = {},
): Promise<CollabHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'collab-'));
  const store = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
  const settings = { ...DEFAULT_COLLAB_SETTINGS, ...options.settings };
  const extensions: CollabExtension[] = [
    new SnapshotExtension(
      new SqliteSnapshotStore(join(dir, 'snapshots.sqlite')),
      { everyUpdates: 50, intervalMs: 60_000, keep: 5 },
      (e) => {
        throw e;
      },
    ),
  ];
  const documents = new LiveDocuments(store, settings, extensions);
  const authenticate: Authenticate =
    options.authenticate ??
    (async ({ params }) => ({
      userId: params.get('user') ?? 'tester',
      canWrite: params.get('role') !== 'viewer',
    }));
  const server = new CollabServer(
    () => documents,
    authenticate,
    settings,
    (e) => {
      throw e;
    },
  );
  extensions.push(server);
  const http: Server = createServer();
  server.attach(http);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/collab`;
  const providers: Array<{ doc: Y.Doc; provider: WebsocketProvider }> = [];

  return {
    url,
    store,
    documents,
    server,
    async createPlan() {
      const planId = randomUUID();
      await store.appendToStream(planStreamId(planId), [
        {
          id: randomUUID(),
          type: 'PlanCreated',
          data: { planId, title: 'Test plan', ownerId: 'tester' },
          metadata: { actor: 'tester', at: new Date().toISOString() },
        },
      ]);
      return planId;
    },
    provider(planId, params = {}) {
      const doc = new Y.Doc();
      const provider = new WebsocketProvider(url, planId, doc, {
        WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
        disableBc: true,
        params,
      });
      providers.push({ doc, provider });
      return { doc, provider };
    },
    async close() {
      for (const { provider, doc } of providers) {
        provider.awareness.destroy();
        provider.destroy();
        doc.destroy();
      }
      await server.close();
      await documents.unloadAll();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export { eventually } from '../../../test/support/clients';
