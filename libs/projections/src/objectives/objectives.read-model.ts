/** Queries over the objectives read model: KPI status as of a day, and the raw measurements. */
import { objectivesStatus, type KpiMeasurement, type ObjectivesStatus } from '@lib/plan-domain';
import type { ReadModelStore } from '../store/read-model-store.port';
import type { ObjectivesContent } from './objectives.projection';

export interface ObjectivesStatusView extends ObjectivesStatus {
  readonly planId: string;
  readonly version: number;
  readonly position: number;
}

export class ObjectivesReadModel {
  constructor(private readonly store: ReadModelStore) {}

  /** undefined when no event of the plan has been projected; `today` is YYYY-MM-DD */
  async status(planId: string, today: string): Promise<ObjectivesStatusView | undefined> {
    const [row] = await this.store.all<{ version: number; position: number; content: string }>(
      'SELECT version, position, content FROM objectives_plans WHERE plan_id = ?',
      [planId],
    );
    if (!row) return undefined;
    const content = JSON.parse(row.content) as ObjectivesContent;
    const status = objectivesStatus({
      ...content,
      measurements: await this.measurements(planId),
      today,
    });
    return { planId, version: row.version, position: row.position, ...status };
  }

  /** every reading of the plan's KPIs, in the order they were recorded */
  async measurements(planId: string): Promise<KpiMeasurement[]> {
    const rows = await this.store.all<{ measurement: string }>(
      'SELECT measurement FROM objectives_measurements WHERE plan_id = ? ORDER BY position',
      [planId],
    );
    return rows.map((r) => JSON.parse(r.measurement) as KpiMeasurement);
  }
}
