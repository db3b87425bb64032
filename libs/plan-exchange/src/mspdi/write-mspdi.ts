/**
 * Plan → MSPDI. The schedule (dates, float, critical flags) is computed with the plan's CPM
 * so other tools open the file with the dates this server shows. The file's calendar is the
 * one the schedule used: whole calendar days, i.e. every weekday working with 8 hours, so
 * `durationDays × 8 h` of work and the dates agree in any MSPDI reader. The plan's ids, task
 * status and exact assignee/resource lists travel in extended attributes (mspdi-attributes.ts).
 * Risks, stakeholders and objectives have no place in MSPDI: export JSON for the whole plan.
 */
import {
  computeSchedule,
  epochDayOf,
  isoDateOfEpochDay,
  type ActivityInput,
  type IsoDate,
  type PlanJson,
  type ScheduledActivity,
} from '@lib/plan-domain';
import { MSPDI_ATTRIBUTES, type MspdiAttribute } from './mspdi-attributes';
import { MSPDI_NAMESPACE, xmlDocument, type XmlChild } from './mspdi-xml';
import {
  CONSTRAINT_TYPES,
  DEFAULT_MINUTES_PER_DAY,
  ELAPSED_MINUTES_PER_DAY,
  LAG_FORMAT_DAYS,
  LAG_FORMAT_ELAPSED_DAYS,
  LINK_TYPE_CODES,
  dayTypeOfIsoWeekday,
  isoDuration,
} from './mspdi-units';

const MINUTES_PER_DAY = DEFAULT_MINUTES_PER_DAY;
const HOURS_PER_DAY = MINUTES_PER_DAY / 60;
const DAY_START = 'T08:00:00';
const DAY_FINISH = 'T17:00:00';

export interface MspdiExportOptions {
  /** Day 0 when the plan has no start date (the caller's today). */
  readonly fallbackStart: IsoDate;
  /**
   * Baselines to write as Baseline0…10, newest first: MS Project's "Baseline" (0) is the one
   * variance is measured against, as the plan's newest baseline is for slippage.
   */
  readonly baselines?: readonly {
    readonly activities: Readonly<
      Record<string, { readonly start: IsoDate; readonly finish: IsoDate }>
    >;
  }[];
}

