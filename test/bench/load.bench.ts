/**
 * Cold load of a large plan: the CRM plan edited in 100k small updates (as y-websocket clients
 * send them, in sessions of 1 000 edits each with its own Yjs client), stored in SQLite. Three
 * ways to get its document, each from cold (a fresh LiveDocuments, nothing loaded):
 *   a. the server's load path from the snapshot written on unload, with an empty tail;
 *   b. the floor: `Y.applyUpdate(new Y.Doc(), state)` with the state already in memory;
 *   c. the server's load path without a snapshot: every stored update replayed.
 * Goals: a ≤ 2× b, and c / a ≥ 20.
 *
 *   npm run bench:load [-- --updates 100000 --repeat 15]
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as Y from 'yjs';
import {
  DEFAULT_COLLAB_SETTINGS,
  LiveDocuments,
  planStreamId,
  planUpdatedEvent,
  SnapshotExtension,
  SqliteSnapshotStore,
  type CollabExtension,
  type LoadedPayload,
} from '@lib/collab';
import { SqliteEventStore, type EventStore, type NewEvent } from '@lib/event-store';
import { PlanDoc } from '@lib/plan-domain';
import { machineLine, printTable, progress, saveRaw, type Row } from './bench-report';
import { CrmPlanEditor, lcg } from './crm-plan-edits';

const { values: args } = parseArgs({
  options: {
    updates: { type: 'string', default: '100000' },
    /** timed loads per way (the replay gets a third of them, at least 2) */
    repeat: { type: 'string', default: '15' },
  },
});
const UPDATES = Number(args.updates);
const REPEAT = Number(args.repeat);
const SESSION_EDITS = 1000;
const APPEND_BATCH = 1000;

/** writes PlanCreated and UPDATES - 1 PlanUpdated events; returns the final document state */
async function writePlan(store: EventStore, planId: string): Promise<Uint8Array> {
  const random = lcg(7);
  let minute = 0;
  const metadata = () => ({
    actor: ['maria', 'ken', 'ana'][minute % 3],
    at: new Date(Date.UTC(2027, 1, 1) + minute++ * 60_000).toISOString(),
  });
  let pending: NewEvent[] = [
    {
      id: randomUUID(),
      type: 'PlanCreated',
      data: { planId, title: 'CRM rollout', ownerId: 'maria' },
      metadata: metadata(),
    },
  ];
  const flush = async () => {
    // the last batch may already have gone out when the count was reached inside the loop
    if (pending.length === 0) return;
    await store.appendToStream(planStreamId(planId), pending);
    pending = [];
  };
  let state: Uint8Array = new Uint8Array([0, 0]);
  /** events written; an edit that changes nothing (the same value again) makes no update */
  let written = 1;
  for (let session = 0; written < UPDATES; session++) {
    // a user opens the plan (a new Yjs client), edits for a while and leaves
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state);
    doc.on('update', (update: Uint8Array) => {
      pending.push(planUpdatedEvent(update, metadata()));
      written += 1;
    });
    const editor = new CrmPlanEditor(new PlanDoc(doc), random);
    if (session === 0) editor.importPlan(doc);
    for (let i = 0; i < SESSION_EDITS && written < UPDATES; i++) {
      editor.edit(written);
      if (pending.length >= APPEND_BATCH) await flush();
    }
    state = Y.encodeStateAsUpdate(doc);
    doc.destroy();
    if (session % 10 === 0) progress(`${written} / ${UPDATES} events written`);
  }
  await flush();
  return state;
}

