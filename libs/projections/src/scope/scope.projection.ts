/**
 * Projects the scope read model: per plan, its latest baseline's tasks and milestones (as the
 * document held them when BaselineCaptured was appended), its current ones and finish, and,
 * after a baseline, one row per item an event added, removed or re-estimated, with the actor.
 * Before a plan has a baseline nothing is attributed, so documents are only compared event by
 * event for plans that have one.
 *
 * When a batch takes a plan's growth past the threshold (it was at or below it before), a
 * scope-creep notice goes to listeners; dropping back below re-arms it.
 */
import type { RecordedEvent } from '@lib/event-store';
import {
  buildScopeReport,
  computeSchedule,
  epochDayOfInstant,
  isoDateOfEpochDay,
  scopeChangesBetween,
  scopeItemsOf,
  type ScopeBaseline,
  type ScopeItem,
} from '@lib/plan-domain';
import type { PlanDocuments } from '../projector/plan-documents';
import type { ProjectedChanges, Projection } from '../projector/projection';
import { yjsUpdateOf, type PlanEvent } from '../plan-stream';
import { rowJson } from '../row-json';
import type { SqlSession } from '../store/read-model-store.port';
import { BASELINE_CAPTURED, parseBaselineCaptured } from '../timeline/baseline-captured';
import { planScheduleInput } from '../timeline/plan-schedule';
import { DEFAULT_SCOPE_CREEP_THRESHOLD_PERCENT, type ScopeCreepNotice } from './scope-creep-notice';

export const SCOPE_TABLES = ['scope_plans', 'scope_changes'] as const;

