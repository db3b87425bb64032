import { normalizePlanImport, type PlanFile, type PlanJson } from '@lib/plan-domain';
import {
  fitToPlanModel,
  importedPlanEvents,
  importPlanText,
  isImportRefusedError,
  readMspdi,
  writeMspdi,
  type ImportNote,
} from '@lib/plan-exchange';
import crm from '../../plan-domain/src/scheduling/fixtures/crm-rollout.plan.json';
import expectedTimeline from '../../plan-domain/src/scheduling/fixtures/crm-rollout.expected-timeline.json';
import { scheduleFacts } from './schedule-of';

const crmPlan = normalizePlanImport(crm as PlanFile);

function scheduleItems(plan: PlanJson) {
  return {
    title: plan.meta.title,
    start: plan.meta.start,
    currency: plan.meta.currency,
    phases: plan.phases,
    tasks: plan.tasks,
    milestones: plan.milestones,
    resources: plan.resources,
  };
}

function refusal(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (isImportRefusedError(error)) return error;
    throw error;
  }
  throw new Error('expected the import to be refused');
}

describe('MSPDI export and import', () => {
  it('given the CRM plan, when exported to MSPDI and imported again, then the schedule (dates, float, critical path) and the items are the same', () => {
    const xml = writeMspdi(crmPlan, { fallbackStart: '2000-01-01' });
    const imported = fitToPlanModel(readMspdi(xml));

    expect(scheduleItems(imported.plan)).toEqual(scheduleItems(crmPlan));
    const facts = scheduleFacts(imported.plan);
    expect(facts).toEqual(scheduleFacts(crmPlan));
    // and the schedule is the independently computed one, not merely self-consistent
    expect(facts.projectFinish).toBe(expectedTimeline.projectFinish);
    expect(facts.criticalPath).toEqual(
      Object.entries(expectedTimeline.tasks)
        .filter(([, a]) => a.critical)
        .map(([id]) => id)
        .sort(),
    );
    expect(imported.report.counts).toMatchObject({
      phases: 5,
      tasks: 29,
      milestones: 5,
      resources: 12,
    });
  });

  it('given two baselines, when exported and imported, then the newest is Baseline0 and both come back with the same dates, newest appended last', () => {
    const facts = scheduleFacts(crmPlan);
    const current = Object.fromEntries(
      Object.entries(facts.activities).map(([id, a]) => [id, { start: a.start, finish: a.finish }]),
    );
    const older = { ...current, t01: { start: '2027-02-22', finish: '2027-02-23' } };
    const xml = writeMspdi(crmPlan, {
      fallbackStart: '2000-01-01',
      baselines: [{ activities: current }, { activities: older }],
    });
    const imported = fitToPlanModel(readMspdi(xml));
    expect(imported.baselines.map((b) => b.number)).toEqual([0, 1]);
    expect(imported.baselines[0].activities).toEqual(current);
    expect(imported.baselines[1].activities).toEqual(older);
    const events = importedPlanEvents(
      imported,
      'p',
      'olga',
      { content: Buffer.from(xml) },
      { actor: 'olga', at: '2027-03-01T00:00:00.000Z' },
    );
    expect(events.map((e) => [e.type, (e.data as { baselineId?: string }).baselineId])).toEqual([
      ['PlanImported', undefined],
      ['PlanUpdated', undefined],
      ['BaselineCaptured', 'imported-1'],
      ['BaselineCaptured', 'imported-0'],
    ]);
  });

  it('given an export, then the file carries the computed dates, float and critical flags other tools show', () => {
    const xml = writeMspdi(crmPlan, { fallbackStart: '2000-01-01' });
    const t02 = expectedTimeline.tasks.t02;
    expect(xml).toContain('<Name>Current process mapping</Name>');
    const task = xml.slice(xml.indexOf('<Name>Current process mapping</Name>'));
    const element = task.slice(0, task.indexOf('</Task>'));
    expect(element).toContain(`<Start>${t02.start}T08:00:00</Start>`);
    expect(element).toContain('<Duration>PT64H0M0S</Duration>');
    expect(element).toContain(`<TotalSlack>${t02.totalFloat * 4800}</TotalSlack>`);
    expect(element).toContain(`<Critical>${t02.critical ? 1 : 0}</Critical>`);
  });
});

/**
 * Written by hand from the published MSPDI schema (mspdi_pj12.xsd), the way MS Project 2016
 * saves it: a project summary task (UID 0), two summary tasks, a nested summary, SS+2d and FF
 * links, a 4-hour task, a Good Friday exception in the Standard calendar, a resource with a
 * vacation, and a task done by two resources.
 */
