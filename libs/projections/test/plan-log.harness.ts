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
import {
  SqliteEventStore,
  type AppendResult,
  type EventStore,
  type JsonObject,
} from '@lib/event-store';
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

/**
 * DESIGN.md's scheduling example: A (5 d) and C (2 d) both finish-to-start into B (3 d), so A
 * and B are critical and C has 3 days of float.
 */
export function addCriticalPathExample(plan: PlanDoc): void {
  plan.addTask({ id: 'A', title: 'Design', durationDays: 5 });
  plan.addTask({ id: 'C', title: 'Content', durationDays: 2 });
  plan.addTask({
    id: 'B',
    title: 'Build',
    durationDays: 3,
    dependsOn: [
      { taskId: 'A', type: 'FS', lagDays: 0 },
      { taskId: 'C', type: 'FS', lagDays: 0 },
    ],
  });
}

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
  async create(
    actor: string,
    at: string,
    title: string,
    start = '2027-03-01',
  ): Promise<AppendResult> {
    this.plan.setMeta({ title, start, owner: actor, status: 'draft', currency: 'EUR', budget: 0 });
    const metadata = { actor, at };
    return this.store.appendToStream(planStreamId(this.planId), [
      {
        id: randomUUID(),
        type: 'PlanCreated',
        data: { planId: this.planId, title, ownerId: actor },
        metadata,
      },
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
    return this.store.appendToStream(planStreamId(this.planId), [
      { id: randomUUID(), type, data, metadata: { actor, at } },
    ]);
  }

  /** position of the last append */
  static position(result: AppendResult): number {
    return result.events[result.events.length - 1].position;
  }
}

export interface ProjectionHarness {
  readonly dir: string;
  readonly store: EventStore;
  writer(planId: string): PlanWriter;
  /**
   * A Projections over a read-model store: the harness' own by default, or a SQLite file of
   * its own under the temp dir (`file`) to compare against.
   */
  open(options?: ProjectionsOptions & { readonly file?: string }): Promise<Projections>;
  close(): Promise<void>;
}

export interface ProjectionHarnessOptions {
  /** default: SQLite in the temp dir */
  readonly store?: EventStore;
  /** the harness' own read-model store, opened anew for every open(); default: SQLite in the temp dir */
  readonly readModels?: () => ReadModelStore;
}

/** A temp dir with a real event store; every Projections opened here is closed with it. */
export async function startProjectionHarness(
  options: ProjectionHarnessOptions = {},
): Promise<ProjectionHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'projections-'));
  const store = options.store ?? new SqliteEventStore({ file: join(dir, 'events.sqlite') });
  const ownReadModels =
    options.readModels ??
    (() => new SqliteReadModelStore({ file: join(dir, 'read-models.sqlite') }));
  const opened: { projections: Projections; readModels: ReadModelStore }[] = [];
  return {
    dir,
    store,
    writer: (planId) => new PlanWriter(store, planId),
    open: async (openOptions = {}) => {
      const readModels = openOptions.file
        ? new SqliteReadModelStore({ file: join(dir, openOptions.file) })
        : ownReadModels();
      const projections = new Projections(store, readModels, openOptions);
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

/**
 * Every row of every read-model table, sorted by primary key in code-unit order (not by SQL,
 * whose collation differs between SQLite and PostgreSQL), for rebuild/restart comparisons.
 */
export async function dumpReadModels(
  readModels: Pick<SqlSession, 'all'>,
): Promise<Record<string, unknown[]>> {
  const keys: Record<string, readonly string[]> = {
    projection_checkpoints: ['projection'],
    projection_plan_versions: ['projection', 'plan_id'],
    change_log_entries: ['position', 'seq'],
    timeline_plans: ['plan_id'],
    timeline_baselines: ['plan_id', 'baseline_id'],
    risk_register_plans: ['plan_id'],
    risk_register_exposure_days: ['plan_id', 'day'],
    plan_summaries: ['plan_id'],
    comments: ['plan_id', 'comment_id'],
    objectives_plans: ['plan_id'],
    objectives_measurements: ['plan_id', 'position'],
    scope_plans: ['plan_id'],
    scope_changes: ['plan_id', 'position', 'seq'],
    resources_plans: ['plan_id'],
    status_plans: ['plan_id'],
    status_fact_changes: ['plan_id', 'position', 'seq'],
    stakeholder_updates: ['plan_id', 'position', 'stakeholder_id'],
  };
  const dump: Record<string, unknown[]> = {};
  for (const [table, key] of Object.entries(keys)) {
    const rows = await readModels.all<Record<string, unknown>>(`SELECT * FROM ${table}`);
    dump[table] = rows
      .map((row) => ({ ...row }))
      .sort((a, b) => {
        for (const column of key) {
          const [x, y] = [a[column] as string | number, b[column] as string | number];
          if (x !== y) return x < y ? -1 : 1;
        }
        return 0;
      });
  }
  return dump;
}
