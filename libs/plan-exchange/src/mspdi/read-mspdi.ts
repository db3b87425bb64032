/**
 * MSPDI (MS Project XML, also written by ProjectLibre, GanttProject and MPXJ) → plan file.
 *
 * Summary tasks at outline level 1 become phases; the leaf tasks under them (at any depth)
 * belong to that phase, and deeper summary tasks are flattened with a note. `Milestone=1` tasks
 * become milestones. Durations are whole days of `MinutesPerDay`; links keep their type and
 * their lag in days (elapsed lags are marked `lagKind: 'elapsed'`). The project calendar
 * becomes `meta.calendar`, resource calendar exceptions become vacations, assignments become
 * `resourceIds` (and `assignees` for people). Anything else with content is in the notes.
 *
 * Ids: a file this server exported carries the plan's ids in extended attributes ("Plan id");
 * elsewhere ids are made from UIDs (`t12`, `m14`, `ph3`, `r2`).
 */
import type { DependencyType, IsoDate, WorkStatus } from '@lib/plan-domain';
import type { ConvertedBaseline, ConvertedPlan } from '../converted-plan';
import { ImportNotes, ImportRefusedError } from '../import-report';
import { MSPDI_ATTRIBUTES } from './mspdi-attributes';
import { parseMspdiXml, type XmlNode, type XmlValue } from './mspdi-xml';
import {
  CONSTRAINT_TYPES,
  DEFAULT_MINUTES_PER_DAY,
  ELAPSED_MINUTES_PER_DAY,
  LINK_TYPES,
  dateOf,
  durationMinutes,
  minutesOfDay,
  isElapsedFormat,
  isPercentLagFormat,
  isoWeekdayOfDayType,
} from './mspdi-units';

/** Calendar exception ranges longer than this are not expanded into days. */
const MAX_EXCEPTION_DAYS = 5 * 366;
const WORK_STATUS_VALUES: readonly string[] = ['not-started', 'in-progress', 'done', 'blocked'];

type Entry = Record<string, unknown>;