const HAND_WRITTEN = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Project xmlns="http://schemas.microsoft.com/project">
  <SaveVersion>14</SaveVersion>
  <Name>Warehouse move.mpp</Name>
  <Title>Warehouse move</Title>
  <Manager>Jo Example</Manager>
  <StartDate>2027-03-01T08:00:00</StartDate>
  <StatusDate>2027-03-12T17:00:00</StatusDate>
  <CurrencyCode>EUR</CurrencyCode>
  <CalendarUID>1</CalendarUID>
  <MinutesPerDay>480</MinutesPerDay>
  <Calendars>
    <Calendar>
      <UID>1</UID>
      <Name>Standard</Name>
      <IsBaseCalendar>1</IsBaseCalendar>
      <BaseCalendarUID>-1</BaseCalendarUID>
      <WeekDays>
        <WeekDay><DayType>1</DayType><DayWorking>0</DayWorking></WeekDay>
        <WeekDay><DayType>2</DayType><DayWorking>1</DayWorking>
          <WorkingTimes><WorkingTime><FromTime>08:00:00</FromTime><ToTime>12:00:00</ToTime></WorkingTime>
          <WorkingTime><FromTime>13:00:00</FromTime><ToTime>17:00:00</ToTime></WorkingTime></WorkingTimes></WeekDay>
        <WeekDay><DayType>3</DayType><DayWorking>1</DayWorking></WeekDay>
        <WeekDay><DayType>4</DayType><DayWorking>1</DayWorking></WeekDay>
        <WeekDay><DayType>5</DayType><DayWorking>1</DayWorking></WeekDay>
        <WeekDay><DayType>6</DayType><DayWorking>1</DayWorking></WeekDay>
        <WeekDay><DayType>7</DayType><DayWorking>0</DayWorking></WeekDay>
      </WeekDays>
      <Exceptions>
        <Exception>
          <EnteredByOccurrences>0</EnteredByOccurrences>
          <TimePeriod><FromDate>2027-03-26T00:00:00</FromDate><ToDate>2027-03-26T23:59:00</ToDate></TimePeriod>
          <Occurrences>1</Occurrences>
          <Name>Good Friday</Name>
          <Type>1</Type>
          <DayWorking>0</DayWorking>
        </Exception>
      </Exceptions>
    </Calendar>
    <Calendar>
      <UID>3</UID>
      <Name>Ana Ortiz</Name>
      <IsBaseCalendar>0</IsBaseCalendar>
      <BaseCalendarUID>1</BaseCalendarUID>
      <Exceptions>
        <Exception>
          <TimePeriod><FromDate>2027-03-15T00:00:00</FromDate><ToDate>2027-03-19T23:59:00</ToDate></TimePeriod>
          <Occurrences>1</Occurrences>
          <Name>Vacation</Name>
          <Type>1</Type>
          <DayWorking>0</DayWorking>
        </Exception>
      </Exceptions>
    </Calendar>
  </Calendars>
  <Tasks>
    <Task><UID>0</UID><ID>0</ID><Name>Warehouse move</Name><OutlineLevel>0</OutlineLevel><Summary>1</Summary></Task>
    <Task><UID>1</UID><ID>1</ID><Name>Preparation</Name><OutlineNumber>1</OutlineNumber><OutlineLevel>1</OutlineLevel><Summary>1</Summary><Duration>PT80H0M0S</Duration></Task>
    <Task><UID>2</UID><ID>2</ID><Name>Inventory count</Name><OutlineNumber>1.1</OutlineNumber><OutlineLevel>2</OutlineLevel>
      <Priority>700</Priority><Duration>PT24H0M0S</Duration><DurationFormat>7</DurationFormat><Milestone>0</Milestone><Summary>0</Summary>
      <PercentComplete>100</PercentComplete><Cost>3000</Cost><ActualStart>2027-03-01T08:00:00</ActualStart><ActualFinish>2027-03-03T17:00:00</ActualFinish>
      <ConstraintType>0</ConstraintType><Notes>Count by aisle</Notes>
      <Baseline><Number>0</Number><Start>2027-03-01T08:00:00</Start><Finish>2027-03-03T17:00:00</Finish><Duration>PT24H0M0S</Duration></Baseline>
    </Task>
    <Task><UID>3</UID><ID>3</ID><Name>Label racks</Name><OutlineNumber>1.2</OutlineNumber><OutlineLevel>2</OutlineLevel>
      <Duration>PT16H0M0S</Duration><DurationFormat>7</DurationFormat><Milestone>0</Milestone><Summary>0</Summary><PercentComplete>50</PercentComplete><Cost>800</Cost>
      <ConstraintType>4</ConstraintType><ConstraintDate>2027-03-02T08:00:00</ConstraintDate>
      <PredecessorLink><PredecessorUID>2</PredecessorUID><Type>3</Type><CrossProject>0</CrossProject><LinkLag>9600</LinkLag><LagFormat>7</LagFormat></PredecessorLink>
    </Task>
    <Task><UID>4</UID><ID>4</ID><Name>Safety</Name><OutlineNumber>1.3</OutlineNumber><OutlineLevel>2</OutlineLevel><Summary>1</Summary></Task>
    <Task><UID>5</UID><ID>5</ID><Name>Fire check</Name><OutlineNumber>1.3.1</OutlineNumber><OutlineLevel>3</OutlineLevel>
      <Duration>PT4H0M0S</Duration><DurationFormat>5</DurationFormat><Milestone>0</Milestone><Summary>0</Summary>
      <PredecessorLink><PredecessorUID>3</PredecessorUID><Type>0</Type><LinkLag>0</LinkLag><LagFormat>7</LagFormat></PredecessorLink>
    </Task>
    <Task><UID>6</UID><ID>6</ID><Name>Move</Name><OutlineNumber>2</OutlineNumber><OutlineLevel>1</OutlineLevel><Summary>1</Summary></Task>
    <Task><UID>7</UID><ID>7</ID><Name>Truck transport</Name><OutlineNumber>2.1</OutlineNumber><OutlineLevel>2</OutlineLevel>
      <Duration>PT40H0M0S</Duration><Milestone>0</Milestone><Summary>0</Summary><Cost>12000</Cost>
      <PredecessorLink><PredecessorUID>5</PredecessorUID><Type>1</Type><LinkLag>14400</LinkLag><LagFormat>8</LagFormat></PredecessorLink>
    </Task>
    <Task><UID>8</UID><ID>8</ID><Name>Warehouse open</Name><OutlineNumber>2.2</OutlineNumber><OutlineLevel>2</OutlineLevel>
      <Duration>PT0H0M0S</Duration><Milestone>1</Milestone><Summary>0</Summary>
      <ConstraintType>4</ConstraintType><ConstraintDate>2027-03-22T08:00:00</ConstraintDate>
      <PredecessorLink><PredecessorUID>7</PredecessorUID><Type>1</Type><LinkLag>0</LinkLag><LagFormat>7</LagFormat></PredecessorLink>
    </Task>
    <Task><UID>9</UID><ID>9</ID><Name>Handover</Name><OutlineNumber>3</OutlineNumber><OutlineLevel>1</OutlineLevel>
      <Duration>PT8H0M0S</Duration><Milestone>0</Milestone><Summary>0</Summary><ConstraintType>7</ConstraintType><ConstraintDate>2027-04-02T17:00:00</ConstraintDate>
      <PredecessorLink><PredecessorUID>6</PredecessorUID><Type>1</Type><LinkLag>0</LinkLag><LagFormat>7</LagFormat></PredecessorLink>
    </Task>
  </Tasks>
  <Resources>
    <Resource><UID>0</UID><ID>0</ID><Type>1</Type><IsNull>0</IsNull></Resource>
    <Resource><UID>1</UID><ID>1</ID><Name>Ana Ortiz</Name><Type>1</Type><MaxUnits>1.00</MaxUnits><StandardRate>100</StandardRate><CalendarUID>3</CalendarUID><EmailAddress>ana@example.com</EmailAddress></Resource>
    <Resource><UID>2</UID><ID>2</ID><Name>Forklift</Name><Type>0</Type><StandardRate>15</StandardRate><CalendarUID>1</CalendarUID></Resource>
  </Resources>
  <Assignments>
    <Assignment><UID>1</UID><TaskUID>7</TaskUID><ResourceUID>1</ResourceUID><Units>1</Units><Work>PT40H0M0S</Work></Assignment>
    <Assignment><UID>2</UID><TaskUID>7</TaskUID><ResourceUID>2</ResourceUID><Units>0.5</Units></Assignment>
    <Assignment><UID>3</UID><TaskUID>2</TaskUID><ResourceUID>-65535</ResourceUID><Units>1</Units></Assignment>
  </Assignments>
