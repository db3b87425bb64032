import { InvalidIsoDateError } from '../scheduling/calendar-days';
import { exposureTrend } from './exposure-trend';
import type { RiskSnapshot } from './risk.model';

const open = (probability: number, impact: number) => ({
  probability,
  impact,
  status: 'open' as const,
});

describe('exposureTrend', () => {
  it('given several snapshots on one day, when trended, then the day shows the last of them', () => {
    const snapshots: RiskSnapshot[] = [
      { at: '2027-03-01T09:00:00Z', risks: [open(4, 5)] },
      { at: '2027-03-01T17:00:00Z', risks: [open(4, 5), open(2, 3)] },
    ];

    expect(exposureTrend(snapshots)).toEqual([{ date: '2027-03-01', exposure: 26, openCount: 2 }]);
  });

  it('given a risk mitigated on the second day and nothing on the third, when trended, then mitigated risks drop out and the last state carries over', () => {
    const snapshots: RiskSnapshot[] = [
      { at: '2027-03-01T10:00:00Z', risks: [open(3, 3), open(2, 2)] },
      {
        at: '2027-03-02T10:00:00Z',
        risks: [{ probability: 3, impact: 3, status: 'mitigated' }, open(2, 2)],
      },
      { at: '2027-03-04T10:00:00Z', risks: [] },
    ];

    expect(exposureTrend(snapshots)).toEqual([
      { date: '2027-03-01', exposure: 13, openCount: 2 },
      { date: '2027-03-02', exposure: 4, openCount: 1 },
      { date: '2027-03-03', exposure: 4, openCount: 1 },
      { date: '2027-03-04', exposure: 0, openCount: 0 },
    ]);
  });

  it('given times with an offset, when trended, then days are UTC days', () => {
    const trend = exposureTrend([{ at: '2027-03-01T23:30:00-02:00', risks: [open(1, 1)] }]);

    expect(trend.map((p) => p.date)).toEqual(['2027-03-02']);
  });

  it('given snapshots out of order, when trended, then the later time still wins its day', () => {
    const trend = exposureTrend([
      { at: '2027-03-01T18:00:00Z', risks: [open(5, 5)] },
      { at: '2027-03-01T08:00:00Z', risks: [open(1, 1)] },
    ]);

    expect(trend).toEqual([{ date: '2027-03-01', exposure: 25, openCount: 1 }]);
  });

  it('given no snapshots, when trended, then there are no points', () => {
    expect(exposureTrend([])).toEqual([]);
  });

  it('given a snapshot time that does not parse, when trended, then it throws naming the snapshot', () => {
    expect(() => exposureTrend([{ at: 'yesterday', risks: [] }])).toThrow(InvalidIsoDateError);
    expect(() => exposureTrend([{ at: 'yesterday', risks: [] }])).toThrow(/snapshots\[0\]\.at/);
  });
});
