/** A status report as Markdown: headings, short lists and tables, for mail, chat or a wiki. */
import type { MilestoneLine, RiskLine, StatusReport } from './status-report';

const cell = (value: unknown): string =>
  String(value ?? '–')
    .replace(/\|/g, '\\|')
    .replace(/\n/g, ' ');
const table = (head: readonly string[], rows: readonly (readonly unknown[])[]): string[] =>
  rows.length === 0
    ? ['(none)', '']
    : [
        `| ${head.join(' | ')} |`,
        `| ${head.map(() => '---').join(' | ')} |`,
        ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
        '',
      ];
const signed = (n: number | null): string => (n === null ? '–' : n > 0 ? `+${n}` : String(n));
const money = (n: number, currency: string): string =>
  `${n.toLocaleString('en-GB', { maximumFractionDigits: 0 })} ${currency}`.trim();

export const MILESTONE_STATE_LABELS: Readonly<Record<MilestoneLine['state'], string>> = {
  hit: 'hit',
  missed: 'MISSED',
  slipped: 'slipped',
  'on-track': 'on track',
};

export const movementLabel = (r: RiskLine): string =>
  r.movement === 'new'
    ? 'new'
    : r.movement === 'same'
      ? '='
      : `${r.movement === 'up' ? '▲' : '▼'} from ${r.scoreAtSince}`;

