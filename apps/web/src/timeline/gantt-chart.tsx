/**
 * The Gantt timeline as SVG over calendar days: one row per task or milestone grouped by phase,
 * bars from earliest start to the end of the last work day, non-working days (weekends,
 * holidays) shaded, progress inside the bar, date-constraint markers (red when the constraint
 * cannot hold), dependency links, the critical path in red, and optional ghost bars (a leveling
 * preview) where activities would move. Every bar is a list item named with its dates and
 * whether it is critical, and carries `data-critical`, so the chart reads without seeing it.
 */
import { useId } from 'react';
import type { Dependency, Phase, PlanJson, ScheduleConstraint } from '@lib/plan-domain';
import type { TimelineBar, TimelineView } from './timeline-view';

const ROW_HEIGHT = 26;
const HEADER_HEIGHT = 34;
const LABEL_WIDTH = 230;
const PHASE_GAP = 4;

interface Row {
  readonly kind: 'phase' | 'activity';
  readonly y: number;
  readonly bar?: TimelineBar;
  readonly phase?: {
    readonly id: string;
    readonly title: string;
    readonly startDay: number;
    readonly endDay: number;
  };
}

/** Where an activity would be drawn instead, e.g. after leveling. */
export interface GhostBar {
  readonly startDay: number;
  readonly endDay: number;
}

