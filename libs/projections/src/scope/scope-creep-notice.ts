/** What the scope read model tells listeners when a plan's scope grows past the threshold. */
export interface ScopeCreepNotice {
  readonly kind: 'scope-creep';
  readonly planId: string;
  readonly baselineId: string;
  readonly baselineName: string;
  readonly growthPercent: number;
  readonly thresholdPercent: number;
  /** time of the event that crossed the threshold */
  readonly at: string;
  readonly position: number;
}

/** SCOPE_CREEP_THRESHOLD_PERCENT's default: growth beyond a tenth of the baseline is creep. */
export const DEFAULT_SCOPE_CREEP_THRESHOLD_PERCENT = 10;