export function writeMspdi(plan: PlanJson, options: MspdiExportOptions): string {
  const planStart = epochDayOf(plan.meta.start) !== null ? plan.meta.start! : options.fallbackStart;
  const schedule = computeSchedule({ planStart, activities: activitiesOf(plan) });
  const scheduled = new Map(schedule.activities.map((a) => [a.id, a]));
  const order = new Map(schedule.activities.map((a, i) => [a.id, i]));
  const workItems = [
    ...plan.tasks.map((task) => ({ kind: 'task' as const, task })),
    ...plan.milestones.map((milestone) => ({ kind: 'milestone' as const, milestone })),
  ].sort((a, b) => rank(a) - rank(b));
  function rank(item: (typeof workItems)[number]): number {
    const id = item.kind === 'task' ? item.task.id : item.milestone.id;
    return order.get(id) ?? Number.MAX_SAFE_INTEGER;
  }

  // rows in outline order: each phase, then its work items; then items without a phase
  type Row =
    | { readonly kind: 'phase'; readonly id: string; readonly title: string }
    | (typeof workItems)[number];
  const rows: Row[] = [];
  const phaseIds = new Set(plan.phases.map((p) => p.id));
  for (const phase of plan.phases) {
    rows.push({ kind: 'phase', id: phase.id, title: phase.title });
    rows.push(...workItems.filter((item) => phaseOf(item) === phase.id));
  }
  rows.push(...workItems.filter((item) => !phaseIds.has(phaseOf(item) ?? '')));
  const uidOf = new Map<string, number>();
  rows.forEach((row, i) => uidOf.set(rowId(row), i + 1));
  const resourceUid = new Map(plan.resources.map((r, i) => [r.id, i + 1]));
  const rollups = new Map(schedule.phases.map((p) => [p.phaseId, p]));

  const tasks: XmlChild[] = rows.map((row, i): XmlChild => {
    const uid = i + 1;
    if (row.kind === 'phase') {
      const rollup = rollups.get(row.id);
      const startDay = rollup?.startDay ?? 0;
      const finishDay = rollup?.finishDay ?? 0;
      return [
        'Task',
        [
          ['UID', uid],
          ['ID', uid],
          ['Name', row.title],
          ['OutlineNumber', String(uid)],
          ['OutlineLevel', 1],
          ['Start', `${dateOfDay(planStart, startDay)}${DAY_START}`],
          ['Finish', finishOf(planStart, startDay, finishDay)],
          ['Duration', isoDuration((finishDay - startDay) * MINUTES_PER_DAY)],
          ['DurationFormat', 7],
          ['Milestone', 0],
          ['Summary', 1],
          ['Critical', rollup?.critical ? 1 : 0],
          ['PercentComplete', Math.round(rollup?.percentComplete ?? 0)],
          ['ExtendedAttribute', attributeValue(MSPDI_ATTRIBUTES.planId, row.id)],
        ],
      ];
    }
    const item = row.kind === 'task' ? row.task : row.milestone;
    const activity = scheduled.get(item.id);
    const nested = phaseIds.has(phaseOf(row) ?? '');
    const durationDays = row.kind === 'task' ? row.task.durationDays : 0;
    const notBefore = row.kind === 'task' ? row.task.start : row.milestone.date;
    const constraint = constraintOf(item as unknown as Record<string, unknown>, notBefore);
    return [
      'Task',
      [
        ['UID', uid],
        ['ID', uid],
        ['Name', item.title],
        ['OutlineNumber', String(uid)],
        ['OutlineLevel', nested ? 2 : 1],
        ['Priority', 500],
        ...datesOf(planStart, activity),
        ['Duration', isoDuration(durationDays * MINUTES_PER_DAY)],
        ['DurationFormat', 7],
        ['Milestone', row.kind === 'milestone' ? 1 : 0],
        ['Summary', 0],
        ['Critical', activity?.critical ? 1 : 0],
        ...floatOf(planStart, activity),
        ['FixedCost', row.kind === 'task' ? row.task.cost : undefined],
        [
          'PercentComplete',
          row.kind === 'task' ? row.task.percentComplete : item.status === 'done' ? 100 : 0,
        ],
        ['Cost', row.kind === 'task' ? row.task.cost : undefined],
        ['ConstraintType', constraint.code],
        ['ConstraintDate', constraint.date ? `${constraint.date}${DAY_START}` : undefined],
        ...item.dependsOn
          .filter((d) => uidOf.has(d.taskId))
          .map((d): XmlChild => {
            const elapsed = (d as { lagKind?: unknown }).lagKind === 'elapsed';
            return [
              'PredecessorLink',
              [
                ['PredecessorUID', uidOf.get(d.taskId)!],
                ['Type', LINK_TYPE_CODES[d.type]],
                ['CrossProject', 0],
                ['LinkLag', d.lagDays * (elapsed ? ELAPSED_MINUTES_PER_DAY : MINUTES_PER_DAY) * 10],
                ['LagFormat', elapsed ? LAG_FORMAT_ELAPSED_DAYS : LAG_FORMAT_DAYS],
              ],
            ];
          }),
        ['ExtendedAttribute', attributeValue(MSPDI_ATTRIBUTES.planId, item.id)],
        ['ExtendedAttribute', attributeValue(MSPDI_ATTRIBUTES.status, item.status)],
        ...baselinesOf(item.id, options.baselines ?? []),
        ['ExtendedAttribute', attributeValue(MSPDI_ATTRIBUTES.assignees, item.assignees.join(','))],
        row.kind === 'task'
          ? [
              'ExtendedAttribute',
              attributeValue(MSPDI_ATTRIBUTES.resourceIds, row.task.resourceIds.join(',')),
            ]
          : ['ExtendedAttribute', undefined],
      ],
    ];
  });

  const resources: XmlChild[] = plan.resources.map((resource): XmlChild => [
    'Resource',
    [
      ['UID', resourceUid.get(resource.id)!],
      ['ID', resourceUid.get(resource.id)!],
      ['Name', resource.name],
      ['Type', resource.kind === 'budget' ? 2 : resource.kind === 'equipment' ? 0 : 1],
      [
        'MaxUnits',
        resource.capacityHoursPerDay !== undefined
          ? round4(resource.capacityHoursPerDay / HOURS_PER_DAY)
          : undefined,
      ],
      [
        'StandardRate',
        resource.costRatePerDay !== undefined
          ? round4(resource.costRatePerDay / HOURS_PER_DAY)
          : undefined,
      ],
      ['CalendarUID', 1],
      ['ExtendedAttribute', attributeValue(MSPDI_ATTRIBUTES.resourceId, resource.id)],
      [
        'ExtendedAttribute',
        resource.amount !== undefined
          ? attributeValue(MSPDI_ATTRIBUTES.amount, String(resource.amount))
          : undefined,
      ],
    ],
  ]);

  let assignmentUid = 0;
  const assignments: XmlChild[] = plan.tasks.flatMap((task) => {
    const ids = [...new Set([...task.resourceIds, ...task.assignees])].filter((id) =>
      resourceUid.has(id),
    );
    const activity = scheduled.get(task.id);
    return ids.map((id): XmlChild => [
      'Assignment',
      [
        ['UID', ++assignmentUid],
        ['TaskUID', uidOf.get(task.id)!],
        ['ResourceUID', resourceUid.get(id)!],
        ...datesOf(planStart, activity).filter(([name]) => name === 'Start' || name === 'Finish'),
        ['Units', 1],
        ['Work', isoDuration(task.durationDays * MINUTES_PER_DAY)],
      ],
    ]);
  });

  return xmlDocument(
    'Project',
    [
      ['SaveVersion', 14],
      ['Name', `${plan.meta.title}.xml`],
      ['Title', plan.meta.title],
      ['ScheduleFromStart', 1],
      ['StartDate', `${planStart}${DAY_START}`],
      [
        'FinishDate',
        `${isoDateOfEpochDay(epochDayOf(planStart)! + Math.max(0, schedule.projectFinishDay - 1))}${DAY_FINISH}`,
      ],
      ['CurrencyCode', plan.meta.currency || undefined],
      ['CalendarUID', 1],
      ['DefaultStartTime', '08:00:00'],
      ['DefaultFinishTime', '17:00:00'],
      ['MinutesPerDay', MINUTES_PER_DAY],
      ['MinutesPerWeek', MINUTES_PER_DAY * 5],
      ['DaysPerMonth', 20],
      ['DurationFormat', 7],
      ['ExtendedAttributes', Object.values(MSPDI_ATTRIBUTES).map(attributeDefinition)],
      ['Calendars', [calendarOf(plan)]],
      ['Tasks', tasks],
      ['Resources', resources],
      ['Assignments', assignments],
    ],
    MSPDI_NAMESPACE,
  );
}