export function GanttChart({
  timeline,
  plan,
  title,
  ghosts,
}: {
  timeline: TimelineView;
  plan: PlanJson;
  title?: string;
  ghosts?: ReadonlyMap<string, GhostBar>;
}) {
  const titleId = useId();
  const rows = layoutRows(timeline, plan.phases);
  const ghostEnd = Math.max(0, ...[...(ghosts?.values() ?? [])].map((g) => g.endDay));
  const days = Math.max(1, timeline.spanDays, ghostEnd + 1);
  const conflicts = new Set(timeline.conflictIds);
  const dayWidth = Math.max(6, Math.min(30, 820 / days));
  const width = LABEL_WIDTH + days * dayWidth + 40;
  const height = HEADER_HEIGHT + (rows.at(-1)?.y ?? 0) + ROW_HEIGHT + 8;
  const x = (day: number): number => LABEL_WIDTH + day * dayWidth;
  const rowOf = new Map(rows.filter((r) => r.bar).map((r) => [r.bar!.id, r]));
  const critical = timeline.criticalPath.map((id) => rowOf.get(id)?.bar?.title ?? id);

  return (
    <figure className="gantt" aria-labelledby={titleId}>
      <figcaption id={titleId}>
        <strong>{title ?? 'Timeline'}</strong>{' '}
        <span className="muted">
          {timeline.planStart} → {timeline.projectFinish} ({timeline.projectFinishDay}{' '}
          {timeline.nonWorkingDays.length > 0 ? 'working days' : 'days'}) ·{' '}
          {timeline.source === 'server'
            ? 'schedule from the server timeline'
            : 'schedule computed in the browser'}
        </span>
      </figcaption>
      <div className="gantt-scroll">
        <svg
          width={width}
          height={height}
          viewBox={`0 0 ${width} ${height}`}
          className="gantt-svg"
          data-source={timeline.source}
        >
          <g className="gantt-nonworking" aria-hidden="true">
            {timeline.nonWorkingDays.map((day) => (
              <rect
                key={day}
                x={x(day)}
                y={HEADER_HEIGHT - 6}
                width={dayWidth}
                height={height - HEADER_HEIGHT + 6}
                data-day={day}
              />
            ))}
          </g>
          <g className="gantt-axis" aria-hidden="true">
            {weekTicks(timeline.planStart, days).map((tick) => (
              <g key={tick.day}>
                <line
                  x1={x(tick.day)}
                  x2={x(tick.day)}
                  y1={HEADER_HEIGHT - 6}
                  y2={height}
                  className="gantt-grid"
                />
                <text x={x(tick.day) + 3} y={HEADER_HEIGHT - 12} className="gantt-tick">
                  {tick.label}
                </text>
              </g>
            ))}
          </g>
          <g aria-hidden="true" className="gantt-links">
            {linksOf(plan, rowOf).map((link) => {
              const x1 = x(link.fromDay);
              const x2 = x(link.toDay);
              const y1 = HEADER_HEIGHT + link.fromY + ROW_HEIGHT / 2;
              const y2 = HEADER_HEIGHT + link.toY + ROW_HEIGHT / 2;
              const mid = Math.max(x1 + 6, Math.min(x2 - 6, x1 + 6));
              return (
                <path
                  key={link.key}
                  d={`M${x1},${y1} H${mid} V${y2} H${x2 - 3}`}
                  className={link.critical ? 'gantt-link critical' : 'gantt-link'}
                  markerEnd={`url(#arrow-${link.critical ? 'critical' : 'normal'})`}
                />
              );
            })}
          </g>
          <defs>
            <marker
              id="arrow-normal"
              markerWidth="6"
              markerHeight="6"
              refX="5"
              refY="3"
              orient="auto"
            >
              <path d="M0,0 L6,3 L0,6 z" className="gantt-arrow" />
            </marker>
            <marker
              id="arrow-critical"
              markerWidth="6"
              markerHeight="6"
              refX="5"
              refY="3"
              orient="auto"
            >
              <path d="M0,0 L6,3 L0,6 z" className="gantt-arrow critical" />
            </marker>
          </defs>
          <g role="list" aria-label={`${title ?? 'Timeline'}: tasks and milestones`}>
            {rows.map((row) => {
              const y = HEADER_HEIGHT + row.y;
              if (row.kind === 'phase' && row.phase) {
                return (
                  <g key={`phase-${row.phase.id}`} className="gantt-phase" aria-hidden="true">
                    <text x={8} y={y + 17} className="gantt-phase-label">
                      {truncate(row.phase.title, 30)}
                    </text>
                    <rect
                      x={x(row.phase.startDay)}
                      y={y + 9}
                      width={Math.max(2, (row.phase.endDay - row.phase.startDay) * dayWidth)}
                      height={7}
                      rx={2}
                    />
                  </g>
                );
              }
              const bar = row.bar!;
              const ghost = ghosts?.get(bar.id);
              const constraint = bar.constraint?.date
                ? `, ${bar.constraint.type} ${bar.constraint.date}${conflicts.has(bar.id) ? ' (cannot hold)' : ''}`
                : '';
              const label = `${bar.title}: ${bar.start}${bar.milestone ? '' : ` to ${bar.finish}`}${
                bar.milestone ? ', milestone' : ''
              }${bar.critical ? ', on the critical path' : `, ${bar.totalFloat} days of float`}${constraint}${
                ghost ? `, leveling moves it to day ${ghost.startDay}` : ''
              }`;
              return (
                <g
                  key={bar.id}
                  role="listitem"
                  aria-label={label}
                  data-activity-id={bar.id}
                  data-critical={String(bar.critical)}
                  className={`gantt-bar${bar.critical ? ' critical' : ''}${bar.milestone ? ' milestone' : ''}`}
                >
                  <title>{label}</title>
                  <text x={20} y={y + 17} className="gantt-label">
                    {truncate(bar.title, 32)}
                  </text>
                  {ghost && (
                    <rect
                      x={x(ghost.startDay)}
                      y={y + 3}
                      width={Math.max(3, (ghost.endDay - ghost.startDay) * dayWidth)}
                      height={20}
                      rx={3}
                      className="gantt-ghost"
                      data-ghost-for={bar.id}
                    />
                  )}
                  {bar.milestone ? (
                    <path
                      d={`M${x(bar.startDay)},${y + 5} l8,8 l-8,8 l-8,-8 z`}
                      className="gantt-milestone"
                    />
                  ) : (
                    <>
                      <rect
                        x={x(bar.startDay)}
                        y={y + 5}
                        width={Math.max(3, (bar.endDay - bar.startDay) * dayWidth)}
                        height={16}
                        rx={3}
                        className="gantt-rect"
                      />
                      {bar.percentComplete > 0 && (
                        <rect
                          x={x(bar.startDay)}
                          y={y + 5}
                          width={Math.max(
                            0,
                            ((bar.endDay - bar.startDay) *
                              dayWidth *
                              Math.min(100, bar.percentComplete)) /
                              100,
                          )}
                          height={16}
                          rx={3}
                          className="gantt-progress"
                          data-percent={bar.percentComplete}
                        />
                      )}
                      {bar.totalFloat > 0 && (
                        <line
                          x1={x(bar.endDay)}
                          x2={x(bar.lateEndDay)}
                          y1={y + 13}
                          y2={y + 13}
                          className="gantt-float"
                        />
                      )}
                    </>
                  )}
                  {bar.constraint?.date && (
                    <path
                      d={`M${x(constraintDay(timeline.planStart, bar.constraint))},${y + 2} l-4,-5 h8 z`}
                      className={`gantt-constraint${conflicts.has(bar.id) ? ' conflict' : ''}`}
                      data-constraint={bar.constraint.type}
                    />
                  )}
                </g>
              );
            })}
          </g>
        </svg>
      </div>
      <p className="gantt-summary" data-testid="critical-path">
        <span className="legend critical" aria-hidden="true" /> Critical path (
        {timeline.criticalPath.length}): {critical.length ? critical.join(' → ') : 'none'}
        {timeline.cycles.length > 0 && (
          <span role="alert" className="error">
            {' '}
            · {timeline.cycles.length} dependency cycle(s) left out of the schedule
          </span>
        )}
      </p>
    </figure>
  );
}