const DDL: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS scope_plans (
    plan_id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    position BIGINT NOT NULL,
    updated_at TEXT NOT NULL,
    first_event_at TEXT NOT NULL,
    baseline TEXT NOT NULL,
    baseline_position BIGINT NOT NULL,
    items TEXT NOT NULL,
    project_finish TEXT NOT NULL,
    creep INTEGER NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS scope_changes (
    plan_id TEXT NOT NULL,
    position BIGINT NOT NULL,
    seq INTEGER NOT NULL,
    change TEXT NOT NULL,
    PRIMARY KEY (plan_id, position, seq)
  )`,
];

export interface ScopeRow {
  version: number;
  position: number;
  updated_at: string;
  first_event_at: string;
  /** ScopeBaseline & {planStart} as JSON, '' before the first baseline */
  baseline: string;
  baseline_position: number;
  items: string;
  project_finish: string;
  creep: number;
}

/** What the projection keeps of a baseline: its items, and the day 0 its dates were computed from. */
export interface StoredScopeBaseline extends ScopeBaseline {
  readonly planStart: string;
}

interface PlanState {
  row: ScopeRow | undefined;
  baseline: StoredScopeBaseline | undefined;
  baselinePosition: number;
  firstEventAt: string;
  last: RecordedEvent;
  recompute: boolean;
}

export class ScopeProjection implements Projection {
  readonly readModel = 'scope' as const;
  readonly version = 1;
  readonly ddl = DDL;
  readonly tables = SCOPE_TABLES;

  constructor(readonly thresholdPercent: number = DEFAULT_SCOPE_CREEP_THRESHOLD_PERCENT) {}

  async project(
    events: readonly PlanEvent[],
    documents: PlanDocuments,
    session: SqlSession,
  ): Promise<ProjectedChanges> {
    const plans = new Map<string, PlanState>();
    for (const planEvent of events) {
      const { planId, event } = planEvent;
      let state = plans.get(planId);
      if (!state) {
        const [row] = await session.all<ScopeRow>('SELECT * FROM scope_plans WHERE plan_id = ?', [
          planId,
        ]);
        state = {
          row,
          baseline: row?.baseline ? (JSON.parse(row.baseline) as StoredScopeBaseline) : undefined,
          baselinePosition: row?.baseline_position ?? 0,
          firstEventAt: row?.first_event_at ?? textOf(event.metadata.at),
          last: event,
          recompute: !row,
        };
        plans.set(planId, state);
      }
      state.last = event;
      const update = yjsUpdateOf(event) !== undefined;
      if (update && state.baseline) {
        const before = scopeItemsOf(documents.plan(planId));
        documents.apply(planEvent);
        const records = scopeChangesBetween(before, scopeItemsOf(documents.plan(planId)), {
          at: textOf(event.metadata.at),
          actor: textOf(event.metadata.actor),
          version: event.version,
        });
        await session.insertMany(
          'scope_changes',
          ['plan_id', 'position', 'seq', 'change'],
          records.map((record, seq) => [planId, event.position, seq, rowJson(record)]),
          'ON CONFLICT (plan_id, position, seq) DO NOTHING',
        );
      } else documents.apply(planEvent);
      state.recompute ||= update;
      if (event.type === BASELINE_CAPTURED) {
        const parsed = parseBaselineCaptured(event);
        if (parsed.ok) {
          const { baselineId, name, capturedAt, projectFinish, planStart } = parsed.baseline;
          state.baseline = {
            baselineId,
            name,
            capturedAt,
            projectFinish,
            planStart,
            items: scopeItemsOf(documents.plan(planId)),
          };
          state.baselinePosition = event.position;
          state.recompute = true;
        }
      }
    }

    const changed: string[] = [];
    const notices: ScopeCreepNotice[] = [];
    for (const [planId, state] of plans) {
      const { row, baseline, last } = state;
      let items = row?.items ?? rowJson([]);
      let projectFinish = row?.project_finish ?? '';
      let creep = row?.creep ?? 0;
      if (state.recompute) {
        const plan = documents.plan(planId);
        const current: ScopeItem[] = scopeItemsOf(plan);
        items = rowJson(current);
        // the baseline's own day 0, so its finish and today's are measured alike; before a
        // baseline, the timeline's (the day of the plan's first event)
        const firstDay = epochDayOfInstant(state.firstEventAt);
        const fallbackStart =
          baseline?.planStart || (firstDay === null ? '1970-01-01' : isoDateOfEpochDay(firstDay));
        projectFinish = computeSchedule(
          planScheduleInput(plan, { fallbackStart }).input,
        ).projectFinish;
        if (baseline) {
          const report = buildScopeReport({
            baseline,
            items: current,
            projectFinish,
            changes: [],
            thresholdPercent: this.thresholdPercent,
          });
          const crossed = report.creepDetected ? 1 : 0;
          if (crossed && !creep) {
            notices.push({
              kind: 'scope-creep',
              planId,
              baselineId: baseline.baselineId,
              baselineName: baseline.name,
              growthPercent: report.growthPercent,
              thresholdPercent: this.thresholdPercent,
              at: textOf(last.metadata.at),
              position: last.position,
            });
          }
          creep = crossed;
        }
      }
      const baselineJson = baseline ? rowJson(baseline) : '';
      await session.run(
        `INSERT INTO scope_plans (plan_id, version, position, updated_at, first_event_at, baseline, baseline_position, items, project_finish, creep)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (plan_id) DO UPDATE SET version = excluded.version, position = excluded.position, updated_at = excluded.updated_at,
           baseline = excluded.baseline, baseline_position = excluded.baseline_position, items = excluded.items,
           project_finish = excluded.project_finish, creep = excluded.creep`,
        [
          planId,
          last.version,
          last.position,
          textOf(last.metadata.at),
          state.firstEventAt,
          baselineJson,
          state.baselinePosition,
          items,
          projectFinish,
          creep,
        ],
      );
      if (
        !row ||
        row.items !== items ||
        row.baseline !== baselineJson ||
        row.project_finish !== projectFinish
      )
        changed.push(planId);
    }
    return { planIds: changed.sort(), entries: [], notices };
  }
}

const textOf = (value: unknown): string => (typeof value === 'string' ? value : '');