export function readMspdi(text: string): ConvertedPlan {
  const root = parseMspdiXml(text);
  const project = node(root.Project);
  if (!project) {
    throw new ImportRefusedError('mspdi', [
      { at: 'root element', message: 'an MSPDI file has a <Project> root element' },
    ]);
  }
  const notes = new ImportNotes();
  const origins = new Map<string, string>();
  const fallbacks = new Map<string, unknown>();
  const minutesPerDay = positiveNumber(leaf(project.MinutesPerDay)) ?? DEFAULT_MINUTES_PER_DAY;
  const hoursPerDay = minutesPerDay / 60;
  const attributes = attributeFields(project);

  // calendars
  const calendars = new Map<string, XmlNode>();
  for (const calendar of list(node(project.Calendars)?.Calendar)) {
    const uid = leaf(calendar.UID);
    if (uid !== undefined) calendars.set(uid, calendar);
  }
  const projectCalendar = calendars.get(leaf(project.CalendarUID) ?? '1');

  const meta: Entry = {
    title: leaf(project.Title) || leaf(project.Name) || 'Imported plan',
    start: dateOf(leaf(project.StartDate)),
    currency: leaf(project.CurrencyCode),
    statusDate: dateOf(leaf(project.StatusDate)),
  };
  for (const field of [
    'Subject',
    'Author',
    'Manager',
    'Company',
    'Category',
    'Keywords',
    'Comments',
  ]) {
    const value = leaf(project[field]);
    if (value) notes.notHeld('Project', field, `${field} ${JSON.stringify(value)} is not held`);
  }
  if (projectCalendar) {
    const read = readCalendar(projectCalendar, calendars, notes);
    meta.calendar = {
      workingWeekdays: read.workingWeekdays,
      holidays: read.nonWorking.flatMap((e) =>
        daysOf(e.from, e.to, calendarName(projectCalendar), notes).map((date) =>
          e.name ? { date, name: e.name } : { date },
        ),
      ),
      exceptions: read.working.flatMap((e) =>
        daysOf(e.from, e.to, calendarName(projectCalendar), notes).map((date) =>
          e.name ? { date, working: true, name: e.name } : { date, working: true },
        ),
      ),
    };
    meta.calendarMode =
      read.workingWeekdays.length === 7 && read.nonWorking.length === 0
        ? 'calendar-days'
        : 'working-days';
    const name = leaf(projectCalendar.Name);
    if (name) fallbacks.set('meta.calendar', name);
  }

  // resources
  const resources: Entry[] = [];
  const resourceIdOfUid = new Map<string, string>();
  const personIds = new Set<string>();
  for (const resource of list(node(project.Resources)?.Resource)) {
    const uid = leaf(resource.UID) ?? '';
    const name = leaf(resource.Name);
    if (!name || leaf(resource.IsNull) === '1') continue;
    const at = `Resource UID=${uid} (${name})`;
    const id = extendedValue(resource, attributes.resourceId) || `r${uid}`;
    const type = leaf(resource.Type) ?? '1';
    const kind = type === '2' ? 'budget' : type === '0' ? 'equipment' : 'person';
    const maxUnits = positiveNumber(leaf(resource.MaxUnits));
    const rate = positiveNumber(leaf(resource.StandardRate));
    const amount = positiveNumber(extendedValue(resource, attributes.amount));
    const entry: Entry = {
      id,
      name,
      kind,
      capacityHoursPerDay:
        kind === 'budget' || maxUnits === undefined ? undefined : round2(maxUnits * hoursPerDay),
      costRatePerDay:
        kind === 'budget' || rate === undefined ? undefined : round2(rate * hoursPerDay),
      amount,
    };
    const calendar = calendars.get(leaf(resource.CalendarUID) ?? '');
    // a resource on the project's base calendar has no calendar of its own
    if (calendar && leaf(calendar.IsBaseCalendar) !== '1') {
      const own = readCalendar(calendar, calendars, notes, { ownExceptionsOnly: true });
      if (own.nonWorking.length > 0) {
        entry.calendar = { vacations: own.nonWorking.map(({ from, to }) => ({ from, to })) };
      }
      for (const working of own.working) {
        notes.notHeld(
          at,
          'Calendar',
          `extra working time ${working.from}–${working.to} is not held`,
        );
      }
    }
    for (const field of ['OvertimeRate', 'CostPerUse']) {
      if (positiveNumber(leaf(resource[field])) !== undefined)
        notes.notHeld(at, field, `${field} ${leaf(resource[field])} is not held`);
    }
    for (const field of ['EmailAddress', 'Group', 'Notes']) {
      if (leaf(resource[field]))
        notes.notHeld(at, field, `${field} ${JSON.stringify(leaf(resource[field]))} is not held`);
    }
    resources.push(entry);
    resourceIdOfUid.set(uid, id);
    if (kind === 'person') personIds.add(id);
    origins.set(`resources.${id}`, at);
  }

  // tasks: first pass assigns ids and outline structure
  interface Row {
    readonly task: XmlNode;
    readonly uid: string;
    readonly at: string;
    readonly level: number;
    readonly summary: boolean;
    readonly milestone: boolean;
    id: string;
    phaseId?: string;
  }
  const rows: Row[] = [];
  const taskNodes = list(node(project.Tasks)?.Task).filter(
    (t) => leaf(t.IsNull) !== '1' && leaf(t.UID) !== '0' && leaf(t.OutlineLevel) !== '0',
  );
  taskNodes.forEach((task, i) => {
    const uid = leaf(task.UID) ?? String(i + 1);
    const level = positiveNumber(leaf(task.OutlineLevel)) ?? 1;
    const nextLevel = positiveNumber(leaf(taskNodes[i + 1]?.OutlineLevel)) ?? 1;
    const summary = leaf(task.Summary) === '1' || nextLevel > level;
    const milestone = !summary && leaf(task.Milestone) === '1';
    const prefix = summary ? 'ph' : milestone ? 'm' : 't';
    rows.push({
      task,
      uid,
      at: `Task UID=${uid} (${leaf(task.Name) ?? ''})`,
      level,
      summary,
      milestone,
      id: extendedValue(task, attributes.planId) || `${prefix}${uid}`,
    });
  });
  const seenIds = new Set<string>();
  for (const row of rows) {
    // a plan id attribute copied onto two tasks must not merge them
    if (seenIds.has(row.id)) row.id = `${row.summary ? 'ph' : row.milestone ? 'm' : 't'}${row.uid}`;
    seenIds.add(row.id);
  }
  const rowOfUid = new Map(rows.map((r) => [r.uid, r]));

  const phases: Entry[] = [];
  const tasks: Entry[] = [];
  const milestones: Entry[] = [];
  const byId = new Map<string, Entry>();
  let phase: Row | undefined;
  for (const row of rows) {
    const { task, at } = row;
    if (row.level === 1) phase = row.summary ? row : undefined;
    if (row.summary) {
      if (row.level === 1) {
        phases.push({ id: row.id, title: leaf(task.Name) ?? '', order: phases.length });
        origins.set(`phases.${row.id}`, at);
      } else {
        notes.approximated(
          at,
          'OutlineLevel',
          `summary task at outline level ${row.level} is flattened: its tasks belong to phase ${phase ? JSON.stringify(leaf(phase.task.Name)) : '(none)'}`,
        );
      }
      if (list(task.PredecessorLink).length > 0) {
        notes.notHeld(
          at,
          'PredecessorLink',
          'links on a summary task are not held (phases have no dependencies)',
        );
      }
      continue;
    }
    row.phaseId = phase?.id;
    const entry = leafTask(row, minutesPerDay, attributes, notes);
    if (row.milestone) milestones.push(entry);
    else tasks.push(entry);
    byId.set(row.id, entry);
    origins.set(`${row.milestone ? 'milestones' : 'tasks'}.${row.id}`, at);
  }

  // links
  for (const row of rows) {
    if (row.summary) continue;
    const entry = byId.get(row.id)!;
    const dependsOn: Entry[] = [];
    for (const link of list(row.task.PredecessorLink)) {
      const predecessorUid = leaf(link.PredecessorUID) ?? '';
      const predecessor = rowOfUid.get(predecessorUid);
      const linkAt = `${row.at} PredecessorLink to UID=${predecessorUid}`;
      if (leaf(link.CrossProject) === '1') {
        notes.notHeld(
          linkAt,
          'CrossProject',
          `link to another project (${leaf(link.CrossProjectName) ?? '?'}) is not held`,
        );
        continue;
      }
      if (!predecessor) {
        notes.notHeld(
          linkAt,
          'PredecessorUID',
          `link to task UID=${predecessorUid}, which is not in the file, is not held`,
        );
        continue;
      }
      if (predecessor.summary) {
        notes.notHeld(
          linkAt,
          'PredecessorUID',
          'link to a summary task is not held (phases have no dependencies)',
        );
        continue;
      }
      const type: DependencyType = LINK_TYPES[leaf(link.Type) ?? '1'] ?? 'FS';
      const lagTenths = Number(leaf(link.LinkLag) ?? '0') || 0;
      const format = Number(leaf(link.LagFormat) ?? '7');
      const dependency: Entry = { taskId: predecessor.id, type, lagDays: 0 };
      if (isPercentLagFormat(format)) {
        notes.notHeld(
          linkAt,
          'LagFormat',
          `a lag in percent of the predecessor's duration (${lagTenths / 10}%) is not held; lag 0 days`,
        );
      } else {
        const elapsed = isElapsedFormat(format);
        const days = lagTenths / 10 / (elapsed ? ELAPSED_MINUTES_PER_DAY : minutesPerDay);
        dependency.lagDays = Math.round(days);
        if (elapsed) dependency.lagKind = 'elapsed';
        if (Math.abs(days - Math.round(days)) > 1e-9)
          notes.approximated(
            linkAt,
            'LinkLag',
            `lag of ${round2(days)} days rounded to ${Math.round(days)}`,
          );
      }
      dependsOn.push(dependency);
    }
    entry.dependsOn = dependsOn;
  }

  // assignments
  const assignedOf = new Map<string, Set<string>>();
  for (const assignment of list(node(project.Assignments)?.Assignment)) {
    const taskRow = rowOfUid.get(leaf(assignment.TaskUID) ?? '');
    const resourceId = resourceIdOfUid.get(leaf(assignment.ResourceUID) ?? '');
    if (!taskRow || !resourceId) continue; // unassigned placeholders (ResourceUID -65535) and blank rows
    const at = `Assignment UID=${leaf(assignment.UID) ?? '?'} (${resourceId} on ${taskRow.id})`;
    if (taskRow.summary) {
      notes.notHeld(at, 'TaskUID', 'an assignment to a summary task is not held');
      continue;
    }
    const units = Number(leaf(assignment.Units) ?? '1');
    if (Number.isFinite(units) && Math.abs(units - 1) > 1e-9) {
      notes.approximated(
        at,
        'Units',
        `assigned at ${Math.round(units * 100)}%; the plan assigns a resource for the task's whole duration`,
      );
    }
    let set = assignedOf.get(taskRow.id);
    if (!set) assignedOf.set(taskRow.id, (set = new Set()));
    set.add(resourceId);
  }
  for (const [taskId, assigned] of assignedOf) {
    const entry = byId.get(taskId)!;
    const ids = [...assigned];
    if (!('assignees' in entry)) entry.assignees = ids.filter((id) => personIds.has(id));
    if (entry.durationDays !== undefined) entry.resourceIds ??= ids;
    else
      for (const id of ids.filter((id) => !personIds.has(id)))
        notes.notHeld(
          origins.get(`milestones.${taskId}`) ?? taskId,
          'Assignment',
          `resource ${id} on a milestone is not held`,
        );
  }

  return {
    format: 'mspdi',
    file: { meta, phases, tasks, milestones, resources } as unknown as ConvertedPlan['file'],
    notes,
    origins,
    fallbacks,
    baselines: baselinesOf(rows, byId),
  };
}