function activitiesOf(plan: PlanJson): ActivityInput[] {
  return [
    ...plan.tasks.map((t) => ({
      id: t.id,
      durationDays: t.durationDays,
      start: t.start ?? null,
      phaseId: t.phaseId ?? null,
      percentComplete: t.percentComplete,
      dependsOn: t.dependsOn,
    })),
    ...plan.milestones.map((m) => ({
      id: m.id,
      durationDays: 0,
      milestone: true,
      start: m.date ?? null,
      phaseId: m.phaseId ?? null,
      percentComplete: m.status === 'done' ? 100 : 0,
      dependsOn: m.dependsOn,
    })),
  ];
}

function phaseOf(item: {
  kind: 'task' | 'milestone' | 'phase';
  task?: { phaseId?: string };
  milestone?: { phaseId?: string };
}): string | undefined {
  return item.kind === 'task'
    ? item.task?.phaseId
    : item.kind === 'milestone'
      ? item.milestone?.phaseId
      : undefined;
}

function rowId(row: {
  kind: string;
  id?: string;
  task?: { id: string };
  milestone?: { id: string };
}): string {
  return row.kind === 'phase' ? row.id! : row.kind === 'task' ? row.task!.id : row.milestone!.id;
}

const dateOfDay = (planStart: IsoDate, day: number): IsoDate =>
  isoDateOfEpochDay(epochDayOf(planStart)! + day);

/** MS Project's finish is the end of the last working day; the plan's is the day after it. */
function finishOf(planStart: IsoDate, startDay: number, finishDay: number): string {
  return finishDay > startDay
    ? `${dateOfDay(planStart, finishDay - 1)}${DAY_FINISH}`
    : `${dateOfDay(planStart, startDay)}${DAY_START}`;
}

function datesOf(planStart: IsoDate, activity: ScheduledActivity | undefined): XmlChild[] {
  if (!activity) return [];
  return [
    ['Start', `${dateOfDay(planStart, activity.es)}${DAY_START}`],
    ['Finish', finishOf(planStart, activity.es, activity.ef)],
  ];
}

