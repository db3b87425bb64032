/**
 * The 5×5 probability × impact heat map. Cells are zero-based: `cells[probability - 1][impact - 1]`,
 * so row 0 is probability 1 and the last column is impact 5; {@link heatMapCount} reads it by
 * scale values to keep callers away from the off-by-one.
 */
import type { RiskInput, RiskStatus } from './risk.model';
import { isOnRiskScale } from './risk-score';

export type HeatMap = readonly (readonly number[])[];

/** Counts risks with one of `statuses` (open only by default); off-scale risks are left out. */
export function buildHeatMap(
  risks: readonly Pick<RiskInput, 'probability' | 'impact' | 'status'>[],
  statuses: readonly RiskStatus[] = ['open'],
): HeatMap {
  const cells = Array.from({ length: 5 }, () => new Array<number>(5).fill(0));
  for (const risk of risks) {
    if (!statuses.includes(risk.status)) continue;
    if (!isOnRiskScale(risk.probability) || !isOnRiskScale(risk.impact)) continue;
    cells[risk.probability - 1][risk.impact - 1]++;
  }
  return cells;
}

/** The count at scale values (1–5 each); 0 outside the scale. */
export function heatMapCount(heatMap: HeatMap, probability: number, impact: number): number {
  return heatMap[probability - 1]?.[impact - 1] ?? 0;
}