interface AttributeFields {
  readonly planId?: string;
  readonly status?: string;
  readonly assignees?: string;
  readonly resourceIds?: string;
  readonly resourceId?: string;
  readonly amount?: string;
}

/** FieldIDs of this server's extended attributes, found by alias so any field may carry them. */
function attributeFields(project: XmlNode): AttributeFields {
  const byAlias = new Map<string, string>();
  for (const definition of list(node(project.ExtendedAttributes)?.ExtendedAttribute)) {
    const alias = leaf(definition.Alias);
    const fieldId = leaf(definition.FieldID);
    if (alias && fieldId) byAlias.set(alias, fieldId);
  }
  return {
    planId: byAlias.get(MSPDI_ATTRIBUTES.planId.alias),
    status: byAlias.get(MSPDI_ATTRIBUTES.status.alias),
    assignees: byAlias.get(MSPDI_ATTRIBUTES.assignees.alias),
    resourceIds: byAlias.get(MSPDI_ATTRIBUTES.resourceIds.alias),
    resourceId: byAlias.get(MSPDI_ATTRIBUTES.resourceId.alias),
    amount: byAlias.get(MSPDI_ATTRIBUTES.amount.alias),
  };
}

function extendedValue(element: XmlNode, fieldId: string | undefined): string | undefined {
  if (fieldId === undefined) return undefined;
  const found = list(element.ExtendedAttribute).find((a) => leaf(a.FieldID) === fieldId);
  return found ? leaf(found.Value) : undefined;
}

