/**
 * `report <planId> [--format json|md|html] [--out file] [--since …] [--today …] [--audience …]`:
 * the status report `GET /plans/:id/reports/status` serves, built by the same code from the
 * read models, which are first brought up to the end of the log. Written to `--out`, else stdout.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { AppConfig } from '@lib/config';
import { openEventStore } from '@lib/event-store';
import { isIsoDate } from '@lib/plan-domain';
import {
  isPlanNotProjected,
  isUnknownAudienceError,
  openReadModelStore,
  Projections,
  renderStatusReportHtml,
  renderStatusReportMarkdown,
  STDERR_PROJECTION_LOG,
  statusReport,
} from '@lib/projections';

export const REPORT_USAGE =
  '  report <planId> [--format json|md|html] [--out <file>] [--since <ISO date/time>] [--today <YYYY-MM-DD>] [--audience <stakeholder>]\n' +
  '                                 status report of a plan (default: json to stdout, the week before today)\n';

const FORMATS = ['json', 'md', 'html'] as const;
type Format = (typeof FORMATS)[number];

export async function reportCommand(config: AppConfig, args: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: {
      format: { type: 'string', default: 'json' },
      out: { type: 'string' },
      since: { type: 'string' },
      today: { type: 'string' },
      audience: { type: 'string' },
    },
    allowPositionals: true,
  });
  const [planId] = positionals;
  const fail = (message: string): number => {
    process.stderr.write(`report: ${message}\n${REPORT_USAGE}`);
    return 2;
  };
  if (positionals.length !== 1 || !planId) return fail('name one plan id');
  if (!(FORMATS as readonly string[]).includes(values.format ?? ''))
    return fail(
      `--format must be one of ${FORMATS.join(', ')}, got ${JSON.stringify(values.format)}`,
    );
  // the edge may read the clock; the report itself never does
  const today = values.today ?? new Date().toISOString().slice(0, 10);
  if (!isIsoDate(today))
    return fail(`--today must be a date YYYY-MM-DD, got ${JSON.stringify(today)}`);
  const since =
    values.since ??
    new Date(Date.parse(`${today}T00:00:00.000Z`) - 7 * 86_400_000).toISOString().slice(0, 10);
  if (Number.isNaN(Date.parse(since)))
    return fail(`--since must be an ISO date or time, got ${JSON.stringify(since)}`);

  const store = await openEventStore(config);
  const readModels = await openReadModelStore(config);
  try {
    const projections = new Projections(store, readModels, {
      log: STDERR_PROJECTION_LOG,
      scopeCreepThresholdPercent: config.scopeCreepThresholdPercent,
    });
    await projections.init();
    await projections.catchUp();
    const report = await statusReport(projections, planId, {
      since,
      today,
      audience: values.audience,
      scopeCreepThresholdPercent: config.scopeCreepThresholdPercent,
    });
    const format = values.format as Format;
    const text =
      format === 'json'
        ? `${JSON.stringify(report, null, 2)}\n`
        : format === 'md'
          ? renderStatusReportMarkdown(report)
          : renderStatusReportHtml(report);
    if (values.out) {
      writeFileSync(values.out, text);
      process.stderr.write(
        `report: ${format} status report of plan ${planId} (${since} to ${today}) written to ${values.out}\n`,
      );
    } else process.stdout.write(text);
    return 0;
  } catch (error) {
    if (isPlanNotProjected(error))
      return fail(
        `plan ${planId} is not in this store (${config.eventStore} under ${config.dataDir})`,
      );
    if (isUnknownAudienceError(error)) return fail(error.message);
    throw error;
  } finally {
    await readModels.close();
    await store.close();
  }
}
