/**
 * `import-plan <file> [--format mspdi|csv|json] [--owner <userId>] [--id <planId>] [--title …] [--start YYYY-MM-DD]`:
 * a plan file another tool wrote becomes a new plan in this store, exactly as `POST /plans/import`
 * makes it (PlanImported, then the content). Prints the plan id and the import report.
 */
import { readFileSync, statSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import type { AppConfig } from '@lib/config';
import { openEventStore } from '@lib/event-store';
import { isIsoDate, planStreamId } from '@lib/plan-domain';
import {
  importedPlanEvents,
  importPlanText,
  isExchangeFormat,
  isImportRefusedError,
  type ExchangeFormat,
  type ImportReport,
} from '@lib/plan-exchange';

export const IMPORT_PLAN_USAGE =
  '  import-plan <file> [--format mspdi|csv|json] [--owner <userId>] [--id <planId>] [--title <title>] [--start <YYYY-MM-DD>]\n' +
  '                                 a MS Project XML, CSV or JSON plan as a new plan (owner: you, or --owner)\n';

export async function importPlanCommand(
  config: AppConfig,
  args: readonly string[],
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: {
      format: { type: 'string' },
      owner: { type: 'string' },
      id: { type: 'string' },
      title: { type: 'string' },
      start: { type: 'string' },
    },
    allowPositionals: true,
  });
  const fail = (message: string): number => {
    process.stderr.write(`import-plan: ${message}\n${IMPORT_PLAN_USAGE}`);
    return 2;
  };
  const [file] = positionals;
  if (positionals.length !== 1 || !file) return fail('name one file');
  if (values.format !== undefined && !isExchangeFormat(values.format))
    return fail(`--format must be mspdi, csv or json, got ${JSON.stringify(values.format)}`);
  if (values.start !== undefined && !isIsoDate(values.start))
    return fail(`--start must be a date YYYY-MM-DD, got ${JSON.stringify(values.start)}`);
  if (values.id !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/.test(values.id))
    return fail('--id must be 1–128 letters, digits, _ . - (starting with a letter or digit)');
  const size = statSync(file).size;
  if (size > config.maxImportBytes)
    return fail(`${file} has ${size} bytes, more than MAX_IMPORT_BYTES (${config.maxImportBytes})`);
  const content = readFileSync(file);
  const owner = values.owner ?? userInfo().username;

  let imported;
  try {
    imported = importPlanText(new TextDecoder('utf-8', { fatal: true }).decode(content), {
      format: values.format as ExchangeFormat | undefined,
      fileName: basename(file),
      title: values.title,
      planStart: values.start,
    });
  } catch (error) {
    if (isImportRefusedError(error)) {
      process.stderr.write(`import-plan: ${file} cannot be imported as ${error.format}:\n`);
      for (const p of error.problems) process.stderr.write(`  ${p.at}: ${p.message}\n`);
      return 1;
    }
    if (error instanceof TypeError) return fail(`${file} is not UTF-8 text`);
    throw error;
  }
  const planId = values.id ?? randomUUID();
  const store = await openEventStore(config);
  try {
    await store.appendToStream(
      planStreamId(planId),
      importedPlanEvents(
        imported,
        planId,
        owner,
        { fileName: basename(file), content },
        {
          actor: owner,
          at: new Date().toISOString(),
        },
      ),
      { expectedVersion: 'no_stream' },
    );
  } finally {
    await store.close();
  }
  process.stdout.write(`${planId}\n`);
  process.stderr.write(describeReport(imported.report, planId, owner, imported.plan.meta.title));
  return 0;
}

function describeReport(
  report: ImportReport,
  planId: string,
  owner: string,
  title: string,
): string {
  const counts = Object.entries(report.counts)
    .filter(([, n]) => n > 0)
    .map(([name, n]) => `${n} ${name}`)
    .join(', ');
  const lines = [
    `imported ${report.format} as plan ${planId} ("${title}", owner ${owner}): ${counts || 'nothing'}`,
    `open /p/${planId} in the editor`,
    ...(report.notes.length > 0
      ? [`${report.notes.length} notes — what the plan does not hold as the file had it:`]
      : []),
    ...report.notes.map((n) => `  ${n.kind} ${n.at} ${n.field}: ${n.message}`),
  ];
  return `${lines.join('\n')}\n`;
}