function floatOf(planStart: IsoDate, activity: ScheduledActivity | undefined): XmlChild[] {
  if (!activity) return [];
  return [
    ['EarlyStart', `${dateOfDay(planStart, activity.es)}${DAY_START}`],
    ['EarlyFinish', finishOf(planStart, activity.es, activity.ef)],
    ['LateStart', `${dateOfDay(planStart, activity.ls)}${DAY_START}`],
    ['LateFinish', finishOf(planStart, activity.ls, activity.lf)],
    // slack is a duration in tenths of a minute
    ['TotalSlack', activity.totalFloat * MINUTES_PER_DAY * 10],
  ];
}

function baselinesOf(
  id: string,
  baselines: NonNullable<MspdiExportOptions['baselines']>,
): XmlChild[] {
  return baselines.slice(0, 11).flatMap((baseline, number): XmlChild[] => {
    const dates = baseline.activities[id];
    const start = epochDayOf(dates?.start);
    const finish = epochDayOf(dates?.finish);
    if (start === null || finish === null) return [];
    return [
      [
        'Baseline',
        [
          ['Number', number],
          ['Start', `${dates!.start}${DAY_START}`],
          ['Finish', finishOf(dates!.start, 0, finish - start)],
          ['Duration', isoDuration(Math.max(0, finish - start) * MINUTES_PER_DAY)],
        ],
      ],
    ];
  });
}

function constraintOf(
  item: Record<string, unknown>,
  notBefore: IsoDate | undefined,
): { code: number; date?: IsoDate } {
  const constraint = item.constraint as { type?: unknown; date?: unknown } | undefined;
  const code = CONSTRAINT_TYPES.indexOf(constraint?.type as (typeof CONSTRAINT_TYPES)[number]);
  if (code > 0)
    return { code, date: typeof constraint?.date === 'string' ? constraint.date : notBefore };
  return notBefore ? { code: CONSTRAINT_TYPES.indexOf('SNET'), date: notBefore } : { code: 0 };
}

function calendarOf(plan: PlanJson): XmlChild {
  const calendar: unknown = plan.meta.calendar;
  const detailed =
    typeof calendar === 'object' && calendar !== null
      ? (calendar as {
          workingWeekdays?: number[];
          holidays?: { date: string; name?: string }[];
          exceptions?: { date: string; working: boolean; name?: string }[];
        })
      : undefined;
  const working = new Set(detailed?.workingWeekdays ?? [1, 2, 3, 4, 5, 6, 7]);
  const exceptions = [
    ...(detailed?.holidays ?? []).map((h) => ({ ...h, working: false })),
    ...(detailed?.exceptions ?? []),
  ];
  return [
    'Calendar',
    [
      ['UID', 1],
      ['Name', typeof calendar === 'string' && calendar ? calendar : 'Standard'],
      ['IsBaseCalendar', 1],
      ['BaseCalendarUID', -1],
      [
        'WeekDays',
        [1, 2, 3, 4, 5, 6, 7].map((weekday): XmlChild => [
          'WeekDay',
          [
            ['DayType', dayTypeOfIsoWeekday(weekday)],
            ['DayWorking', working.has(weekday) ? 1 : 0],
            ['WorkingTimes', working.has(weekday) ? WORKING_TIMES : undefined],
          ],
        ]),
      ],
      [
        'Exceptions',
        exceptions.length === 0
          ? undefined
          : exceptions.map((e): XmlChild => [
              'Exception',
              [
                ['EnteredByOccurrences', 0],
                [
                  'TimePeriod',
                  [
                    ['FromDate', `${e.date}T00:00:00`],
                    ['ToDate', `${e.date}T23:59:00`],
                  ],
                ],
                ['Occurrences', 1],
                ['Name', e.name],
                ['Type', 1],
                ['DayWorking', e.working ? 1 : 0],
              ],
            ]),
      ],
    ],
  ];
}

const WORKING_TIMES: readonly XmlChild[] = [
  [
    'WorkingTime',
    [
      ['FromTime', '08:00:00'],
      ['ToTime', '12:00:00'],
    ],
  ],
  [
    'WorkingTime',
    [
      ['FromTime', '13:00:00'],
      ['ToTime', '17:00:00'],
    ],
  ],
];

function attributeDefinition(attribute: MspdiAttribute): XmlChild {
  return [
    'ExtendedAttribute',
    [
      ['FieldID', attribute.fieldId],
      ['FieldName', attribute.fieldName],
      ['Alias', attribute.alias],
    ],
  ];
}

function attributeValue(attribute: MspdiAttribute, value: string): readonly XmlChild[] {
  return [
    ['FieldID', attribute.fieldId],
    ['Value', value],
  ];
}

const round4 = (value: number): number => Math.round(value * 10_000) / 10_000;
