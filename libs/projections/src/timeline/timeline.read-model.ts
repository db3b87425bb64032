/** Queries over the timeline read model. */
import type { ReadModelStore } from '../store/read-model-store.port';
import type { BaselineCapturedData } from './baseline-captured';
import type { Timeline } from './timeline';
import { actualCosts, latestBaseline, type RecordedActualCost } from './timeline.projection';

export interface TimelineView extends Timeline {
  readonly planId: string;
  /** stream version and global position of the plan's last projected event: the timeline is as of then */
  readonly version: number;
  readonly position: number;
  /** time of that event */
  readonly updatedAt: string;
}

export interface BaselineListItem {
  readonly baselineId: string;
  readonly name: string;
  readonly capturedAt: string;
  readonly planStart: string;
  readonly projectFinish: string;
  readonly position: number;
}

export class TimelineReadModel {
  constructor(private readonly store: ReadModelStore) {}

  /** undefined when no event of the plan has been projected */
  async timeline(planId: string): Promise<TimelineView | undefined> {
    const [row] = await this.store.all<{
      version: number;
      position: number;
      updated_at: string;
      timeline: string;
    }>('SELECT version, position, updated_at, timeline FROM timeline_plans WHERE plan_id = ?', [
      planId,
    ]);
    if (!row) return undefined;
    const timeline = JSON.parse(row.timeline) as Timeline;
    return {
      planId,
      version: row.version,
      position: row.position,
      updatedAt: row.updated_at,
      ...timeline,
    };
  }

  /** the baseline slippage and earned value are measured against, if any */
  async latestBaseline(planId: string): Promise<BaselineCapturedData | undefined> {
    return latestBaseline(this.store, planId);
  }

  /** costs booked against the plan's tasks, oldest first */
  async actualCosts(planId: string): Promise<RecordedActualCost[]> {
    return actualCosts(this.store, planId);
  }

  /** every baseline of the plan with its activities' dates, oldest first */
  async baselineData(planId: string): Promise<BaselineCapturedData[]> {
    const rows = await this.store.all<{ baseline: string }>(
      'SELECT baseline FROM timeline_baselines WHERE plan_id = ? ORDER BY position',
      [planId],
    );
    return rows.map((row) => JSON.parse(row.baseline) as BaselineCapturedData);
  }

  /** every baseline of the plan, oldest first; the last one is what slippage is measured against */
  async baselines(planId: string): Promise<BaselineListItem[]> {
    const rows = await this.store.all<{ position: number; baseline: string }>(
      'SELECT position, baseline FROM timeline_baselines WHERE plan_id = ? ORDER BY position',
      [planId],
    );
    return rows.map((row) => {
      const baseline = JSON.parse(row.baseline) as BaselineCapturedData;
      return {
        baselineId: baseline.baselineId,
        name: baseline.name,
        capturedAt: baseline.capturedAt,
        planStart: baseline.planStart,
        projectFinish: baseline.projectFinish,
        position: row.position,
      };
    });
  }
}
