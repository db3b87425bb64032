/**
 * A status report as one self-contained HTML page: inline CSS, inline SVG charts (burn-up,
 * risk heat map, KPI trends), no script and no external resource, so it can be mailed, saved
 * or printed as it is.
 */
import { burnUpSvg, escapeXml as e, kpiTrendSvg, riskHeatMapSvg, sCurveSvg } from './report-charts';
import { MILESTONE_STATE_LABELS, movementLabel } from './status-report.markdown';
import type { StatusReport } from './status-report';

const money = (n: number, currency: string): string =>
  e(`${n.toLocaleString('en-GB', { maximumFractionDigits: 0 })} ${currency}`.trim());
const signed = (n: number | null): string => (n === null ? '–' : n > 0 ? `+${n}` : String(n));

function table(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  empty = 'none',
): string {
  if (rows.length === 0) return `<p class="muted">${e(empty)}</p>`;
  return `<table><thead><tr>${head.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;max-width:980px;margin:24px auto;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;border-bottom:1px solid #ddd;padding-bottom:3px;margin-top:26px}
.muted{color:#777}.period{color:#555;margin:0 0 14px}
ul.highlights{background:#f6f8fb;border-left:4px solid #2f6db5;padding:10px 10px 10px 28px;margin:0}
table{border-collapse:collapse;width:100%;margin:6px 0;font-size:13px}th,td{border-bottom:1px solid #eee;padding:4px 6px;text-align:left;vertical-align:top}th{background:#fafafa;font-weight:600}
.grid{display:flex;flex-wrap:wrap;gap:18px;align-items:flex-start}.card{border:1px solid #e3e3e3;border-radius:6px;padding:10px;background:#fff}
.kpis{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:12px}
.tag{display:inline-block;padding:0 6px;border-radius:8px;font-size:12px;background:#eee}
.missed,.off-track,.critical,.up{background:#f8d7d7;color:#8b1d1d}.slipped,.at-risk,.high{background:#fde2c4;color:#7a4a00}
.hit,.on-track,.met,.down,.low{background:#d7efd7;color:#1e5e1e}.medium{background:#fbf0c4;color:#6b5800}
.figure{font-size:26px;font-weight:600}
@media print{body{margin:0}}`;

const tag = (text: string, kind: string = text): string =>
  `<span class="tag ${e(kind)}">${e(text)}</span>`;

export function renderStatusReportHtml(report: StatusReport): string {
  const { progress, budget, currency } = report;
  const parts: string[] = [];
  parts.push(`<h1>Status report: ${e(report.title)}</h1>`);
  parts.push(
    `<p class="period">Period ${e(report.period.since)} to ${e(report.period.today)}${
      report.audience
        ? ` · prepared for <b>${e(report.audience.name)}</b> (${e(report.audience.role)}) via ${e(report.audience.channel)}, ${e(report.audience.cadence)}`
        : ''
    }</p>`,
  );
  parts.push(
    `<ul class="highlights">${report.highlights.map((h) => `<li>${e(h)}</li>`).join('')}</ul>`,
  );

  parts.push('<h2>Progress against baseline</h2><div class="grid">');
  parts.push(
    `<div class="card"><div class="figure">${progress.percentComplete}%</div>complete (was ${progress.percentCompleteAtSince}%)${
      progress.plannedPercentByBaseline === null
        ? ''
        : `<br>baseline "${e(progress.baselineName ?? '')}" planned ${progress.plannedPercentByBaseline}%`
    }<br>finish forecast <b>${e(progress.projectFinish)}</b>${
      progress.baselineFinish
        ? `<br>baseline finish ${e(progress.baselineFinish)} (${signed(progress.finishDeltaDays)} days)`
        : ''
    }<br>${progress.slippedActivities} activities slipped</div>`,
  );
  parts.push(`<div class="card">${burnUpSvg(report.charts.burnUp)}</div></div>`);

  parts.push('<h2>Milestones</h2>');
  parts.push(
    table(
      ['milestone', 'forecast', 'baseline', 'slip (days)', 'moved in period', 'state'],
      report.milestones.map((m) => [
        e(m.title),
        e(m.date),
        e(m.baselineDate ?? m.targetDate ?? '–'),
        signed(m.slipDays),
        signed(m.movedInPeriodDays),
        tag(MILESTONE_STATE_LABELS[m.state], m.state) + (m.hitInPeriod ? ' this period' : ''),
      ]),
    ),
  );

  parts.push('<h2>Critical path</h2>');
  parts.push(
    `<p>${report.criticalPath.activities.map((a) => e(a.title)).join(' → ') || '<span class="muted">none</span>'}</p>`,
  );
  if (report.criticalPath.added.length > 0)
    parts.push(
      `<p>Now critical: ${report.criticalPath.added.map((a) => tag(a.title, 'up')).join(' ')}</p>`,
    );
  if (report.criticalPath.removed.length > 0)
    parts.push(
      `<p>No longer critical: ${report.criticalPath.removed.map((a) => tag(a.title, 'down')).join(' ')}</p>`,
    );

  parts.push('<h2>Risks</h2><div class="grid"><div class="card">');
  parts.push(riskHeatMapSvg(report.risks.heatMap));
  parts.push('</div><div style="flex:1;min-width:420px">');
  parts.push(
    table(
      ['risk', 'owner', 'P×I', 'score', 'movement'],
      report.risks.top.map((r) => [
        e(r.title),
        e(r.owner),
        `${r.probability}×${r.impact}`,
        tag(`${r.score} ${r.level}`, r.level),
        tag(movementLabel(r), r.movement),
      ]),
      'no open risks',
    ),
  );
  if (report.risks.rose.length > 0)
    parts.push(
      `<p>Rose: ${report.risks.rose.map((r) => `${e(r.title)} (${r.scoreAtSince} → ${r.score})`).join('; ')}</p>`,
    );
  if (report.risks.fell.length > 0)
    parts.push(
      `<p>Fell: ${report.risks.fell.map((r) => `${e(r.title)} (${r.scoreAtSince} → ${r.score})`).join('; ')}</p>`,
    );
  if (report.risks.added.length > 0)
    parts.push(`<p>New: ${report.risks.added.map((r) => e(r.title)).join('; ')}</p>`);
  parts.push('</div></div>');

  parts.push('<h2>Budget</h2>');
  parts.push(
    `<p>Budget <b>${money(budget.budget, currency)}</b>, planned cost <b>${money(budget.plannedCost, currency)}</b>${budget.overBudget ? ' ' + tag('over budget', 'critical') : ''} (start of period ${money(
      budget.plannedCostAtSince,
      currency,
    )}). Earned value ${money(budget.earnedValue, currency)} (${budget.burnPercent ?? '–'}% of budget) against ${money(budget.plannedValueToDate, currency)} planned by today.</p>`,
  );
  parts.push(
    table(
      ['category', 'planned', 'budget', 'remaining'],
      budget.categories.map((c) => [
        e(c.name),
        money(c.planned, currency),
        c.budget === null ? '–' : money(c.budget, currency),
        c.remaining === null
          ? '–'
          : c.overBudget
            ? tag(money(c.remaining, currency), 'critical')
            : money(c.remaining, currency),
      ]),
    ),
  );

  const ev = report.earnedValue;
  if (ev !== null) {
    const index = (value: number | null) => (value === null ? '–' : value.toFixed(2));
    parts.push(`<h2>Earned value as of ${e(ev.statusDate)}</h2><div class="grid">`);
    parts.push(
      `<div class="card">${table(
        ['', 'value'],
        [
          ['planned value (PV)', money(ev.pv, currency)],
          ['earned value (EV)', money(ev.ev, currency)],
          ['actual cost (AC)', money(ev.ac, currency)],
          ['schedule variance (SV)', money(ev.sv, currency)],
          ['cost variance (CV)', money(ev.cv, currency)],
          ['SPI', ev.spi !== null && ev.spi < 1 ? tag(index(ev.spi), 'high') : index(ev.spi)],
          ['CPI', ev.cpi !== null && ev.cpi < 1 ? tag(index(ev.cpi), 'high') : index(ev.cpi)],
          ['budget at completion (BAC)', money(ev.bac, currency)],
          ['estimate at completion (EAC)', money(ev.eac, currency)],
          ['estimate to complete (ETC)', money(ev.etc, currency)],
          ['variance at completion (VAC)', money(ev.vac, currency)],
        ],
      )}</div>`,
    );
    parts.push(
      `<div class="card">${sCurveSvg(report.charts.sCurve ?? [], ev.statusDate)}</div></div>`,
    );
  }

  parts.push('<h2>Objectives and KPIs</h2><div class="kpis">');
  for (const k of report.kpis) {
    parts.push(
      `<div class="card"><b>${e(k.title)}</b> ${tag(k.status, k.status)}<br><span class="muted">${e(k.kpi)}</span><br>now ${k.current === null ? '–' : e(`${k.current} ${k.unit}`)}, start of period ${
        k.valueAtSince === null ? '–' : e(`${k.valueAtSince} ${k.unit}`)
      }, target ${e(`${k.target} ${k.unit}`)}${k.due ? ` by ${e(k.due)}` : ''}<br>${kpiTrendSvg(k)}</div>`,
    );
  }
  parts.push('</div>');
  if (report.alignmentGaps.length > 0)
    parts.push(
      `<p>Tasks serving no objective (${report.alignmentGaps.length}): ${report.alignmentGaps.map((g) => e(g.title)).join(', ')}</p>`,
    );

  if (report.scope) {
    const s = report.scope;
    parts.push('<h2>Scope</h2>');
    parts.push(
      `<p>Against baseline "${e(s.baselineName)}": ${s.added.length} added, ${s.removed.length} removed, ${s.changedCount} re-estimated; effort ${signed(s.effortDeltaDays)} days, cost ${signed(s.costDelta)} ${e(currency)}; growth ${s.growthPercent}% (threshold ${s.thresholdPercent}%) ${
        s.creepDetected ? tag('scope creep', 'critical') : tag('within threshold', 'low')
      }</p>`,
    );
    parts.push(
      table(
        ['added', 'by', 'cost'],
        s.added.map((a) => [e(a.title), e(a.by ?? '–'), money(a.cost, currency)]),
        'nothing added',
      ),
    );
  }

  if (report.overAllocations.length > 0) {
    parts.push('<h2>Over-allocated resources</h2>');
    parts.push(
      table(
        ['who', 'week', 'booked h', 'capacity h', 'tasks'],
        report.overAllocations.map((o) => [
          e(o.name),
          e(`${o.week} (${o.weekStart})`),
          String(o.assignedHours),
          String(o.capacityHours),
          e(o.taskIds.join(', ')),
        ]),
      ),
    );
  }

  parts.push('<h2>Feedback</h2>');
  parts.push(
    `<p>${report.feedback.openThreads} open thread(s); ${report.feedback.commentsInPeriod} comment(s) and ${report.feedback.resolvedInPeriod} resolution(s) this period.</p>`,
  );
  parts.push(
    table(
      ['on', 'by', 'says', 'replies', 'last activity'],
      report.feedback.threads.map((t) => [
        e(t.targetTitle),
        e(t.author),
        e(t.excerpt),
        String(t.replies),
        e(t.lastActivityAt.slice(0, 10)),
      ]),
      'no open threads',
    ),
  );

  if (report.communication.length > 0) {
    parts.push('<h2>Stakeholders due an update</h2>');
    parts.push(
      table(
        ['stakeholder', 'channel', 'cadence', 'due since', 'last sent'],
        report.communication.map((c) => [
          e(`${c.name} (${c.role})`),
          e(c.channel),
          e(c.cadence),
          e(c.dueOn ?? '–'),
          e(c.lastSentAt?.slice(0, 10) ?? 'never'),
        ]),
      ),
    );
  }

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Status report: ${e(report.title)} (${e(report.period.today)})</title><style>${STYLE}</style></head>
<body>${parts.join('\n')}
<p class="muted">Plan ${e(report.planId)} · generated from the read models as of ${e(report.period.today)}</p>
</body></html>
`;
}
