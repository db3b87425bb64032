import plan from '../scheduling/fixtures/crm-rollout.plan.json';
import expectedTimeline from '../scheduling/fixtures/crm-rollout.expected-timeline.json';
import { InvalidIsoDateError } from '../scheduling/calendar-days';
import { heatMapCount } from './heat-map';
import { buildRiskRegister } from './risk-register';
import { RISK_STATUSES, type RiskInput, type RiskStatus } from './risk.model';

function riskStatus(status: string): RiskStatus {
  const known = RISK_STATUSES.find((s) => s === status);
  if (known === undefined) throw new Error(`fixture has risk status ${status}`);
  return known;
}

const crmRisks: RiskInput[] = plan.risks.map((r) => ({ ...r, status: riskStatus(r.status) }));

const risk = (id: string, fields: Partial<RiskInput> = {}): RiskInput => ({
  id,
  probability: 1,
  impact: 1,
  status: 'open',
  ...fields,
});

describe('buildRiskRegister', () => {
  it('given an open risk with probability 4 and impact 5, when registered, then it scores 20, is critical and fills cell (4,5)', () => {
    const register = buildRiskRegister([risk('r1', { probability: 4, impact: 5 })], {
      today: '2027-03-01',
    });

    expect(register.risks[0]).toMatchObject({ id: 'r1', score: 20, level: 'critical' });
    expect(heatMapCount(register.heatMap, 4, 5)).toBe(1);
    expect(register.openCountsByLevel).toEqual({ low: 0, medium: 0, high: 0, critical: 1 });
  });

  it('given the CRM plan on 2 April 2027 with its critical path, when registered, then reviews before that day are overdue and critical-path risks are flagged', () => {
    const register = buildRiskRegister(crmRisks, {
      today: '2027-04-02',
      criticalTaskIds: expectedTimeline.criticalPath,
    });

    expect(register.overdueReviews).toEqual([
      { riskId: 'r03', owner: 'li', reviewDate: '2027-03-20', daysOverdue: 13 },
      { riskId: 'r02', owner: 'ana', reviewDate: '2027-04-01', daysOverdue: 1 },
    ]);
    // r01 and r08 both touch the critical t12, but r08 is mitigated.
    expect(register.openCriticalPathRiskIds).toEqual(['r01', 'r03', 'r04']);
    expect(register.risks.find((r) => r.id === 'r08')).toMatchObject({
      onCriticalPath: true,
      criticalTaskIds: ['t12'],
    });
    expect(register.risks.find((r) => r.id === 'r04')?.criticalTaskIds).toEqual(['t24']);
    expect(register.countsByStatus).toEqual({ open: 7, mitigated: 1, closed: 0 });
    expect(register.openExposure).toBe(12 + 16 + 10 + 12 + 8 + 5 + 6);
    expect(register.risks.map((r) => r.id)).toEqual([
      'r02',
      'r01',
      'r04',
      'r03',
      'r08',
      'r05',
      'r07',
      'r06',
    ]);
    expect(register.invalidFields).toEqual([]);
  });

  it('given a review due today, when registered, then it is not yet overdue', () => {
    const register = buildRiskRegister([risk('r1', { reviewDate: '2027-04-02' })], {
      today: '2027-04-02',
    });

    expect(register.overdueReviews).toEqual([]);
    expect(register.risks[0].reviewOverdue).toBe(false);
  });

  it('given mitigated and closed risks with past reviews, when registered, then they are not overdue', () => {
    const register = buildRiskRegister(
      [
        risk('r1', { status: 'mitigated', reviewDate: '2027-01-01' }),
        risk('r2', { status: 'closed', reviewDate: '2027-01-01' }),
      ],
      { today: '2027-04-02' },
    );

    expect(register.overdueReviews).toEqual([]);
  });

  it('given a mitigated risk, when the heat map includes mitigated risks, then it is counted there', () => {
    const risks = [risk('r1', { probability: 3, impact: 2, status: 'mitigated' })];

    const byDefault = buildRiskRegister(risks, { today: '2027-04-02' });
    const withMitigated = buildRiskRegister(risks, {
      today: '2027-04-02',
      heatMapStatuses: ['open', 'mitigated'],
    });

    expect(heatMapCount(byDefault.heatMap, 3, 2)).toBe(0);
    expect(heatMapCount(withMitigated.heatMap, 3, 2)).toBe(1);
    expect(withMitigated.heatMapStatuses).toEqual(['open', 'mitigated']);
  });

  it('given a probability off the scale and an unreadable review date, when registered, then the risk stays listed and both are reported', () => {
    const register = buildRiskRegister(
      [risk('r1', { probability: 6, impact: 3, reviewDate: 'next week' })],
      {
        today: '2027-04-02',
      },
    );

    expect(register.risks[0]).toMatchObject({ score: 18, level: 'critical', reviewOverdue: false });
    expect(register.heatMap.flat().every((count) => count === 0)).toBe(true);
    expect(register.invalidFields).toEqual([
      { riskId: 'r1', field: 'probability', value: 6 },
      { riskId: 'r1', field: 'reviewDate', value: 'next week' },
    ]);
  });

  it('given history snapshots, when registered, then the register carries the exposure trend', () => {
    const register = buildRiskRegister([], {
      today: '2027-04-02',
      snapshots: [
        { at: '2027-04-01T12:00:00Z', risks: [risk('r1', { probability: 2, impact: 5 })] },
      ],
    });

    expect(register.exposureTrend).toEqual([{ date: '2027-04-01', exposure: 10, openCount: 1 }]);
  });

  it('given an unreadable today, when registered, then it throws naming the field', () => {
    expect(() => buildRiskRegister([], { today: '2 April' })).toThrow(InvalidIsoDateError);
    expect(() => buildRiskRegister([], { today: '2 April' })).toThrow(/today/);
  });
});
