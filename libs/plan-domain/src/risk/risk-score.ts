/**
 * Risk scoring: score = probability × impact on 1–5 scales, and the level band of a score.
 *
 *   riskScore({ probability: 4, impact: 5 }) === 20;  riskLevel(20) === 'critical'
 */
import type { RiskInput } from './risk.model';

export const RISK_LEVELS = ['low', 'medium', 'high', 'critical'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** Whether a probability or impact is one of the five points of the scale. */
export function isOnRiskScale(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 5;
}

export function riskScore(risk: Pick<RiskInput, 'probability' | 'impact'>): number {
  return risk.probability * risk.impact;
}

/**
 * Bands 1–4 low, 5–9 medium, 10–16 high, 20–25 critical. Products of two 1–5 values never
 * reach 17–19, but bands are upper bounds so every number lands somewhere: anything above 16
 * is critical, and anything not above 4 (including NaN from a missing field) is low.
 */
export function riskLevel(score: number): RiskLevel {
  if (!(score > 4)) return 'low';
  if (score <= 9) return 'medium';
  if (score <= 16) return 'high';
  return 'critical';
}
