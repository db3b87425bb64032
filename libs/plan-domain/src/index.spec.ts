import * as domain from './index';

describe('plan-domain entry point (index.ts)', () => {
  it('given the package entry, when imported, then the document API, scheduling and risk scoring are all there', () => {
    expect(typeof domain.PlanDoc).toBe('function');
    expect(typeof domain.diffPlans).toBe('function');
    expect(typeof domain.validatePlan).toBe('function');
    expect(typeof domain.computeSchedule).toBe('function');
    expect(typeof domain.riskLevel).toBe('function');
  });

  it('given names both the schema and ./scheduling or ./risk declare, when imported, then they agree', () => {
    expect(domain.DEPENDENCY_TYPES).toEqual(['FS', 'SS', 'FF', 'SF']);
    expect(domain.RISK_STATUSES).toEqual(['open', 'mitigated', 'closed']);
  });
});
