/**
 * Tasks and milestones as CSV, one row each:
 *
 *   id,title,phase,phaseId,kind,durationDays,start,predecessors,assignees,cost,percentComplete,status,scheduledStart,scheduledFinish
 *   t02,Process mapping,Discovery,ph-discovery,task,8,,t01FS,ken,9600,0,not-started,2027-03-02,2027-03-10
 *
 * `predecessors` lists `<id><type><lag>` separated by `;` (or `,`): `3`, `3FS+2`, `t05SS-1`,
 * `4FF+2ed` (elapsed days). Only `title` is required; a row without `id` gets its row number,
 * `kind` defaults to milestone for duration 0, `phase` names a phase by title (made if new).
 * `scheduledStart`/`scheduledFinish` are what the server computed: written for people, read
 * only to find the plan's start when none is given. Every bad row is reported with its line.
 */
import {
  computeSchedule,
  epochDayOf,
  isIsoDate,
  type ActivityInput,
  type DependencyType,
  type IsoDate,
  type PlanJson,
  WORK_STATUSES,
} from '@lib/plan-domain';
import type { ConvertedPlan } from '../converted-plan';
import { ImportNotes, ImportRefusedError, type ImportProblem } from '../import-report';
import { CsvSyntaxError, readCsv, writeCsv } from './csv-text';

const COLUMNS = [
  'id',
  'title',
  'phase',
  'phaseId',
  'kind',
  'durationDays',
  'start',
  'predecessors',
  'assignees',
  'cost',
  'percentComplete',
  'status',
  'scheduledStart',
  'scheduledFinish',
] as const;
type Column = (typeof COLUMNS)[number];

/** Header names other tools use for the same columns (compared lower-case, without spaces). */
const ALIASES: Readonly<Record<string, Column>> = {
  id: 'id',
  uid: 'id',
  title: 'title',
  name: 'title',
  taskname: 'title',
  phase: 'phase',
  phaseid: 'phaseId',
  kind: 'kind',
  type: 'kind',
  duration: 'durationDays',
  durationdays: 'durationDays',
  'duration(days)': 'durationDays',
  start: 'start',
  startnoearlierthan: 'start',
  predecessors: 'predecessors',
  predecessor: 'predecessors',
  dependson: 'predecessors',
  assignees: 'assignees',
  resourcenames: 'assignees',
  assignee: 'assignees',
  cost: 'cost',
  percentcomplete: 'percentComplete',
  '%complete': 'percentComplete',
  status: 'status',
  scheduledstart: 'scheduledStart',
  scheduledfinish: 'scheduledFinish',
  finish: 'scheduledFinish',
};

export interface CsvImportOptions {
  /** Plan title; a CSV has none of its own. */
  readonly title: string;
  /** Day 0 of the schedule; else the earliest `scheduledStart` or `start` in the file. */
  readonly planStart?: IsoDate;
}

const PREDECESSOR = /^(.+?)\s*(FS|SS|FF|SF)?\s*(?:([+-])\s*(\d+)\s*(d|days?|ed|edays?|wd)?)?$/i;

