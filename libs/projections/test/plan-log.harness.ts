/**
 * Writes realistic plan streams for projection specs: plans are edited through PlanDoc on a
 * Y.Doc, and each edit is appended as a PlanUpdated holding exactly the Yjs delta it made
 * (Y.encodeStateAsUpdate against the state vector before it), as the collab write path does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import { SqliteEventStore, type AppendResult, type EventStore, type JsonObject } from '@lib/event-store';
import { PlanDoc } from '@lib/plan-domain';
import {
  PLAN_UPDATED,
  planStreamId,
  Projections,
  SqliteReadModelStore,
  type ProjectionsOptions,
  type ReadModelStore,
  type SqlSession,
} from '@lib/projections';

/** One plan's writer: its own Y.Doc, edited through PlanDoc, appended delta by delta. */
export class PlanWriter {
  readonly doc = new Y.Doc();
  readonly plan: PlanDoc;

  constructor(
    private readonly store: EventStore,
    readonly planId: string,
  ) {
    let n = 0;
    this.plan = new PlanDoc(this.doc, { newId: () => `${planId}-${++n}` });
  }

  /** PlanCreated plus the document's first content in one append, like `POST /plans`. */
  async create(actor: string, at: string, title: string, start = '2027-03-01'): Promise<AppendResult> {
    this.plan.setMeta({ title, start, owner: actor, status: 'draft', currency: 'EUR', budget: 0 });
    const metadata = { actor, at };
    return this.store.appendToStream(planStreamId(this.planId), [
      { id: randomUUID(), type: 'PlanCreated', data: { planId: this.planId, title, ownerId: actor }, metadata },
      { id: randomUUID(), type: PLAN_UPDATED, data: Y.encodeStateAsUpdate(this.doc), metadata },
    ]);
  }

  /** Runs `change` on the document and appends the Yjs delta it produced. */
  async edit(actor: string, at: string, change: (plan: PlanDoc) => void): Promise<AppendResult> {
    const before = Y.encodeStateVector(this.doc);
    change(this.plan);
    const update = Y.encodeStateAsUpdate(this.doc, before);
    return this.store.appendToStream(planStreamId(this.planId), [
      { id: randomUUID(), type: PLAN_UPDATED, data: update, metadata: { actor, at } },
    ]);
  }

  async json(type: string, data: JsonObject, actor: string, at: string): Promise<AppendResult> {
    return this.store.appendToStream(planStreamId(this.planId), [{ id: randomUUID(), type, data, metadata: { actor, at } }]);
  }

  /** position of the last append */
  static position(result: AppendResult): number {
    return result.events[result.events.length - 1].position;
  }
}

export interface ProjectionHarness {
  readonly dir: string;
  readonly store: SqliteEventStore;
  readonly readModelsFile: string;
  writer(planId: string): PlanWriter;
  /** a Projections over a read-model store on `file` (default: the harness' own file) */
  open(options?: ProjectionsOptions & { readonly file?: string }): Promise<Projections>;
  close(): Promise<void>;
}

/** A temp dir with a real SQLite event store; every Projections opened here is closed with it. */
export async function startProjectionHarness(): Promise<ProjectionHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'projections-'));
  const store = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
  const readModelsFile = join(dir, 'read-models.sqlite');
  const opened: { projections: Projections; readModels: ReadModelStore }[] = [];
  return {
    dir,
    store,
    readModelsFile,
    writer: (planId) => new PlanWriter(store, planId),
    open: async (options = {}) => {
      const readModels = new SqliteReadModelStore({ file: options.file ?? readModelsFile });
      const projections = new Projections(store, readModels, options);
      opened.push({ projections, readModels });
      await projections.init();
      return projections;
    },
    close: async () => {
      for (const { projections, readModels } of opened) {
        await projections.stop();
        await readModels.close();
      }
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every row of every read-model table, in primary-key order, for rebuild/restart comparisons. */
export async function dumpReadModels(readModels: Pick<SqlSession, 'all'>): Promise<Record<string, unknown[]>> {
  const tables: Record<string, string> = {
    projection_checkpoints: 'projection',
    projection_plan_versions: 'projection, plan_id',
    change_log_entries: 'position, seq',
    timeline_plans: 'plan_id',
    timeline_baselines: 'plan_id, baseline_id',
    risk_register_plans: 'plan_id',
    risk_register_exposure_days: 'plan_id, day',
    plan_summaries: 'plan_id',
  };
  const dump: Record<string, unknown[]> = {};
  for (const [table, order] of Object.entries(tables)) {
    dump[table] = await readModels.all(`SELECT * FROM ${table} ORDER BY ${order}`);
  }
  return dump;
}
