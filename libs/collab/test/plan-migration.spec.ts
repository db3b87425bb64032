/**
 * Loading a plan stored in the old layout (plain lists) migrates it with one ordinary
 * PlanUpdated, also when two nodes load it at the same moment.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SQLITE_EVENTS_FILE, SqliteEventStore } from '@lib/event-store';
import {
  PLAN_SCHEMA_VERSION,
  PLAN_UPDATED,
  PlanDoc,
  planSchemaVersion,
  planStreamId,
} from '@lib/plan-domain';
import * as Y from 'yjs';
import { DEFAULT_COLLAB_SETTINGS, LiveDocuments } from '@lib/collab';

describe('plan layout migration on load', () => {
  let dataDir: string;
  let store: SqliteEventStore;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'plan-migration-'));
    store = new SqliteEventStore({ file: join(dataDir, SQLITE_EVENTS_FILE) });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function oldShapePlan(): Promise<string> {
    const planId = randomUUID();
    const doc = new Y.Doc();
    doc.transact(() => {
      const task = new Y.Map<unknown>();
      doc.getMap('tasks').set('t', task);
      task.set('title', 'Build');
      task.set('durationDays', 2);
      task.set('assignees', ['ana', 'ben']);
    });
    const metadata = { actor: 'ana', at: '2026-01-01T00:00:00.000Z' };
    await store.appendToStream(planStreamId(planId), [
      {
        id: randomUUID(),
        type: 'PlanCreated',
        data: { planId, title: 'Old', ownerId: 'ana' },
        metadata,
      },
      { id: randomUUID(), type: PLAN_UPDATED, data: Y.encodeStateAsUpdate(doc), metadata },
    ]);
    doc.destroy();
    return planId;
  }

  it('given an old-shape plan, when two nodes load it at once, then exactly one migration is stored and both read it', async () => {
    const planId = await oldShapePlan();
    const nodes = [0, 1].map(() => new LiveDocuments(store, DEFAULT_COLLAB_SETTINGS, []));

    const loaded = await Promise.all(nodes.map((node) => node.acquire(planId)));

    const events = await store.readStream(planStreamId(planId));
    expect(events.map((e) => e.metadata.migration)).toEqual([
      undefined,
      undefined,
      `plan-schema-${PLAN_SCHEMA_VERSION}`,
    ]);
    for (const document of loaded) {
      expect(document.version).toBe(2);
      expect(planSchemaVersion(document.doc)).toBe(PLAN_SCHEMA_VERSION);
      expect(new PlanDoc(document.doc).get('tasks', 't')?.assignees).toEqual(['ana', 'ben']);
      expect(
        (document.doc.getMap('tasks').get('t') as Y.Map<unknown>).get('assignees'),
      ).toBeInstanceOf(Y.Map);
    }
    for (const node of nodes) await node.unloadAll();

    // loaded again later: already current, nothing appended
    const again = new LiveDocuments(store, DEFAULT_COLLAB_SETTINGS, []);
    await again.acquire(planId);
    expect(await store.streamVersion(planStreamId(planId))).toBe(2);
    await again.unloadAll();
  });
});
