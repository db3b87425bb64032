/**
 * The risk register of a plan as of a given day: scores, levels, heat map, counts, overdue
 * reviews against `today`, critical-path links and the exposure trend, computed at read time
 * from the stored risks and daily snapshots.
 */
import {
  buildRiskRegister,
  epochDayOf,
  type RiskInput,
  type RiskRegister,
  type RiskSnapshot,
} from '@lib/plan-domain';
import type { ReadModelStore } from '../store/read-model-store.port';

export interface RiskRegisterView extends RiskRegister {
  readonly planId: string;
  /** stream version and global position of the plan's last projected event: the register is as of then */
  readonly version: number;
  readonly position: number;
  readonly updatedAt: string;
}

export interface RiskRegisterQuery {
  /** YYYY-MM-DD: reviews before it are overdue; the trend runs up to it */
  readonly today: string;
}

export class RiskRegisterReadModel {
  constructor(private readonly store: ReadModelStore) {}

  /** undefined when no event of the plan has been projected; throws InvalidIsoDateError for a bad `today` */
  async riskRegister(
    planId: string,
    query: RiskRegisterQuery,
  ): Promise<RiskRegisterView | undefined> {
    const [row] = await this.store.all<{
      version: number;
      position: number;
      updated_at: string;
      risks: string;
      critical_task_ids: string;
    }>(
      'SELECT version, position, updated_at, risks, critical_task_ids FROM risk_register_plans WHERE plan_id = ?',
      [planId],
    );
    if (!row) return undefined;
    const risks = JSON.parse(row.risks) as RiskInput[];
    const days = await this.store.all<{ day: string; at: string; risks: string }>(
      'SELECT day, at, risks FROM risk_register_exposure_days WHERE plan_id = ? AND day <= ? ORDER BY day',
      [planId, query.today],
    );
    const snapshots: RiskSnapshot[] = days.map((d) => ({
      at: d.at,
      risks: JSON.parse(d.risks) as RiskSnapshot['risks'],
    }));
    // carry the current exposure up to today, so the chart's last point is today's
    const lastDay = days[days.length - 1]?.day;
    if (epochDayOf(query.today) !== null && lastDay !== undefined && lastDay < query.today) {
      snapshots.push({ at: `${query.today}T00:00:00.000Z`, risks });
    }
    const register = buildRiskRegister(risks, {
      today: query.today,
      criticalTaskIds: JSON.parse(row.critical_task_ids) as string[],
      snapshots,
    });
    return {
      planId,
      version: row.version,
      position: row.position,
      updatedAt: row.updated_at,
      ...register,
    };
  }
}
