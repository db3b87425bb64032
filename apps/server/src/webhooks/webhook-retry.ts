/** When a failed delivery is tried again: exponential backoff with a ceiling. */

export interface RetryPolicy {
  /** failed attempts after which the delivery is dead-lettered */
  readonly maxAttempts: number;
  readonly baseMs: number;
  readonly maxMs: number;
}

/** delay after the `failedAttempts`-th failure (1 → base, 2 → 2·base, 3 → 4·base …), capped */
export function retryDelayMs(policy: RetryPolicy, failedAttempts: number): number {
  const exponent = Math.max(0, failedAttempts - 1);
  // 2^31 already exceeds any configured ceiling; avoids Infinity for absurd attempt counts
  return Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(exponent, 31));
}
