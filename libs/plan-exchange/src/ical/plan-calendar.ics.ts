/**
 * A plan as an iCalendar feed (RFC 5545) that calendar apps subscribe to: one all-day event per
 * task from its scheduled start to its finish (DTEND is exclusive, like the plan's finish) and
 * one per milestone on its date. UIDs are stable per plan and item, so a subscribed calendar
 * moves an event when the schedule moves instead of duplicating it.
 */
import {
  computeSchedule,
  epochDayOf,
  isoDateOfEpochDay,
  type IsoDate,
  type PlanJson,
} from '@lib/plan-domain';

export interface PlanCalendarOptions {
  readonly planId: string;
  /** DTSTAMP of every event: when the feed was generated (ISO time). */
  readonly generatedAt: string;
  /** Day 0 when the plan has no start date. */
  readonly fallbackStart: IsoDate;
  /** Link back to the plan in the editor, if known. */
  readonly planUrl?: string;
}

export function writePlanCalendar(plan: PlanJson, options: PlanCalendarOptions): string {
  const planStart = epochDayOf(plan.meta.start) !== null ? plan.meta.start! : options.fallbackStart;
  const schedule = computeSchedule({
    planStart,
    activities: [
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
    ],
  });
  const items = new Map<
    string,
    { title: string; phaseId?: string; assignees: readonly string[]; status: string }
  >([
    ...plan.tasks.map((t) => [t.id, t] as const),
    ...plan.milestones.map((m) => [m.id, m] as const),
  ]);
  const phaseTitle = new Map(plan.phases.map((p) => [p.id, p.title]));
  const stamp = basicTime(options.generatedAt);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//plan-server//plan calendar//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${text(plan.meta.title)}`,
  ];
  for (const activity of schedule.activities) {
    const item = items.get(activity.id);
    if (!item) continue;
    const end = activity.milestone
      ? isoDateOfEpochDay(epochDayOf(activity.start)! + 1)
      : activity.finish > activity.start
        ? activity.finish
        : isoDateOfEpochDay(epochDayOf(activity.start)! + 1);
    const phase = item.phaseId ? phaseTitle.get(item.phaseId) : undefined;
    const description = [
      phase ? `Phase: ${phase}` : undefined,
      item.assignees.length > 0 ? `Assignees: ${item.assignees.join(', ')}` : undefined,
      `Status: ${item.status}`,
      activity.milestone ? undefined : `Progress: ${activity.percentComplete}%`,
      activity.critical ? 'On the critical path' : `Float: ${activity.totalFloat} days`,
      options.planUrl,
    ].filter((l): l is string => l !== undefined);
    lines.push(
      'BEGIN:VEVENT',
      `UID:${text(`${options.planId}.${activity.id}`)}@plan-server`,
      `DTSTAMP:${stamp}`,
      `DTSTART;VALUE=DATE:${basicDate(activity.start)}`,
      `DTEND;VALUE=DATE:${basicDate(end)}`,
      `SUMMARY:${text(activity.milestone ? `◆ ${item.title}` : item.title)}`,
      `DESCRIPTION:${text(description.join('\n'))}`,
      ...(phase ? [`CATEGORIES:${text(phase)}`] : []),
      'TRANSP:TRANSPARENT',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(fold).join('\r\n') + '\r\n';
}

/** TEXT value escaping (RFC 5545 3.3.11). */
function text(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r?\n/g, '\\n');
}

const basicDate = (date: IsoDate): string => date.replace(/-/g, '');

function basicTime(iso: string): string {
  return new Date(iso)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** Lines longer than 75 octets are folded: CRLF and a space, never inside a UTF-8 sequence. */
function fold(line: string): string {
  const bytes = Buffer.from(line, 'utf8');
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let current = '';
  let size = 0;
  for (const char of line) {
    const length = Buffer.byteLength(char, 'utf8');
    if (size + length > (parts.length === 0 ? 75 : 74)) {
      parts.push(current);
      current = '';
      size = 0;
    }
    current += char;
    size += length;
  }
  parts.push(current);
  return parts.join('\r\n ');
}
