import { ConfigError, loadConfig } from './app-config';

function problems(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('loadConfig: SCOPE_CREEP_THRESHOLD_PERCENT', () => {
  it('given nothing set, then scope growth beyond 10 % is creep', () => {
    expect(loadConfig({}).scopeCreepThresholdPercent).toBe(10);
  });

  it('given a whole or decimal percentage, then it is used', () => {
    expect(loadConfig({ SCOPE_CREEP_THRESHOLD_PERCENT: '25' }).scopeCreepThresholdPercent).toBe(25);
    expect(loadConfig({ SCOPE_CREEP_THRESHOLD_PERCENT: '7.5' }).scopeCreepThresholdPercent).toBe(
      7.5,
    );
  });

  it.each(['-1', 'ten', '1e2', '10%', '1001'])(
    'given %s, then start-up fails naming the variable',
    (value) => {
      expect(problems({ SCOPE_CREEP_THRESHOLD_PERCENT: value })).toEqual([
        `SCOPE_CREEP_THRESHOLD_PERCENT must be a number from 0 to 1000, got "${value}"`,
      ]);
    },
  );
});
