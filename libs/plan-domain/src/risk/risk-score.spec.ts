import fc from 'fast-check';
import { buildHeatMap, heatMapCount } from './heat-map';
import { isOnRiskScale, riskLevel, riskScore, type RiskLevel } from './risk-score';

describe('riskScore and riskLevel', () => {
  it('given probability 4 and impact 5, when scored, then the score is 20 and the level critical', () => {
    const score = riskScore({ probability: 4, impact: 5 });

    expect(score).toBe(20);
    expect(riskLevel(score)).toBe('critical');
  });

  it.each<[number, RiskLevel]>([
    [1, 'low'],
    [4, 'low'],
    [5, 'medium'],
    [9, 'medium'],
    [10, 'high'],
    [16, 'high'],
    [17, 'critical'],
    [19, 'critical'],
    [20, 'critical'],
    [25, 'critical'],
  ])('given a score of %d, when levelled, then it is %s', (score, level) => {
    expect(riskLevel(score)).toBe(level);
  });

  it('given a score that is not a number, when levelled, then it is low rather than critical', () => {
    expect(riskLevel(Number.NaN)).toBe('low');
  });

  it('given any probability and impact on the scale, when levelled, then the level never decreases as either grows', () => {
    const rank = (p: number, i: number): number =>
      ['low', 'medium', 'high', 'critical'].indexOf(
        riskLevel(riskScore({ probability: p, impact: i })),
      );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 4 }), (p, i) => {
        expect(rank(p, i + 1)).toBeGreaterThanOrEqual(rank(p, i));
        expect(rank(i + 1, p)).toBeGreaterThanOrEqual(rank(i, p));
      }),
    );
  });

  it('given values on and off the 1–5 scale, when checked, then only whole numbers 1 to 5 pass', () => {
    expect([1, 3, 5].every(isOnRiskScale)).toBe(true);
    expect([0, 6, 2.5, Number.NaN, '3'].some(isOnRiskScale)).toBe(false);
  });
});

describe('buildHeatMap', () => {
  it('given one open risk at probability 4 and impact 5, when mapped, then cell (4,5) holds 1 and nothing else is counted', () => {
    const heatMap = buildHeatMap([{ probability: 4, impact: 5, status: 'open' }]);

    expect(heatMapCount(heatMap, 4, 5)).toBe(1);
    expect(heatMap[3][4]).toBe(1);
    expect(heatMap.flat().reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('given open, mitigated and closed risks, when mapped by default, then only the open one counts', () => {
    const risks = [
      { probability: 2, impact: 2, status: 'open' as const },
      { probability: 2, impact: 2, status: 'mitigated' as const },
      { probability: 2, impact: 2, status: 'closed' as const },
    ];

    expect(heatMapCount(buildHeatMap(risks), 2, 2)).toBe(1);
    expect(heatMapCount(buildHeatMap(risks, ['open', 'mitigated', 'closed']), 2, 2)).toBe(3);
  });

  it('given a risk off the scale, when mapped, then it is left out instead of breaking the grid', () => {
    const heatMap = buildHeatMap([{ probability: 7, impact: 2, status: 'open' }]);

    expect(heatMap).toHaveLength(5);
    expect(heatMap.every((row) => row.length === 5)).toBe(true);
    expect(heatMap.flat().every((count) => count === 0)).toBe(true);
    expect(heatMapCount(heatMap, 7, 2)).toBe(0);
  });
});
