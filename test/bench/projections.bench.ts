/**
 * Read-model rebuild speed: a log of ~10k PlanUpdated events (five copies of the CRM plan,
 * each edited 2 000 times: progress, durations, risk scores, KPI values, renames) rebuilt into
 * each read model from position 0, next to the reference measured in the same run, before and
 * after the rebuilds (warm): the bare Y.applyUpdate of the same updates into one Y.Doc per
 * plan, with and without reading the log. The first rows time PlanDoc calls, each checked
 * against the plan before it is applied, as a REST command is: the edits that wrote the log,
 * and task adds to a scratch copy of the CRM plan.
 *
 *   node -r ts-node/register/transpile-only -r tsconfig-paths/register test/bench/projections.bench.ts [--plans 5 --edits 2000 --updates diff|observed]
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as Y from 'yjs';
import {
  SqliteEventStore,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
} from '@lib/event-store';
import { PlanDoc } from '@lib/plan-domain';
import {
  PLAN_STREAMS,
  planIdOfStream,
  planStreamId,
  Projections,
  READ_MODELS,
  SqliteReadModelStore,
  yjsUpdateOf,
} from '@lib/projections';
import { crmPlan, CrmPlanEditor, lcg } from './crm-plan-edits';
import { machineLine, printTable, progress, saveRaw, type Row } from './bench-report';

const { values: args } = parseArgs({
  options: {
    plans: { type: 'string', default: '5' },
    edits: { type: 'string', default: '2000' },
    // diff: Y.encodeStateAsUpdate against the state vector before the edit (the REST command
    // path); observed: the doc's own 'update' event (what y-websocket clients send)
    updates: { type: 'string', default: 'diff' },
  },
});
const PLANS = Number(args.plans);
const EDITS = Number(args.edits);
const UPDATES = args.updates === 'observed' ? 'observed' : 'diff';
const APPEND_BATCH = 100;

/** the updates written, and the time the edits themselves took (validated PlanDoc edits) */
async function writeLog(store: EventStore): Promise<{ updates: number; editMs: number }> {
  const random = lcg(42);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  let updates = 0;
  let editMs = 0;
  for (let p = 0; p < PLANS; p++) {
    const planId = randomUUID();
    const doc = new Y.Doc();
    const editor = new CrmPlanEditor(new PlanDoc(doc), random);
    let minute = 0;
    const at = (): string => new Date(Date.UTC(2027, 1, 1) + minute++ * 600_000).toISOString();
    const pending: NewEvent[] = [];
    let observed: Uint8Array[] = [];
    doc.on('update', (update: Uint8Array) => observed.push(update));
    const edit = (change: () => void): void => {
      const before = Y.encodeStateVector(doc);
      observed = [];
      change();
      const update =
        UPDATES === 'diff' ? Y.encodeStateAsUpdate(doc, before) : Y.mergeUpdates(observed);
      pending.push({
        id: randomUUID(),
        type: 'PlanUpdated',
        data: update,
        metadata: { actor: pick(['maria', 'ken', 'ana']), at: at() },
      });
    };
    await store.appendToStream(planStreamId(planId), [
      {
        id: randomUUID(),
        type: 'PlanCreated',
        data: { planId, title: crmPlan.meta.title, ownerId: 'maria' },
        metadata: { actor: 'maria', at: at() },
      },
    ]);
    edit(() => editor.importPlan(doc));
    for (let i = 0; i < EDITS; i++) {
      edit(() => {
        const started = performance.now();
        editor.edit(i);
        editMs += performance.now() - started;
      });
      if (pending.length >= APPEND_BATCH)
        await store.appendToStream(planStreamId(planId), pending.splice(0));
    }
    if (pending.length > 0) await store.appendToStream(planStreamId(planId), pending.splice(0));
    updates += EDITS + 1;
    progress(`plan ${p + 1}/${PLANS} written`);
  }
  return { updates, editMs };
}

