/**
 * Scheduling over REST against the real server: a plan on a working calendar, leveling
 * previewed and applied as one event, the allocation afterwards, elapsed lags in text form,
 * actual costs as events and earned value.
 */
import { apiClient, tokenFor } from '../support/clients';
import { startServer, type ServerProcess } from '../support/server-process';

interface Move {
  activityId: string;
  fromStart: string;
  toStart: string;
  delayDays: number;
  withinFloat: boolean;
}
interface Allocation {
  overAllocations: { resourceId: string; week: string }[];
}

describe('scheduling over REST', () => {
  let server: ServerProcess;
  let api: ReturnType<typeof apiClient>;
  let planId: string;

  beforeAll(async () => {
    server = await startServer();
    api = apiClient(server.baseUrl, tokenFor('maria'));
    planId = (
      await api.post<{ id: string; calendarMode: string }>('/plans', {
        title: 'Leveling',
        start: '2027-03-01',
      })
    ).body.id;
  });
  afterAll(() => server.dispose());

  const eventCount = async (): Promise<number> =>
    (await api.get<{ events: unknown[] }>(`/plans/${planId}/events?limit=1000`)).body.events.length;

  it('given a new plan, then it counts working days, and a calendar without working weekdays is refused naming the field', async () => {
    expect((await api.get(`/plans/${planId}`)).body).toMatchObject({
      meta: expect.objectContaining({ calendarMode: 'working-days' }),
    });
    const refused = await api.patch<{ message: unknown }>(`/plans/${planId}`, {
      calendar: { workingWeekdays: [] },
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body.message)).toMatch(/calendar\.workingWeekdays/);
    const set = await api.patch(`/plans/${planId}`, {
      calendar: { workingWeekdays: [1, 2, 3, 4, 5], holidays: [{ date: '2027-04-02' }] },
    });
    expect(set.status).toBe(200);
  });

  it('given two tasks sharing Ana in one week, when leveling is previewed and applied, then the one with more float waits, one event is recorded and no week is over-allocated', async () => {
    // critical (4d, Ana) → after (5d, Bo); side (3d, Ana) has 9 − 3 = 6 days of float
    await api.post(`/plans/${planId}/resources`, { id: 'ana', name: 'Ana', kind: 'person' });
    await api.post(`/plans/${planId}/resources`, { id: 'bo', name: 'Bo', kind: 'person' });
    await api.post(`/plans/${planId}/tasks`, {
      id: 'critical',
      title: 'Data model',
      durationDays: 4,
      resourceIds: ['ana'],
    });
    await api.post(`/plans/${planId}/tasks`, {
      id: 'after',
      title: 'Import',
      durationDays: 5,
      resourceIds: ['bo'],
      dependsOn: [{ taskId: 'critical', type: 'FS', lag: '0d' }],
    });
    const side = await api.post<{ version: number }>(`/plans/${planId}/tasks`, {
      id: 'side',
      title: 'Glossary',
      durationDays: 3,
      resourceIds: ['ana'],
    });
    const before = await api.get<Allocation>(
      `/plans/${planId}/resources/allocation?minVersion=${side.body.version}`,
    );
    expect(before.body.overAllocations).toEqual([
      expect.objectContaining({ resourceId: 'ana', week: '2027-W09' }),
    ]);

    const preview = await api.post<{ moves: Move[]; overAllocationsLeft: unknown[] }>(
      `/plans/${planId}/leveling/preview`,
    );
    expect(preview.status).toBe(200);
    expect(preview.body.moves).toEqual([
      expect.objectContaining({
        activityId: 'side',
        fromStart: '2027-03-01',
        toStart: '2027-03-05',
        delayDays: 4,
        withinFloat: true,
      }),
    ]);
    expect(preview.body.overAllocationsLeft).toEqual([]);
    // a preview writes nothing
    const eventsBefore = await eventCount();
    expect(await eventCount()).toBe(eventsBefore);

    const applied = await api.post<{ version: number; applied: number }>(
      `/plans/${planId}/leveling/apply`,
    );
    expect(applied.status).toBe(200);
    expect(applied.body.applied).toBe(1);
    const events = (
      await api.get<{ events: { type: string; version: number }[] }>(
        `/plans/${planId}/events?limit=1000`,
      )
    ).body.events;
    expect(events.length).toBe(eventsBefore + 1);
    expect(events[events.length - 1]).toMatchObject({
      type: 'PlanUpdated',
      version: applied.body.version,
    });
    expect((await api.get(`/plans/${planId}/tasks/side`)).body).toMatchObject({
      start: '2027-03-05',
    });

    const after = await api.get<Allocation>(
      `/plans/${planId}/resources/allocation?minVersion=${applied.body.version}`,
    );
    expect(after.body.overAllocations).toEqual([]);
    // nothing left to level: a second apply changes nothing and records nothing
    const again = await api.post<{ applied: number }>(`/plans/${planId}/leveling/apply`);
    expect(again.body.applied).toBe(0);
    expect(await eventCount()).toBe(eventsBefore + 1);
  });

  it('given a lag written as 2ed, then it is stored as two elapsed days and the successor starts after the weekend', async () => {
    // critical works Mon 1 – Thu 4; +2 elapsed days from Thu evening (= Fri 0:00) is Sun 0:00,
    // so the next working morning, Mon 8 March
    const created = await api.post<{ dependsOn: unknown[]; version: number }>(
      `/plans/${planId}/tasks`,
      {
        id: 'cure',
        title: 'Let it settle',
        durationDays: 1,
        dependsOn: [{ taskId: 'critical', type: 'FS', lag: '2ed' }],
      },
    );
    expect(created.status).toBe(201);
    expect(created.body.dependsOn).toEqual([
      { taskId: 'critical', type: 'FS', lagDays: 2, lagKind: 'elapsed' },
    ]);
    const timeline = await api.get<{ activities: { id: string; start: string }[] }>(
      `/plans/${planId}/timeline?minVersion=${created.body.version}`,
    );
    expect(timeline.body.activities.find((a) => a.id === 'cure')?.start).toBe('2027-03-08');
    const bad = await api.post<{ message: unknown }>(`/plans/${planId}/tasks`, {
      title: 'x',
      durationDays: 1,
      dependsOn: [{ taskId: 'critical', type: 'FS', lag: 'soon' }],
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.message)).toMatch(/lagDays/);
  });

  it('given actual costs booked as events and a status date, then GET /evm measures them', async () => {
    await api.patch(`/plans/${planId}/tasks/critical`, {
      cost: 4_000,
      percentComplete: 50,
      actualStart: '2027-03-01',
    });
    const missing = await api.post(`/plans/${planId}/tasks/nope/actual-costs`, {
      amount: 10,
      date: '2027-03-02',
    });
    expect(missing.status).toBe(404);
    const negative = await api.post<{ message: unknown }>(
      `/plans/${planId}/tasks/critical/actual-costs`,
      { amount: 'lots', date: '2027-03-02' },
    );
    expect(negative.status).toBe(400);
    expect(JSON.stringify(negative.body.message)).toMatch(/amount/);
    const booked = await api.post<{ version: number }>(
      `/plans/${planId}/tasks/critical/actual-costs`,
      { amount: 2_500, date: '2027-03-02', note: 'workshop' },
    );
    expect(booked.status).toBe(201);
    const noStatus = await api.get(`/plans/${planId}/evm?minVersion=${booked.body.version}`);
    expect(noStatus.status).toBe(400);

    const dated = await api.patch<{ version: number }>(`/plans/${planId}`, {
      statusDate: '2027-03-02',
    });
    const evm = await api.get<Record<string, unknown>>(
      `/plans/${planId}/evm?minVersion=${dated.body.version}`,
    );
    // critical: 4 000 over 4 planned days, 2 of them by Tue 2 March → PV 2 000;
    // EV = 50 % × 4 000 = 2 000; AC = 2 500 → SPI 1, CPI 0.8
    expect(evm.body).toMatchObject({
      statusDate: '2027-03-02',
      pv: 2_000,
      ev: 2_000,
      ac: 2_500,
      spi: 1,
      cpi: 0.8,
    });
    const summary = await api.get<{ earnedValue: Record<string, unknown> }>(
      `/plans/${planId}/summary?minVersion=${dated.body.version}`,
    );
    expect(summary.body.earnedValue).toMatchObject({ spi: 1, cpi: 0.8, bac: 4_000 });
    const costs = await api.get<unknown[]>(`/plans/${planId}/tasks/critical/actual-costs`);
    expect(costs.body).toEqual([
      expect.objectContaining({
        amount: 2_500,
        date: '2027-03-02',
        note: 'workshop',
        actor: 'maria',
      }),
    ]);
  });
});