function leafTask(
  row: { task: XmlNode; at: string; id: string; milestone: boolean; phaseId?: string },
  minutesPerDay: number,
  attributes: AttributeFields,
  notes: ImportNotes,
): Entry {
  const { task, at } = row;
  const entry: Entry = { id: row.id, title: leaf(task.Name) ?? '' };
  if (row.phaseId) entry.phaseId = row.phaseId;
  const percent = Number(leaf(task.PercentComplete) ?? '0');
  const percentComplete = Number.isFinite(percent) ? Math.min(100, Math.max(0, percent)) : 0;
  const statusAttribute = extendedValue(task, attributes.status);
  const status: WorkStatus =
    statusAttribute && WORK_STATUS_VALUES.includes(statusAttribute)
      ? (statusAttribute as WorkStatus)
      : percentComplete >= 100
        ? 'done'
        : percentComplete > 0
          ? 'in-progress'
          : 'not-started';
  entry.status = status;
  const assignees = extendedValue(task, attributes.assignees);
  if (assignees !== undefined) entry.assignees = idList(assignees);
  const resourceIds = extendedValue(task, attributes.resourceIds);
  if (resourceIds !== undefined && !row.milestone) entry.resourceIds = idList(resourceIds);

  const constraintCode = Number(leaf(task.ConstraintType) ?? '0');
  const constraintType = CONSTRAINT_TYPES[constraintCode];
  const constraintDate = dateOf(leaf(task.ConstraintDate));
  if (constraintType && constraintType !== 'ASAP') {
    entry.constraint = constraintDate
      ? { type: constraintType, date: constraintDate }
      : { type: constraintType };
  }
  const notBefore: IsoDate | undefined =
    constraintType === 'SNET' || constraintType === 'MSO' ? constraintDate : undefined;

  if (row.milestone) {
    if (notBefore) entry.date = notBefore;
  } else {
    if (constraintType === 'SNET' && notBefore) entry.start = notBefore;
    const format = Number(leaf(task.DurationFormat) ?? '7');
    const elapsed = isElapsedFormat(format);
    const minutes = durationMinutes(leaf(task.Duration) ?? 'PT0H0M0S', minutesPerDay);
    if (minutes === undefined) {
      throw new ImportRefusedError('mspdi', [
        {
          at: `${at} Duration`,
          message: `unreadable duration ${JSON.stringify(leaf(task.Duration))}`,
        },
      ]);
    }
    const days = Math.max(0, minutes) / (elapsed ? ELAPSED_MINUTES_PER_DAY : minutesPerDay);
    const durationDays = Math.ceil(days - 1e-9);
    entry.durationDays = durationDays;
    if (Math.abs(days - durationDays) > 1e-9)
      notes.approximated(at, 'Duration', `${round2(days)} days rounded up to ${durationDays}`);
    if (elapsed)
      notes.approximated(at, 'DurationFormat', 'an elapsed duration is held as that many days');
    entry.percentComplete = percentComplete;
    const cost = Number(leaf(task.Cost) ?? '0');
    entry.cost = Number.isFinite(cost) && cost > 0 ? cost : 0;
  }
  entry.actualStart = dateOf(leaf(task.ActualStart));
  entry.actualFinish = dateOf(leaf(task.ActualFinish));
  const priority = Number(leaf(task.Priority) ?? '500');
  if (Number.isFinite(priority) && priority !== 500) entry.priority = priority;

  const text = (field: string) => leaf(task[field]);
  if (text('Notes'))
    notes.notHeld(at, 'Notes', `notes ${JSON.stringify(shorten(text('Notes')!))} are not held`);
  if (dateOf(text('Deadline')))
    notes.notHeld(at, 'Deadline', `deadline ${dateOf(text('Deadline'))} is not held`);
  for (const field of ['Hyperlink', 'HyperlinkAddress', 'Contact']) {
    if (text(field))
      notes.notHeld(at, field, `${field} ${JSON.stringify(text(field))} is not held`);
  }
  if (text('Manual') === '1')
    notes.approximated(at, 'Manual', 'a manually scheduled task is scheduled automatically');
  if (text('Recurring') === '1') notes.notHeld(at, 'Recurring', 'recurrence is not held');
  if (text('CalendarUID') && text('CalendarUID') !== '-1')
    notes.notHeld(
      at,
      'CalendarUID',
      `task calendar UID=${text('CalendarUID')} is not held; the plan calendar applies`,
    );
  const own = new Set([
    attributes.planId,
    attributes.status,
    attributes.assignees,
    attributes.resourceIds,
  ]);
  for (const attribute of list(task.ExtendedAttribute)) {
    if (!own.has(leaf(attribute.FieldID)) && leaf(attribute.Value))
      notes.notHeld(
        at,
        'ExtendedAttribute',
        `custom field ${leaf(attribute.FieldID)} = ${JSON.stringify(leaf(attribute.Value))} is not held`,
      );
  }
  return entry;
}