export function readTasksCsv(text: string, options: CsvImportOptions): ConvertedPlan {
  let table;
  try {
    table = readCsv(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError)
      throw new ImportRefusedError('csv', [{ at: `line ${error.line}`, message: error.message }]);
    throw error;
  }
  const notes = new ImportNotes();
  const problems: ImportProblem[] = [];
  const columnAt = new Map<Column, number>();
  table.header.forEach((name, i) => {
    const column = ALIASES[name.toLowerCase().replace(/\s+/g, '')];
    if (column && !columnAt.has(column)) columnAt.set(column, i);
    else if (name !== '')
      notes.notHeld('line 1', name, `column ${JSON.stringify(name)} is not held`);
  });
  if (!columnAt.has('title')) {
    throw new ImportRefusedError('csv', [
      {
        at: 'line 1',
        message: `the header needs a title column (got ${table.header.map((h) => JSON.stringify(h)).join(', ') || 'nothing'})`,
      },
    ]);
  }
  const cell = (cells: readonly string[], column: Column): string => {
    const i = columnAt.get(column);
    const raw = i === undefined ? '' : (cells[i] ?? '').trim();
    // writeCsv guards formula-like text with an apostrophe; take it off again
    return /^'[=+\-@]/.test(raw) ? raw.slice(1) : raw;
  };

  const origins = new Map<string, string>();
  const phases = new Map<string, { id: string; title: string; order: number }>();
  const tasks: Record<string, unknown>[] = [];
  const milestones: Record<string, unknown>[] = [];
  const lineOfId = new Map<string, number>();
  const pending: { entry: Record<string, unknown>; line: number; predecessors: string }[] = [];
  let earliest: IsoDate | undefined;

  table.rows.forEach((row, index) => {
    const at = `line ${row.line}`;
    const fail = (column: string, message: string) =>
      problems.push({ at: `${at}, ${column}`, message });
    if (
      row.cells.length > table.header.length &&
      row.cells.slice(table.header.length).some((c) => c.trim() !== '')
    )
      fail('row', `has ${row.cells.length} cells but the header has ${table.header.length}`);
    const id = cell(row.cells, 'id') || String(index + 1);
    const title = cell(row.cells, 'title');
    if (title === '') fail('title', 'is empty');
    if (lineOfId.has(id))
      fail('id', `${JSON.stringify(id)} is already used on line ${lineOfId.get(id)}`);
    lineOfId.set(id, row.line);

    const durationText = cell(row.cells, 'durationDays').replace(/\s*(d|days?)$/i, '');
    const durationDays = durationText === '' ? undefined : Number(durationText);
    if (durationDays !== undefined && !(Number.isInteger(durationDays) && durationDays >= 0))
      fail(
        'durationDays',
        `must be a whole number of days ≥ 0, got ${JSON.stringify(cell(row.cells, 'durationDays'))}`,
      );
    const kindText = cell(row.cells, 'kind').toLowerCase();
    if (kindText !== '' && kindText !== 'task' && kindText !== 'milestone')
      fail('kind', `must be task or milestone, got ${JSON.stringify(kindText)}`);
    const milestone = kindText === 'milestone' || (kindText === '' && durationDays === 0);
    if (!milestone && durationDays === undefined) fail('durationDays', 'is required for a task');

    const start = cell(row.cells, 'start');
    if (start !== '' && !isIsoDate(start))
      fail('start', `must be a date YYYY-MM-DD, got ${JSON.stringify(start)}`);
    for (const column of ['scheduledStart', 'start'] as const) {
      const value = cell(row.cells, column);
      if (isIsoDate(value) && (earliest === undefined || value < earliest)) earliest = value;
    }
    const entry: Record<string, unknown> = { id, title };
    const phaseTitle = cell(row.cells, 'phase');
    const phaseId = cell(row.cells, 'phaseId');
    if (phaseTitle !== '' || phaseId !== '') {
      const key = phaseId || phaseTitle;
      let phase = phases.get(key);
      if (!phase) {
        phase = {
          id: phaseId || `ph-${slug(phaseTitle) || phases.size + 1}`,
          title: phaseTitle || phaseId,
          order: phases.size,
        };
        phases.set(key, phase);
        origins.set(`phases.${phase.id}`, at);
      }
      entry.phaseId = phase.id;
    }
    const assignees = cell(row.cells, 'assignees');
    entry.assignees =
      assignees === ''
        ? []
        : assignees
            .split(/[;,]/)
            .map((a) => a.trim())
            .filter(Boolean);
    const status = cell(row.cells, 'status');
    if (status !== '') {
      if ((WORK_STATUSES as readonly string[]).includes(status)) entry.status = status;
      else
        fail('status', `must be one of ${WORK_STATUSES.join(', ')}, got ${JSON.stringify(status)}`);
    }
    if (milestone) {
      if (start !== '') entry.date = start;
      for (const column of ['cost', 'percentComplete'] as const) {
        const value = cell(row.cells, column);
        if (value !== '' && Number(value) !== 0)
          notes.notHeld(at, column, `${column} ${value} of a milestone is not held`);
      }
      milestones.push(entry);
      origins.set(`milestones.${id}`, at);
    } else {
      if (start !== '') entry.start = start;
      entry.durationDays = durationDays;
      const cost = number(cell(row.cells, 'cost'));
      if (cost === null || (cost !== undefined && cost < 0))
        fail('cost', `must be a number ≥ 0, got ${JSON.stringify(cell(row.cells, 'cost'))}`);
      else if (cost !== undefined) entry.cost = cost;
      const percent = number(cell(row.cells, 'percentComplete').replace(/%$/, ''));
      if (percent === null || (percent !== undefined && (percent < 0 || percent > 100)))
        fail(
          'percentComplete',
          `must be a number from 0 to 100, got ${JSON.stringify(cell(row.cells, 'percentComplete'))}`,
        );
      else if (percent !== undefined) entry.percentComplete = percent;
      tasks.push(entry);
      origins.set(`tasks.${id}`, at);
    }
    pending.push({ entry, line: row.line, predecessors: cell(row.cells, 'predecessors') });
  });

  for (const { entry, line, predecessors } of pending) {
    entry.dependsOn = predecessors
      .split(/[;,]/)
      .map((p) => p.trim())
      .filter(Boolean)
      .flatMap((text) => {
        // an id that itself ends in FS, SS… is read whole
        if (lineOfId.has(text)) return [{ taskId: text, type: 'FS', lagDays: 0 }];
        const match = PREDECESSOR.exec(text);
        const taskId = match?.[1];
        if (!match || !taskId || !lineOfId.has(taskId)) {
          problems.push({
            at: `line ${line}, predecessors`,
            message:
              match && taskId
                ? `${JSON.stringify(text)} names ${JSON.stringify(taskId)}, which is no row's id`
                : `${JSON.stringify(text)} is not <id><FS|SS|FF|SF><+/-lag>, e.g. 3FS+2`,
          });
          return [];
        }
        const type = (match[2]?.toUpperCase() ?? 'FS') as DependencyType;
        const lag = match[4] === undefined ? 0 : Number(match[4]) * (match[3] === '-' ? -1 : 1);
        const elapsed = /^e/i.test(match[5] ?? '');
        return [
          elapsed
            ? { taskId, type, lagDays: lag, lagKind: 'elapsed' }
            : { taskId, type, lagDays: lag },
        ];
      });
  }
  if (problems.length > 0) throw new ImportRefusedError('csv', problems);
  if (table.rows.length === 0)
    throw new ImportRefusedError('csv', [{ at: 'line 2', message: 'the file has no rows' }]);

  return {
    format: 'csv',
    file: {
      meta: { title: options.title, start: options.planStart ?? earliest },
      phases: [...phases.values()],
      tasks,
      milestones,
    } as unknown as ConvertedPlan['file'],
    notes,
    origins,
    fallbacks: new Map(),
    baselines: [],
  };
}