export function renderStatusReportMarkdown(report: StatusReport): string {
  const lines: string[] = [];
  const { progress, budget, currency } = report;
  lines.push(`# Status report: ${report.title}`, '');
  lines.push(`Period ${report.period.since} to ${report.period.today}.`);
  if (report.audience)
    lines.push(
      `Prepared for ${report.audience.name} (${report.audience.role}) via ${report.audience.channel}, ${report.audience.cadence}.`,
    );
  lines.push('', '## Highlights', '', ...report.highlights.map((h) => `- ${h}`), '');

  lines.push('## Progress against baseline', '');
  lines.push(
    `- Complete: **${progress.percentComplete}%** (was ${progress.percentCompleteAtSince}% at the start of the period)`,
  );
  if (progress.plannedPercentByBaseline !== null)
    lines.push(
      `- Baseline "${progress.baselineName}" planned ${progress.plannedPercentByBaseline}% by today`,
    );
  lines.push(
    `- Finish forecast ${progress.projectFinish}${progress.baselineFinish ? ` against ${progress.baselineFinish} in the baseline (${signed(progress.finishDeltaDays)} days)` : ''}`,
    `- Activities slipped against the baseline: ${progress.slippedActivities}`,
    '',
  );

  lines.push('## Milestones', '');
  lines.push(
    ...table(
      ['milestone', 'forecast', 'baseline', 'slip (days)', 'moved in period', 'state'],
      report.milestones.map((m) => [
        m.title,
        m.date,
        m.baselineDate ?? m.targetDate,
        signed(m.slipDays),
        signed(m.movedInPeriodDays),
        `${MILESTONE_STATE_LABELS[m.state]}${m.hitInPeriod ? ' (this period)' : ''}`,
      ]),
    ),
  );

  lines.push('## Critical path', '');
  lines.push(report.criticalPath.activities.map((a) => a.title).join(' → ') || '(none)', '');
  if (report.criticalPath.added.length > 0)
    lines.push(`Now critical: ${report.criticalPath.added.map((a) => a.title).join(', ')}`);
  if (report.criticalPath.removed.length > 0)
    lines.push(`No longer critical: ${report.criticalPath.removed.map((a) => a.title).join(', ')}`);
  lines.push('');

  lines.push('## Risks', '');
  lines.push(
    ...table(
      ['risk', 'owner', 'P×I', 'score', 'level', 'movement'],
      report.risks.top.map((r) => [
        r.title,
        r.owner,
        `${r.probability}×${r.impact}`,
        r.score,
        r.level,
        movementLabel(r),
      ]),
    ),
  );
  if (report.risks.rose.length > 0)
    lines.push(
      `Rose: ${report.risks.rose.map((r) => `${r.title} (${r.scoreAtSince} → ${r.score})`).join('; ')}`,
    );
  if (report.risks.fell.length > 0)
    lines.push(
      `Fell: ${report.risks.fell.map((r) => `${r.title} (${r.scoreAtSince} → ${r.score})`).join('; ')}`,
    );
  if (report.risks.added.length > 0)
    lines.push(`New: ${report.risks.added.map((r) => r.title).join('; ')}`);
  if (report.risks.closed.length > 0)
    lines.push(`No longer open: ${report.risks.closed.map((r) => r.title).join('; ')}`);
  lines.push('');

  lines.push('## Budget', '');
  lines.push(
    `- Budget ${money(budget.budget, currency)}, planned cost ${money(budget.plannedCost, currency)}${budget.overBudget ? ' (**over budget**)' : ''}, at the start of the period ${money(budget.plannedCostAtSince, currency)}`,
    `- Earned value ${money(budget.earnedValue, currency)} (${budget.burnPercent ?? '–'}% of budget) against ${money(budget.plannedValueToDate, currency)} planned by today`,
    '',
  );
  lines.push(
    ...table(
      ['category', 'planned', 'budget', 'remaining'],
      budget.categories.map((c) => [
        c.name,
        money(c.planned, currency),
        c.budget === null ? '–' : money(c.budget, currency),
        c.remaining === null ? '–' : money(c.remaining, currency),
      ]),
    ),
  );

  const ev = report.earnedValue;
  if (ev !== null) {
    const index = (value: number | null) => (value === null ? '–' : value.toFixed(2));
    lines.push(`## Earned value as of ${ev.statusDate}`, '');
    lines.push(
      `- PV ${money(ev.pv, currency)}, EV ${money(ev.ev, currency)}, AC ${money(ev.ac, currency)}`,
      `- SV ${money(ev.sv, currency)}, CV ${money(ev.cv, currency)}, SPI ${index(ev.spi)}, CPI ${index(ev.cpi)}`,
      `- BAC ${money(ev.bac, currency)}, EAC ${money(ev.eac, currency)}, ETC ${money(ev.etc, currency)}, VAC ${money(ev.vac, currency)}`,
      '',
      'S-curve (cumulative per week):',
      '',
    );
    lines.push(
      ...table(
        ['week', 'PV', 'EV', 'AC'],
        (report.charts.sCurve ?? []).map((w) => [
          w.week,
          money(w.pv, currency),
          w.ev === null ? '–' : money(w.ev, currency),
          w.ac === null ? '–' : money(w.ac, currency),
        ]),
      ),
    );
  }

  lines.push('## Objectives and KPIs', '');
  lines.push(
    ...table(
      ['objective', 'KPI', 'now', 'start of period', 'target', 'due', 'status'],
      report.kpis.map((k) => [
        k.title,
        k.kpi,
        k.current === null ? '–' : `${k.current} ${k.unit}`,
        k.valueAtSince === null ? '–' : `${k.valueAtSince} ${k.unit}`,
        `${k.target} ${k.unit}`,
        k.due,
        `${k.status} (${k.direction})`,
      ]),
    ),
  );
  if (report.alignmentGaps.length > 0)
    lines.push(
      `Tasks serving no objective: ${report.alignmentGaps.map((g) => g.title).join(', ')}`,
      '',
    );

  if (report.scope) {
    const s = report.scope;
    lines.push('## Scope', '');
    lines.push(
      `Against baseline "${s.baselineName}": ${s.added.length} added, ${s.removed.length} removed, ${s.changedCount} re-estimated; effort ${signed(s.effortDeltaDays)} days, cost ${signed(s.costDelta)} ${currency}; growth ${s.growthPercent}% (threshold ${s.thresholdPercent}%)${s.creepDetected ? ' — **scope creep**' : ''}.`,
      '',
    );
    lines.push(
      ...table(
        ['added', 'by', 'cost'],
        s.added.map((a) => [a.title, a.by, money(a.cost, currency)]),
      ),
    );
  }

  if (report.overAllocations.length > 0) {
    lines.push('## Over-allocated resources', '');
    lines.push(
      ...table(
        ['who', 'week', 'booked h', 'capacity h', 'tasks'],
        report.overAllocations.map((o) => [
          o.name,
          `${o.week} (${o.weekStart})`,
          o.assignedHours,
          o.capacityHours,
          o.taskIds.join(', '),
        ]),
      ),
    );
  }

  lines.push('## Feedback', '');
  lines.push(
    `${report.feedback.openThreads} open thread(s); ${report.feedback.commentsInPeriod} comment(s) and ${report.feedback.resolvedInPeriod} resolution(s) this period.`,
    '',
  );
  lines.push(
    ...table(
      ['on', 'by', 'says', 'replies', 'last activity'],
      report.feedback.threads.map((t) => [
        t.targetTitle,
        t.author,
        t.excerpt,
        t.replies,
        t.lastActivityAt.slice(0, 10),
      ]),
    ),
  );

  if (report.communication.length > 0) {
    lines.push('## Stakeholders due an update', '');
    lines.push(
      ...table(
        ['stakeholder', 'channel', 'cadence', 'due since', 'last sent'],
        report.communication.map((c) => [
          `${c.name} (${c.role})`,
          c.channel,
          c.cadence,
          c.dueOn,
          c.lastSentAt?.slice(0, 10) ?? 'never',
        ]),
      ),
    );
  }
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}