function baselinesOf(
  rows: readonly { task: XmlNode; id: string; summary: boolean }[],
  byId: ReadonlyMap<string, Entry>,
): ConvertedBaseline[] {
  const byNumber = new Map<number, Record<string, { start: string; finish: string }>>();
  for (const row of rows) {
    if (row.summary || !byId.has(row.id)) continue;
    for (const baseline of list(row.task.Baseline)) {
      const number = Number(leaf(baseline.Number) ?? '0');
      const startText = leaf(baseline.Start);
      const finishText = leaf(baseline.Finish);
      const start = dateOf(startText);
      const lastDay = dateOf(finishText);
      if (!Number.isInteger(number) || !start || !lastDay) continue;
      // MSPDI's finish is within the last working day; a plan's finish is the day after it
      const finish =
        finishText! > startText! && minutesOfDay(finishText!) > 0 ? nextDay(lastDay) : lastDay;
      let activities = byNumber.get(number);
      if (!activities) byNumber.set(number, (activities = {}));
      activities[row.id] = { start, finish };
    }
  }
  return [...byNumber]
    .sort(([a], [b]) => a - b)
    .map(([number, activities]) => ({
      number,
      name: number === 0 ? 'Baseline (imported)' : `Baseline ${number} (imported)`,
      activities,
    }));
}

interface CalendarRange {
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly name?: string;
}

interface ReadCalendar {
  readonly workingWeekdays: number[];
  readonly nonWorking: CalendarRange[];
  readonly working: CalendarRange[];
}

