/**
 * The risk fields scoring and the register read. Kept minimal so the register can be fed from
 * the plan document, a REST body or a historical snapshot alike.
 */
import type { IsoDate } from '../scheduling/calendar-days';

export const RISK_STATUSES = ['open', 'mitigated', 'closed'] as const;
export type RiskStatus = (typeof RISK_STATUSES)[number];

export interface RiskInput {
  readonly id: string;
  readonly title?: string;
  readonly category?: string;
  readonly owner?: string;
  readonly response?: string;
  /** 1–5. */
  readonly probability: number;
  /** 1–5. */
  readonly impact: number;
  readonly status: RiskStatus;
  readonly reviewDate?: IsoDate | null;
  readonly linkedTaskIds?: readonly string[];
}

/** The risks as they stood at one moment, e.g. after an event was applied. */
export interface RiskSnapshot {
  /** ISO timestamp. */
  readonly at: string;
  readonly risks: readonly Pick<RiskInput, 'probability' | 'impact' | 'status'>[];
}
