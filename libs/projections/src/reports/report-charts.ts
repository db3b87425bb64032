/**
 * Small inline SVG charts for the HTML status report: burn-up, earned value S-curve, risk heat
 * map, KPI trend. Plain
 * strings with no script and no external reference, so the report stays one self-contained file
 * that mail clients and browsers show alike. Every text is escaped.
 */
import {
  epochDayOf,
  riskLevel,
  type EarnedValueWeek,
  type IsoDate,
  type RiskLevel,
} from '@lib/plan-domain';
import type { BurnUpSeries, KpiLine } from './status-report';

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const LEVEL_COLOURS: Readonly<Record<RiskLevel, string>> = {
  low: '#cfe8cf',
  medium: '#fde9a6',
  high: '#f8c08a',
  critical: '#ef8f8f',
};

const fixed = (n: number): string => (Math.round(n * 10) / 10).toString();

export function burnUpSvg(series: BurnUpSeries): string {
  const [width, height, left, right, top, bottom] = [560, 230, 40, 12, 14, 40];
  const days = series.dates.map((d) => epochDayOf(d) ?? 0);
  const first = days[0] ?? 0;
  const last = Math.max(days[days.length - 1] ?? first + 1, first + 1);
  const x = (day: number) => left + ((day - first) / (last - first)) * (width - left - right);
  const y = (percent: number) =>
    top + (1 - Math.min(100, Math.max(0, percent)) / 100) * (height - top - bottom);
  const line = (values: readonly number[]) =>
    values.map((v, i) => `${fixed(x(days[i]))},${fixed(y(v))}`).join(' ');
  const actualDays = series.actual.map((p) => epochDayOf(p.date) ?? first);
  // a step line: progress holds until the next recorded value
  const actual = series.actual.flatMap((p, i) => {
    const point = `${fixed(x(actualDays[i]))},${fixed(y(p.percent))}`;
    return i === 0
      ? [point]
      : [`${fixed(x(actualDays[i]))},${fixed(y(series.actual[i - 1].percent))}`, point];
  });
  const today = epochDayOf(series.today);
  const grid = [0, 25, 50, 75, 100]
    .map(
      (p) =>
        `<line x1="${left}" x2="${width - right}" y1="${fixed(y(p))}" y2="${fixed(y(p))}" stroke="#e5e5e5"/><text x="${left - 4}" y="${fixed(y(p) + 3)}" text-anchor="end" font-size="9" fill="#666">${p}%</text>`,
    )
    .join('');
  const label = (date: IsoDate, anchor: string) =>
    `<text x="${fixed(x(epochDayOf(date) ?? first))}" y="${height - bottom + 13}" text-anchor="${anchor}" font-size="9" fill="#666">${escapeXml(date)}</text>`;
  const legend = [
    ['#999', '4 3', 'baseline plan'],
    ['#2f6db5', '', 'current plan'],
    ['#2e8b57', '', 'actual'],
  ]
    .map(([colour, dash, name], i) => {
      const lx = left + i * 130;
      return `<line x1="${lx}" x2="${lx + 18}" y1="${height - 8}" y2="${height - 8}" stroke="${colour}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''}/><text x="${lx + 22}" y="${height - 5}" font-size="10">${name}</text>`;
    })
    .join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="Burn-up: planned and actual percent complete over time">`,
    grid,
    series.baseline.length > 0
      ? `<polyline fill="none" stroke="#999" stroke-width="2" stroke-dasharray="4 3" points="${line(series.baseline)}"/>`
      : '',
    `<polyline fill="none" stroke="#2f6db5" stroke-width="2" points="${line(series.planned)}"/>`,
    actual.length > 0
      ? `<polyline fill="none" stroke="#2e8b57" stroke-width="2.5" points="${actual.join(' ')}"/>`
      : '',
    today !== null && today >= first && today <= last
      ? `<line x1="${fixed(x(today))}" x2="${fixed(x(today))}" y1="${top}" y2="${height - bottom}" stroke="#c0392b" stroke-dasharray="2 2"/><text x="${fixed(x(today) + 3)}" y="${top + 9}" font-size="9" fill="#c0392b">today</text>`
      : '',
    series.dates.length > 0
      ? label(series.dates[0], 'start') + label(series.dates[series.dates.length - 1], 'end')
      : '',
    legend,
    '</svg>',
  ].join('');
}

/**
 * The earned value S-curve: cumulative planned value, earned value and actual cost per week,
 * money on the y axis from 0 to the largest of them (the budget at completion, usually). EV and
 * AC end at the status date's week; the dotted line marks the status date.
 */
export function sCurveSvg(weeks: readonly EarnedValueWeek[], statusDate: IsoDate): string {
  const [width, height, left, right, top, bottom] = [560, 230, 64, 12, 14, 40];
  const known = weeks.filter((w) => w.ev !== null);
  const max = Math.max(1, ...weeks.map((w) => Math.max(w.pv, w.ev ?? 0, w.ac ?? 0)));
  const x = (i: number) =>
    left + (weeks.length < 2 ? 0.5 : i / (weeks.length - 1)) * (width - left - right);
  const y = (value: number) => top + (1 - value / max) * (height - top - bottom);
  const line = (values: readonly number[]) =>
    values.map((v, i) => `${fixed(x(i))},${fixed(y(v))}`).join(' ');
  const grid = [0, 0.25, 0.5, 0.75, 1]
    .map(
      (f) =>
        `<line x1="${left}" x2="${width - right}" y1="${fixed(y(max * f))}" y2="${fixed(y(max * f))}" stroke="#e5e5e5"/><text x="${left - 4}" y="${fixed(y(max * f) + 3)}" text-anchor="end" font-size="9" fill="#666">${escapeXml(Math.round(max * f).toLocaleString('en-US'))}</text>`,
    )
    .join('');
  // the last week with EV is the status date's week
  const marker = known.length - 1;
  const legend = [
    ['#2f6db5', '4 3', 'planned value (PV)'],
    ['#2e8b57', '', 'earned value (EV)'],
    ['#c0392b', '', 'actual cost (AC)'],
  ]
    .map(([colour, dash, name], i) => {
      const lx = left + i * 150;
      return `<line x1="${lx}" x2="${lx + 18}" y1="${height - 8}" y2="${height - 8}" stroke="${colour}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''}/><text x="${lx + 22}" y="${height - 5}" font-size="10">${name}</text>`;
    })
    .join('');
  const label = (i: number, anchor: string) =>
    `<text x="${fixed(x(i))}" y="${height - bottom + 13}" text-anchor="${anchor}" font-size="9" fill="#666">${escapeXml(weeks[i].week)}</text>`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="S-curve: cumulative planned value, earned value and actual cost per week">`,
    grid,
    weeks.length > 0
      ? `<polyline fill="none" stroke="#2f6db5" stroke-width="2" stroke-dasharray="4 3" points="${line(weeks.map((w) => w.pv))}"/>`
      : '',
    known.length > 0
      ? `<polyline fill="none" stroke="#2e8b57" stroke-width="2.5" points="${line(known.map((w) => w.ev ?? 0))}"/>`
      : '',
    known.length > 0
      ? `<polyline fill="none" stroke="#c0392b" stroke-width="2" points="${line(known.map((w) => w.ac ?? 0))}"/>`
      : '',
    marker >= 0 && weeks.length > 0
      ? `<line x1="${fixed(x(marker))}" x2="${fixed(x(marker))}" y1="${top}" y2="${height - bottom}" stroke="#666" stroke-dasharray="2 2"/><text x="${fixed(x(marker) + 3)}" y="${top + 9}" font-size="9" fill="#666">status ${escapeXml(statusDate)}</text>`
      : '',
    weeks.length > 0 ? label(0, 'start') + label(weeks.length - 1, 'end') : '',
    legend,
    '</svg>',
  ].join('');
}

/** `heatMap[probability - 1][impact - 1]`; probability rises upwards, impact to the right. */
export function riskHeatMapSvg(heatMap: readonly (readonly number[])[]): string {
  const [cell, left, top] = [40, 34, 8];
  const size = left + cell * 5 + 8;
  const cells: string[] = [];
  for (let probability = 5; probability >= 1; probability--) {
    for (let impact = 1; impact <= 5; impact++) {
      const count = heatMap[probability - 1]?.[impact - 1] ?? 0;
      const cx = left + (impact - 1) * cell;
      const cy = top + (5 - probability) * cell;
      cells.push(
        `<rect x="${cx}" y="${cy}" width="${cell - 2}" height="${cell - 2}" fill="${LEVEL_COLOURS[riskLevel(probability * impact)]}"${count > 0 ? ' stroke="#333" stroke-width="1.5"' : ''}/>`,
        count > 0
          ? `<text x="${cx + cell / 2 - 1}" y="${cy + cell / 2 + 4}" text-anchor="middle" font-size="13" font-weight="bold">${count}</text>`
          : '',
      );
    }
  }
  const axes = [1, 2, 3, 4, 5]
    .map(
      (n) =>
        `<text x="${left + (n - 1) * cell + cell / 2 - 1}" y="${top + cell * 5 + 11}" text-anchor="middle" font-size="9" fill="#666">${n}</text>` +
        `<text x="${left - 6}" y="${top + (5 - n) * cell + cell / 2 + 3}" text-anchor="end" font-size="9" fill="#666">${n}</text>`,
    )
    .join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${top + cell * 5 + 26}" viewBox="0 0 ${size} ${top + cell * 5 + 26}" role="img" aria-label="Risk heat map: open risks by probability and impact">`,
    ...cells,
    axes,
    `<text x="${left + cell * 2.5}" y="${top + cell * 5 + 23}" text-anchor="middle" font-size="9" fill="#666">impact →</text>`,
    `<text x="8" y="${top + cell * 2.5}" font-size="9" fill="#666" transform="rotate(-90 8 ${top + cell * 2.5})" text-anchor="middle">probability →</text>`,
    '</svg>',
  ].join('');
}

