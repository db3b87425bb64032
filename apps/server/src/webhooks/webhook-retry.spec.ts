import { retryDelayMs } from './webhook-retry';

describe('webhook retry delay', () => {
  const policy = { maxAttempts: 8, baseMs: 1000, maxMs: 30_000 };

  it('given successive failures, then the delay doubles up to the ceiling', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => retryDelayMs(policy, n))).toEqual([
      1000, 2000, 4000, 8000, 16_000, 30_000, 30_000,
    ]);
  });

  it('given an absurd attempt count, then the delay is still the ceiling', () => {
    expect(retryDelayMs(policy, 10_000)).toBe(30_000);
  });
});