function readCalendar(
  calendar: XmlNode,
  calendars: ReadonlyMap<string, XmlNode>,
  notes: ImportNotes,
  options: { ownExceptionsOnly?: boolean } = {},
  depth = 0,
): ReadCalendar {
  const at = `Calendar UID=${leaf(calendar.UID) ?? '?'} (${calendarName(calendar)})`;
  const base = calendars.get(leaf(calendar.BaseCalendarUID) ?? '');
  const inherited =
    base && base !== calendar && depth < 8
      ? readCalendar(base, calendars, notes, {}, depth + 1)
      : { workingWeekdays: [1, 2, 3, 4, 5], nonWorking: [], working: [] };
  const weekdays = new Set(inherited.workingWeekdays);
  const nonWorking: CalendarRange[] = options.ownExceptionsOnly ? [] : [...inherited.nonWorking];
  const working: CalendarRange[] = options.ownExceptionsOnly ? [] : [...inherited.working];
  let hoursNoted = false;
  for (const day of list(node(calendar.WeekDays)?.WeekDay)) {
    const dayType = Number(leaf(day.DayType) ?? '-1');
    const isWorking = leaf(day.DayWorking) === '1';
    if (dayType >= 1 && dayType <= 7) {
      const weekday = isoWeekdayOfDayType(dayType);
      if (isWorking) weekdays.add(weekday);
      else weekdays.delete(weekday);
      if (isWorking && node(day.WorkingTimes) && !hoursNoted && depth === 0) {
        hoursNoted = true;
        notes.approximated(
          at,
          'WorkingTimes',
          'working hours are not held: the plan counts whole days',
        );
      }
    } else if (dayType === 0) {
      const period = list(day.TimePeriod)[0];
      const from = dateOf(leaf(period?.FromDate));
      const to = dateOf(leaf(period?.ToDate));
      if (from && to) (isWorking ? working : nonWorking).push({ from, to });
    }
  }
  for (const exception of list(node(calendar.Exceptions)?.Exception)) {
    const period = list(exception.TimePeriod)[0];
    const from = dateOf(leaf(period?.FromDate));
    const to = dateOf(leaf(period?.ToDate));
    const name = leaf(exception.Name);
    const occurrences = Number(leaf(exception.Occurrences) ?? '1');
    const type = leaf(exception.Type) ?? '1';
    if (!from || !to) continue;
    // Type 1 is "daily": the period is the whole exception; other recurrences repeat a pattern
    if (occurrences > 1 && type !== '1') {
      notes.notHeld(
        at,
        'Exception',
        `recurring exception ${JSON.stringify(name ?? from)} (type ${type}, ${occurrences} occurrences) is not held`,
      );
      continue;
    }
    const range = name ? { from, to, name } : { from, to };
    (leaf(exception.DayWorking) === '1' ? working : nonWorking).push(range);
  }
  return {
    workingWeekdays: [...weekdays].sort((a, b) => a - b),
    nonWorking,
    working,
  };
}

function daysOf(from: IsoDate, to: IsoDate, calendar: string, notes: ImportNotes): IsoDate[] {
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  const count = Math.round((end - start) / 86_400_000) + 1;
  if (!(count >= 1)) return [];
  if (count > MAX_EXCEPTION_DAYS) {
    notes.notHeld(
      `Calendar ${calendar}`,
      'Exception',
      `exception ${from}–${to} is longer than ${MAX_EXCEPTION_DAYS} days and is not held`,
    );
    return [];
  }
  return Array.from({ length: count }, (_, i) =>
    new Date(start + i * 86_400_000).toISOString().slice(0, 10),
  );
}

function calendarName(calendar: XmlNode): string {
  return leaf(calendar.Name) ?? '';
}

function node(value: XmlValue | undefined): XmlNode | undefined {
  if (Array.isArray(value)) return node(value[0] as XmlValue | undefined);
  return typeof value === 'object' && value !== null ? (value as XmlNode) : undefined;
}

function list(value: XmlValue | undefined): XmlNode[] {
  if (value === undefined) return [];
  const items = Array.isArray(value) ? value : [value];
  return items.filter((v): v is XmlNode => typeof v === 'object' && v !== null);
}

function leaf(value: XmlValue | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

function positiveNumber(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

const nextDay = (date: IsoDate): IsoDate =>
  new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
const idList = (text: string): string[] =>
  text
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
const round2 = (value: number): number => Math.round(value * 100) / 100;
const shorten = (text: string): string => (text.length <= 60 ? text : `${text.slice(0, 59)}…`);