export function kpiTrendSvg(kpi: KpiLine): string {
  const [width, height, pad, label] = [260, 64, 6, 58];
  const values = kpi.trend.map((p) => p.value);
  const reference = [
    kpi.target,
    ...(kpi.baseline === null ? [] : [kpi.baseline]),
    ...values,
    ...(kpi.current === null ? [] : [kpi.current]),
  ];
  const min = Math.min(...reference);
  const max = Math.max(...reference);
  const span = max - min || 1;
  const y = (v: number) => pad + (1 - (v - min) / span) * (height - 2 * pad);
  const times = kpi.trend.map((p) => Date.parse(p.at));
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  const x = (t: number) =>
    t1 === t0 ? width / 2 : pad + ((t - t0) / (t1 - t0)) * (width - 2 * pad - label);
  const colour =
    kpi.status === 'off-track' ? '#c0392b' : kpi.status === 'at-risk' ? '#d68910' : '#2e8b57';
  const points = kpi.trend.map((p, i) => `${fixed(x(times[i]))},${fixed(y(p.value))}`);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(`${kpi.kpi || kpi.title}: trend against target`)}">`,
    `<line x1="${pad}" x2="${width - label}" y1="${fixed(y(kpi.target))}" y2="${fixed(y(kpi.target))}" stroke="#2f6db5" stroke-dasharray="4 3"/>`,
    `<text x="${width - 2}" y="${fixed(y(kpi.target) + 3)}" text-anchor="end" font-size="9" fill="#2f6db5">target ${escapeXml(String(kpi.target))}</text>`,
    points.length > 1
      ? `<polyline fill="none" stroke="${colour}" stroke-width="2" points="${points.join(' ')}"/>`
      : '',
    ...points.map(
      (p) => `<circle cx="${p.split(',')[0]}" cy="${p.split(',')[1]}" r="2.5" fill="${colour}"/>`,
    ),
    points.length === 0
      ? `<text x="${pad}" y="${height / 2}" font-size="9" fill="#666">no measurements yet</text>`
      : '',
    '</svg>',
  ].join('');
}
