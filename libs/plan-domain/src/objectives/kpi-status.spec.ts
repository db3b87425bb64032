import type { Objective } from '../plan-json';
import { objectivesStatus, type KpiMeasurement } from './kpi-status';

const objective = (patch: Partial<Objective> = {}): Objective => ({
  id: 'o1',
  title: 'Faster lead response',
  kpi: 'median first response',
  unit: 'hours',
  baseline: 20,
  target: 4,
  due: '2027-09-30',
  linkedTaskIds: ['t1'],
  ...patch,
});
const measured = (value: number, at: string): KpiMeasurement => ({
  objectiveId: 'o1',
  value,
  at,
  actor: 'ana',
});
const tasks = [
  { id: 't1', title: 'Build', status: 'in-progress', percentComplete: 40 },
  { id: 't2', title: 'Party', status: 'not-started', percentComplete: 0 },
] as const;

describe('objectivesStatus', () => {
  it('given a KPI that should fall from 20 to 4 by September, when it measured 18 in March, then it is on track and improving', () => {
    const [o] = objectivesStatus({
      objectives: [objective()],
      tasks,
      measurements: [
        measured(20, '2027-03-01T00:00:00.000Z'),
        measured(18, '2027-03-14T00:00:00.000Z'),
      ],
      planStart: '2027-03-01',
      today: '2027-03-15',
    }).objectives;
    expect(o).toMatchObject({
      current: 18,
      progressPercent: 12.5,
      status: 'on-track',
      direction: 'improving',
    });
    expect(o.trend).toHaveLength(2);
    expect(o.linkedTasks).toEqual([
      { id: 't1', title: 'Build', status: 'in-progress', percentComplete: 40 },
    ]);
  });

  it('given the same KPI getting worse, when it measured 22, then it is at risk; by July without change, then off track', () => {
    const measurements = [
      measured(20, '2027-03-01T00:00:00.000Z'),
      measured(22, '2027-03-14T00:00:00.000Z'),
    ];
    const march = objectivesStatus({
      objectives: [objective()],
      tasks,
      measurements,
      planStart: '2027-03-01',
      today: '2027-03-15',
    });
    expect(march.objectives[0]).toMatchObject({ status: 'at-risk', direction: 'worsening' });
    const july = objectivesStatus({
      objectives: [objective()],
      tasks,
      measurements,
      planStart: '2027-03-01',
      today: '2027-07-15',
    });
    expect(july.objectives[0].status).toBe('off-track');
  });

  it('given a target reached, then met; given no value at all, then no-data; given the due date passed, then off track', () => {
    const met = objectivesStatus({
      objectives: [objective()],
      tasks,
      measurements: [measured(3.5, '2027-08-01T00:00:00.000Z')],
      today: '2027-08-02',
    });
    expect(met.objectives[0].status).toBe('met');
    const none = objectivesStatus({
      objectives: [objective({ current: undefined })],
      tasks,
      measurements: [],
      today: '2027-08-02',
    });
    expect(none.objectives[0].status).toBe('no-data');
    const late = objectivesStatus({
      objectives: [objective({ current: 10 })],
      tasks,
      measurements: [],
      today: '2027-10-01',
    });
    expect(late.objectives[0]).toMatchObject({ current: 10, currentAt: null, status: 'off-track' });
  });

  it('given a measurement dated after today, then it is not counted yet', () => {
    const result = objectivesStatus({
      objectives: [objective({ current: 20 })],
      tasks,
      measurements: [measured(2, '2027-05-01T00:00:00.000Z')],
      today: '2027-04-01',
    });
    expect(result.objectives[0]).toMatchObject({ current: 20, trend: [] });
  });

  it('given a task no objective links to, then it is an alignment gap', () => {
    const result = objectivesStatus({
      objectives: [objective({ linkedTaskIds: ['t1', 'm1'] })],
      tasks,
      measurements: [],
      today: '2027-03-15',
    });
    expect(result.alignmentGaps).toEqual([{ id: 't2', title: 'Party', status: 'not-started' }]);
    expect(result.objectives[0].unmatchedLinkIds).toEqual(['m1']);
  });
});