function layoutRows(timeline: TimelineView, phases: readonly Phase[]): Row[] {
  const order = new Map(phases.map((p, i) => [p.id, i]));
  const titles = new Map(phases.map((p) => [p.id, p.title]));
  const groups = new Map<string, TimelineBar[]>();
  for (const bar of timeline.bars) {
    const key = bar.phaseId ?? '';
    groups.set(key, [...(groups.get(key) ?? []), bar]);
  }
  const keys = [...groups.keys()].sort(
    (a, b) =>
      (order.get(a) ?? Number.MAX_SAFE_INTEGER) - (order.get(b) ?? Number.MAX_SAFE_INTEGER) ||
      a.localeCompare(b),
  );
  const rows: Row[] = [];
  let y = 0;
  for (const key of keys) {
    const bars = [...groups.get(key)!].sort(
      (a, b) => a.es - b.es || a.ef - b.ef || a.title.localeCompare(b.title),
    );
    if (keys.length > 1 || key !== '') {
      rows.push({
        kind: 'phase',
        y,
        phase: {
          id: key,
          title: key === '' ? 'No phase' : (titles.get(key) ?? key),
          startDay: Math.min(...bars.map((b) => b.startDay)),
          endDay: Math.max(...bars.map((b) => b.endDay)),
        },
      });
      y += ROW_HEIGHT;
    }
    for (const bar of bars) {
      rows.push({ kind: 'activity', y, bar });
      y += ROW_HEIGHT;
    }
    y += PHASE_GAP;
  }
  return rows;
}

interface LinkLine {
  readonly key: string;
  readonly fromDay: number;
  readonly toDay: number;
  readonly fromY: number;
  readonly toY: number;
  readonly critical: boolean;
}

function linksOf(plan: PlanJson, rowOf: ReadonlyMap<string, Row>): LinkLine[] {
  const lines: LinkLine[] = [];
  for (const item of [...plan.tasks, ...plan.milestones]) {
    const to = rowOf.get(item.id);
    if (!to?.bar || !Array.isArray(item.dependsOn)) continue;
    for (const dependency of item.dependsOn as readonly Dependency[]) {
      const from = rowOf.get(dependency.taskId);
      if (!from?.bar) continue;
      const startsFromFinish = dependency.type === 'FS' || dependency.type === 'FF';
      const endsAtStart = dependency.type === 'FS' || dependency.type === 'SS';
      lines.push({
        key: `${dependency.taskId}->${item.id}`,
        fromDay: startsFromFinish ? from.bar.endDay : from.bar.startDay,
        toDay: endsAtStart ? to.bar.startDay : to.bar.endDay,
        fromY: from.y,
        toY: to.y,
        critical: from.bar.critical && to.bar.critical,
      });
    }
  }
  return lines;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function weekTicks(planStart: string, days: number): { day: number; label: string }[] {
  const start = Date.parse(`${planStart}T00:00:00Z`);
  if (Number.isNaN(start)) return [];
  const step = days > 180 ? 28 : days > 90 ? 14 : 7;
  const ticks: { day: number; label: string }[] = [];
  for (let day = 0; day <= days; day += step) {
    const date = new Date(start + day * 86_400_000);
    ticks.push({ day, label: `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]}` });
  }
  return ticks;
}

/** Where a constraint's marker goes: its date, or the end of that day for finish constraints. */
function constraintDay(planStart: string, constraint: ScheduleConstraint): number {
  const origin = Date.parse(`${planStart}T00:00:00Z`);
  const day = Date.parse(`${constraint.date ?? planStart}T00:00:00Z`);
  if (Number.isNaN(origin) || Number.isNaN(day)) return 0;
  const finish = constraint.type.startsWith('F') || constraint.type === 'MFO';
  return Math.round((day - origin) / 86_400_000) + (finish ? 1 : 0);
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