/** ms for `count` checked PlanDoc adds of a task to the CRM plan (on a scratch document) */
function timeTaskAdds(count: number): number {
  const doc = new Y.Doc();
  const plan = new PlanDoc(doc);
  new CrmPlanEditor(plan, lcg(7)).importPlan(doc);
  const started = performance.now();
  for (let i = 0; i < count; i++) plan.addTask({ title: `added ${i}`, durationDays: 2 });
  const ms = performance.now() - started;
  doc.destroy();
  return ms;
}

async function readLog(store: EventStore): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for (let from = 0; ;) {
    const page = await store.readAll({ fromPosition: from, maxCount: 5000, filter: PLAN_STREAMS });
    events.push(...page);
    if (page.length < 5000) return events;
    from = page[page.length - 1].position;
  }
}

function applyAll(events: readonly RecordedEvent[]): void {
  const docs = new Map<string, Y.Doc>();
  for (const event of events) {
    const update = yjsUpdateOf(event);
    if (!update) continue;
    const planId = planIdOfStream(event.streamId) as string;
    let doc = docs.get(planId);
    if (!doc) docs.set(planId, (doc = new Y.Doc()));
    Y.applyUpdate(doc, update);
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-projections-'));
  const store = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
  const readModels = new SqliteReadModelStore({ file: join(dir, 'read-models.sqlite') });
  try {
    const { updates, editMs } = await writeLog(store);
    const rate = (events: number, ms: number): number => Math.round((events * 1000) / ms);
    // what a REST command decides per edit: the change checked against the whole plan, then
    // written to the document (the log above was written through the same PlanDoc calls)
    const rows: Row[] = [
      {
        what: 'writing the log: PlanDoc edits (checked, then applied)',
        events: PLANS * EDITS,
        seconds: (editMs / 1000).toFixed(2),
        'events/s': rate(PLANS * EDITS, editMs),
      },
    ];
    const adds = 300;
    const addMs = timeTaskAdds(adds);
    rows.push({
      what: `PlanDoc task adds to the CRM plan, ${adds} in a row (checked, then applied)`,
      events: adds,
      seconds: (addMs / 1000).toFixed(2),
      'events/s': rate(adds, addMs),
    });

    const reference = async (when: string): Promise<void> => {
      let started = performance.now();
      const events = await readLog(store);
      const readMs = performance.now() - started;
      started = performance.now();
      applyAll(events);
      const applyMs = performance.now() - started;
      rows.push({
        what: `reference (${when}): Y.applyUpdate only`,
        events: events.length,
        seconds: (applyMs / 1000).toFixed(2),
        'events/s': rate(events.length, applyMs),
      });
      rows.push({
        what: `reference (${when}): readAll + Y.applyUpdate`,
        events: events.length,
        seconds: ((readMs + applyMs) / 1000).toFixed(2),
        'events/s': rate(events.length, readMs + applyMs),
      });
    };
    await reference('cold');
    const events = await store.headPosition();

    const projections = new Projections(store, readModels);
    await projections.init();
    let total = 0;
    for (const readModel of READ_MODELS) {
      progress(`rebuilding ${readModel}`);
      const [report] = await projections.rebuild(readModel);
      total += report.durationMs;
      rows.push({
        what: `rebuild ${readModel}`,
        events: report.events,
        seconds: (report.durationMs / 1000).toFixed(2),
        'events/s': rate(report.events, report.durationMs),
      });
    }
    rows.push({
      what: `the ${READ_MODELS.length} rebuilds, one after another`,
      events,
      seconds: (total / 1000).toFixed(2),
      'events/s': rate(events, total),
    });
    await reference('warm');
    printTable(
      `Read-model rebuild, SQLite, ${PLANS} plans × ${EDITS} edits (${updates} PlanUpdated, ${UPDATES} updates) — ${machineLine()}`,
      rows,
    );
    saveRaw('projections', rows);
  } finally {
    await readModels.close();
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
