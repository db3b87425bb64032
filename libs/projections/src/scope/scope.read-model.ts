/** Queries over the scope read model: a plan's scope change against its latest baseline. */
import {
  buildScopeReport,
  type ScopeChangeRecord,
  type ScopeItem,
  type ScopeReport,
} from '@lib/plan-domain';
import type { ReadModelStore } from '../store/read-model-store.port';
import type { ScopeRow, StoredScopeBaseline } from './scope.projection';

export type ScopeView =
  | ({
      readonly planId: string;
      readonly version: number;
      readonly position: number;
      readonly hasBaseline: true;
    } & ScopeReport)
  | {
      readonly planId: string;
      readonly version: number;
      readonly position: number;
      readonly hasBaseline: false;
      readonly items: readonly ScopeItem[];
    };

export class ScopeReadModel {
  constructor(private readonly store: ReadModelStore) {}

  /** undefined when no event of the plan has been projected */
  async scope(planId: string, thresholdPercent: number): Promise<ScopeView | undefined> {
    const [row] = await this.store.all<ScopeRow>('SELECT * FROM scope_plans WHERE plan_id = ?', [
      planId,
    ]);
    if (!row) return undefined;
    const items = JSON.parse(row.items) as ScopeItem[];
    const head = { planId, version: row.version, position: row.position };
    if (!row.baseline) return { ...head, hasBaseline: false, items };
    const { planStart: _planStart, ...baseline } = JSON.parse(row.baseline) as StoredScopeBaseline;
    const changes = await this.store.all<{ change: string }>(
      'SELECT change FROM scope_changes WHERE plan_id = ? AND position > ? ORDER BY position, seq',
      [planId, row.baseline_position],
    );
    const report = buildScopeReport({
      baseline,
      items,
      projectFinish: row.project_finish || null,
      changes: changes.map((c) => JSON.parse(c.change) as ScopeChangeRecord),
      thresholdPercent,
    });
    return { ...head, hasBaseline: true, ...report };
  }
}