/** reports each load's starting point, so a figure never silently measures the wrong path */
class LoadProbe implements CollabExtension {
  last: Pick<LoadedPayload, 'startedFrom' | 'tailEvents'> | undefined;
  afterLoadDocument({ startedFrom, tailEvents }: LoadedPayload): void {
    this.last = { startedFrom, tailEvents };
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** one cold load through a fresh LiveDocuments; the document is unloaded again afterwards */
async function timeLoad(
  store: EventStore,
  planId: string,
  extensions: CollabExtension[],
): Promise<{ ms: number; loaded: LoadedPayload['startedFrom']; tailEvents: number }> {
  const probe = new LoadProbe();
  const documents = new LiveDocuments(store, { ...DEFAULT_COLLAB_SETTINGS, idleUnloadMs: 0 }, [
    ...extensions,
    probe,
  ]);
  const started = performance.now();
  const document = await documents.acquire(planId);
  const ms = performance.now() - started;
  documents.release(document);
  // idleUnloadMs 0: the unload timer fires on the next turn; wait until it has
  while (documents.loadedCount > 0) await sleep(1);
  return { ms, loaded: probe.last!.startedFrom, tailEvents: probe.last!.tailEvents };
}

function median(samples: readonly number[]): number {
  const sorted = [...samples].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-load-'));
  const store = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
  const snapshots = new SqliteSnapshotStore(join(dir, 'snapshots.sqlite'));
  // never written to by a timer here: the one snapshot is written on the first unload below
  const snapshotExtension = new SnapshotExtension(
    snapshots,
    { everyUpdates: Number.MAX_SAFE_INTEGER, intervalMs: 3_600_000, keep: 1 },
    (error) => {
      throw error;
    },
  );
  try {
    const planId = randomUUID();
    const finalState = await writePlan(store, planId);
    /** events in the stream now: the first load may append one (a plan-schema migration) */
    const eventsStored = async () => (await store.streamVersion(planStreamId(planId))) + 1;

    const replayMs: number[] = [];
    let stored = 0;
    for (let i = 0; i < Math.max(2, Math.ceil(REPEAT / 3)); i++) {
      progress(`full replay ${i + 1}`);
      stored = await eventsStored();
      const replay = await timeLoad(store, planId, []);
      if (replay.loaded !== 'events' || replay.tailEvents !== stored)
        throw new Error(`replay read ${replay.tailEvents} of ${stored} events`);
      replayMs.push(replay.ms);
    }

    // a replay through the snapshot extension writes the snapshot when it unloads
    const first = await timeLoad(store, planId, [snapshotExtension]);
    if (first.loaded !== 'events') throw new Error('a snapshot existed before the first unload');
    const snapshot = await snapshots.latest(planId);
    if (!snapshot) throw new Error('no snapshot was written on unload');

    const snapshotMs: number[] = [];
    for (let i = 0; i < REPEAT; i++) {
      const load = await timeLoad(store, planId, [snapshotExtension]);
      if (load.loaded !== 'snapshot' || load.tailEvents !== 0)
        throw new Error(`load from ${load.loaded} with ${load.tailEvents} tail events`);
      snapshotMs.push(load.ms);
    }

    const applyMs: number[] = [];
    for (let i = 0; i < REPEAT; i++) {
      const started = performance.now();
      const doc = new Y.Doc();
      Y.applyUpdate(doc, snapshot.state);
      applyMs.push(performance.now() - started);
      doc.destroy();
    }

    const a = median(snapshotMs);
    const b = median(applyMs);
    const c = median(replayMs);
    const ms = (value: number) => value.toFixed(value < 10 ? 2 : 1);
    const rows: Row[] = [
      {
        way: 'a. server load path: snapshot + empty tail',
        'median ms': ms(a),
        'min ms': ms(Math.min(...snapshotMs)),
        loads: snapshotMs.length,
        'vs b': `${(a / b).toFixed(2)}× (goal ≤ 2×)`,
        'c / this': `${(c / a).toFixed(1)} (goal ≥ 20)`,
      },
      {
        way: 'b. Y.applyUpdate(new Y.Doc(), state as update)',
        'median ms': ms(b),
        'min ms': ms(Math.min(...applyMs)),
        loads: applyMs.length,
        'vs b': '1.00×',
        'c / this': (c / b).toFixed(1),
      },
      {
        way: `c. server load path: replay of all ${stored} events`,
        'median ms': ms(c),
        'min ms': ms(Math.min(...replayMs)),
        loads: replayMs.length,
        'vs b': `${(c / b).toFixed(1)}×`,
        'c / this': '1.0',
      },
    ];
    printTable(
      `Cold load of one plan of ${stored} events (CRM plan, small edits in sessions of ${SESSION_EDITS}), SQLite; state ${(snapshot.state.byteLength / 1024).toFixed(0)} KiB (final document ${(finalState.byteLength / 1024).toFixed(0)} KiB) — ${machineLine()}`,
      rows,
    );
    saveRaw(
      'load',
      rows.map((row) => ({ ...row, events: stored, stateBytes: snapshot.state.byteLength })),
    );
  } finally {
    await snapshotExtension.destroy();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