</Project>
`;

describe('a hand-written MSPDI file', () => {
  const converted = readMspdi(HAND_WRITTEN);
  const file = converted.file as unknown as {
    meta: Record<string, unknown>;
    phases: Record<string, unknown>[];
    tasks: Record<string, unknown>[];
    milestones: Record<string, unknown>[];
    resources: Record<string, unknown>[];
  };
  const task = (id: string) => file.tasks.find((t) => t.id === id);
  const noteAbout = (field: string, at?: string) =>
    converted.notes.all.find(
      (n: ImportNote) => n.field === field && (at === undefined || n.at.includes(at)),
    );

  it('given summary tasks, then level-1 summaries become phases in order and leaf tasks under them (at any depth) belong to them', () => {
    expect(file.phases).toEqual([
      { id: 'ph1', title: 'Preparation', order: 0 },
      { id: 'ph6', title: 'Move', order: 1 },
    ]);
    expect(task('t2')?.phaseId).toBe('ph1');
    expect(task('t5')?.phaseId).toBe('ph1');
    expect(task('t7')?.phaseId).toBe('ph6');
    expect(task('t9')?.phaseId).toBeUndefined();
    expect(noteAbout('OutlineLevel', 'UID=4')?.message).toMatch(/flattened/);
    // the project summary task (UID 0) is the plan itself, not a task
    expect(file.tasks.map((t) => t.id)).toEqual(['t2', 't3', 't5', 't7', 't9']);
  });

  it('given SS+2d, FF, elapsed and summary links, then each lands with its type and lag in days; the link to a summary is reported', () => {
    expect(task('t3')?.dependsOn).toEqual([{ taskId: 't2', type: 'SS', lagDays: 2 }]);
    expect(task('t5')?.dependsOn).toEqual([{ taskId: 't3', type: 'FF', lagDays: 0 }]);
    expect(task('t7')?.dependsOn).toEqual([
      { taskId: 't5', type: 'FS', lagDays: 1, lagKind: 'elapsed' },
    ]);
    expect(task('t9')?.dependsOn).toEqual([]);
    expect(noteAbout('PredecessorUID', 'UID=9')?.kind).toBe('not-held');
  });

  it('given durations, constraints, progress and a milestone, then they land in the task fields; a 4-hour task is one day, noted', () => {
    expect(task('t2')).toMatchObject({
      title: 'Inventory count',
      durationDays: 3,
      percentComplete: 100,
      status: 'done',
      cost: 3000,
      actualStart: '2027-03-01',
      actualFinish: '2027-03-03',
      priority: 700,
    });
    expect(task('t3')).toMatchObject({
      start: '2027-03-02',
      constraint: { type: 'SNET', date: '2027-03-02' },
      status: 'in-progress',
    });
    expect(task('t5')?.durationDays).toBe(1);
    expect(noteAbout('Duration', 'UID=5')).toMatchObject({ kind: 'approximated' });
    expect(task('t9')?.constraint).toEqual({ type: 'FNLT', date: '2027-04-02' });
    expect(file.milestones).toEqual([
      expect.objectContaining({
        id: 'm8',
        title: 'Warehouse open',
        phaseId: 'ph6',
        date: '2027-03-22',
        dependsOn: [{ taskId: 't7', type: 'FS', lagDays: 0 }],
      }),
    ]);
    expect(noteAbout('Notes', 'UID=2')?.message).toContain('Count by aisle');
  });

  it('given the project calendar with Good Friday and a resource vacation, then they land in meta.calendar and the resource calendar', () => {
    expect(file.meta).toMatchObject({
      title: 'Warehouse move',
      start: '2027-03-01',
      currency: 'EUR',
      statusDate: '2027-03-12',
      calendarMode: 'working-days',
      calendar: {
        workingWeekdays: [1, 2, 3, 4, 5],
        holidays: [{ date: '2027-03-26', name: 'Good Friday' }],
        exceptions: [],
      },
    });
    expect(file.resources).toEqual([
      expect.objectContaining({
        id: 'r1',
        name: 'Ana Ortiz',
        kind: 'person',
        // MaxUnits is availability (1 = full time): hours per day, not tasks at once
        capacityHoursPerDay: 8,
        costRatePerDay: 800,
        calendar: { vacations: [{ from: '2027-03-15', to: '2027-03-19' }] },
      }),
      expect.objectContaining({
        id: 'r2',
        name: 'Forklift',
        kind: 'equipment',
        costRatePerDay: 120,
      }),
    ]);
    expect(noteAbout('EmailAddress')).toBeDefined();
    expect(noteAbout('Manager')).toBeDefined();
  });

  it('given a task done by two resources, then both are its resourceIds, the person is an assignee, and the half-time unit is noted', () => {
    expect(task('t7')).toMatchObject({ resourceIds: ['r1', 'r2'], assignees: ['r1'] });
    expect(noteAbout('Units', 'r2 on t7')).toMatchObject({ kind: 'approximated' });
    expect(converted.baselines).toEqual([
      {
        number: 0,
        name: 'Baseline (imported)',
        activities: { t2: { start: '2027-03-01', finish: '2027-03-04' } },
      },
    ]);
  });

  it('given the whole file imported, then every field this server cannot hold is in the report and the rest is the plan', () => {
    const { plan, report } = importPlanText(HAND_WRITTEN);
    expect(report.counts).toMatchObject({ phases: 2, tasks: 5, milestones: 1, resources: 2 });
    expect(plan.tasks.find((t) => t.id === 't7')).toMatchObject({
      phaseId: 'ph6',
      durationDays: 5,
      cost: 12000,
      dependsOn: [{ taskId: 't5', type: 'FS', lagDays: 1, lagKind: 'elapsed' }],
      resourceIds: ['r1', 'r2'],
    });
    // what the model cannot hold today is reported, field by field, never dropped silently
    const notHeld = report.notes.filter((n) => n.kind === 'not-held');
    for (const field of Object.keys(file.meta).filter(
      (f) => file.meta[f] !== undefined && !(f in plan.meta),
    )) {
      expect([field, notHeld.some((n) => n.at === 'plan' && n.field === field)]).toEqual([
        field,
        true,
      ]);
    }
    for (const entry of file.tasks) {
      const held = plan.tasks.find((t) => t.id === entry.id)!;
      for (const field of Object.keys(entry).filter(
        (f) => entry[f] !== undefined && !(f in held),
      )) {
        expect([
          field,
          notHeld.some(
            (n) => n.field === field && n.at.includes(`UID=${String(entry.id).slice(1)} `),
          ),
        ]).toEqual([field, true]);
      }
    }
  });
});

describe('hostile or broken MSPDI', () => {
  it('given a billion-laughs document, when read, then it is refused before parsing with the DOCTYPE named and nothing expands', () => {
    const laughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol9 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<Project><Name>&lol9;</Name></Project>`;
    const error = refusal(() => readMspdi(laughs));
    expect(error.problems[0]).toEqual({
      at: 'line 2, column 1',
      message: expect.stringMatching(/DOCTYPE is not allowed/),
    });
  });

  it('given an external entity, then it is refused the same way', () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]><Project><Name>&x;</Name></Project>`;
    expect(refusal(() => readMspdi(xxe)).message).toMatch(/DOCTYPE/);
  });

  it('given malformed XML, then the refusal names the line and column', () => {
    const error = refusal(() =>
      readMspdi('<Project>\n  <Tasks>\n    <Task><UID>1</Task>\n</Project>'),
    );
    expect(error.problems[0].at).toMatch(/^line 3, column \d+$/);
  });

  it('given XML that is not a project, or a task whose predecessor makes a cycle, then it is refused naming the element', () => {
    expect(refusal(() => readMspdi('<Workbook/>')).problems[0].at).toBe('root element');
    const cycle = `<Project><Tasks>
      <Task><UID>1</UID><Name>A</Name><Duration>PT8H0M0S</Duration><PredecessorLink><PredecessorUID>2</PredecessorUID><Type>1</Type></PredecessorLink></Task>
      <Task><UID>2</UID><Name>B</Name><Duration>PT8H0M0S</Duration><PredecessorLink><PredecessorUID>1</PredecessorUID><Type>1</Type></PredecessorLink></Task>
    </Tasks></Project>`;
    const error = refusal(() => importPlanText(cycle));
    expect(
      error.problems.some((p) => p.at.startsWith('Task UID=') && /cycle/i.test(p.message)),
    ).toBe(true);
  });

  it('given escaped text, then predefined entities and character references are decoded', () => {
    const xml = `<Project><Title>R&amp;D &#233;tude &#x2013; &lt;v2&gt;</Title></Project>`;
    expect((readMspdi(xml).file.meta as { title: string }).title).toBe('R&D étude – <v2>');
  });
});