/** The plan's tasks and milestones as CSV, in schedule order, with their computed dates. */
export function writeTasksCsv(
  plan: PlanJson,
  options: { readonly fallbackStart: IsoDate },
): string {
  const planStart = epochDayOf(plan.meta.start) !== null ? plan.meta.start! : options.fallbackStart;
  const activities: ActivityInput[] = [
    ...plan.tasks.map((t) => ({
      id: t.id,
      durationDays: t.durationDays,
      start: t.start ?? null,
      dependsOn: t.dependsOn,
    })),
    ...plan.milestones.map((m) => ({
      id: m.id,
      durationDays: 0,
      milestone: true,
      start: m.date ?? null,
      dependsOn: m.dependsOn,
    })),
  ];
  const schedule = computeSchedule({ planStart, activities });
  const scheduled = new Map(schedule.activities.map((a) => [a.id, a]));
  const order = new Map(schedule.activities.map((a, i) => [a.id, i]));
  const phaseTitle = new Map(plan.phases.map((p) => [p.id, p.title]));
  const items = [
    ...plan.tasks.map((task) => ({ task, milestone: undefined })),
    ...plan.milestones.map((milestone) => ({ task: undefined, milestone })),
  ].sort(
    (a, b) =>
      (order.get((a.task ?? a.milestone)!.id) ?? Infinity) -
      (order.get((b.task ?? b.milestone)!.id) ?? Infinity),
  );
  const rows = items.map(({ task, milestone }) => {
    const item = (task ?? milestone)!;
    const activity = scheduled.get(item.id);
    return [
      item.id,
      item.title,
      item.phaseId ? (phaseTitle.get(item.phaseId) ?? '') : '',
      item.phaseId ?? '',
      task ? 'task' : 'milestone',
      task ? task.durationDays : 0,
      (task ? task.start : milestone!.date) ?? '',
      item.dependsOn.map(predecessorText).join(';'),
      item.assignees.join(';'),
      task ? task.cost : '',
      task ? task.percentComplete : '',
      item.status,
      activity?.start ?? '',
      activity?.finish ?? '',
    ];
  });
  return writeCsv([[...COLUMNS], ...rows]);
}

function predecessorText(d: {
  taskId: string;
  type: DependencyType;
  lagDays: number;
  lagKind?: unknown;
}): string {
  const lag =
    d.lagDays === 0
      ? ''
      : `${d.lagDays > 0 ? '+' : ''}${d.lagDays}${d.lagKind === 'elapsed' ? 'ed' : ''}`;
  return `${d.taskId}${d.type}${lag}`;
}

/** undefined for an empty cell, null for one that is not a number */
function number(text: string): number | undefined | null {
  if (text === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
