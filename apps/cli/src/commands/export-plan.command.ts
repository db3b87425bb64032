/**
 * `export-plan <planId> --format mspdi|csv|json [--out <file>]`: the plan as it is now (every
 * PlanUpdated of its stream applied), in a format other tools read. To stdout unless --out.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as Y from 'yjs';
import type { AppConfig } from '@lib/config';
import { openEventStore, type EventStore } from '@lib/event-store';
import { PLAN_UPDATED, planStreamId, readPlan, type PlanJson } from '@lib/plan-domain';
import { exportPlan, isExchangeFormat } from '@lib/plan-exchange';
import {
  BASELINE_CAPTURED,
  parseBaselineCaptured,
  type BaselineCapturedData,
} from '@lib/projections';

export const EXPORT_PLAN_USAGE =
  '  export-plan <planId> --format mspdi|csv|json [--out <file>]\n' +
  '                                 the plan as MS Project XML, CSV of tasks or JSON\n';

const PAGE = 1000;

export async function exportPlanCommand(
  config: AppConfig,
  args: readonly string[],
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { format: { type: 'string', default: 'json' }, out: { type: 'string' } },
    allowPositionals: true,
  });
  const fail = (message: string): number => {
    process.stderr.write(`export-plan: ${message}\n${EXPORT_PLAN_USAGE}`);
    return 2;
  };
  const [planId] = positionals;
  if (positionals.length !== 1 || !planId) return fail('name one plan id');
  if (!isExchangeFormat(values.format))
    return fail(`--format must be mspdi, csv or json, got ${JSON.stringify(values.format)}`);
  const store = await openEventStore(config);
  let current: CurrentPlan | undefined;
  try {
    current = await currentPlan(store, planId);
  } finally {
    await store.close();
  }
  if (!current) {
    process.stderr.write(
      `export-plan: plan ${planId} is not in this store (${config.eventStore} under ${config.dataDir})\n`,
    );
    return 1;
  }
  const exported = exportPlan(current.plan, values.format, {
    fallbackStart: new Date().toISOString().slice(0, 10),
    // newest first: MSPDI's Baseline0 is the one variance is measured against
    baselines: [...current.baselines].reverse(),
  });
  if (values.out) {
    writeFileSync(values.out, exported.body);
    process.stderr.write(
      `export-plan: ${values.format} of plan ${planId} written to ${values.out}\n`,
    );
  } else process.stdout.write(exported.body);
  return 0;
}

interface CurrentPlan {
  readonly plan: PlanJson;
  /** oldest first */
  readonly baselines: BaselineCapturedData[];
}

async function currentPlan(store: EventStore, planId: string): Promise<CurrentPlan | undefined> {
  const stream = planStreamId(planId);
  if ((await store.streamVersion(stream)) < 0) return undefined;
  const doc = new Y.Doc();
  const baselines: BaselineCapturedData[] = [];
  try {
    for (let from = 0; ; from += PAGE) {
      const page = await store.readStream(stream, { fromVersion: from, maxCount: PAGE });
      for (const event of page) {
        if (event.type === PLAN_UPDATED && event.data instanceof Uint8Array)
          Y.applyUpdate(doc, event.data);
        const baseline =
          event.type === BASELINE_CAPTURED ? parseBaselineCaptured(event) : undefined;
        if (baseline?.ok) baselines.push(baseline.baseline);
      }
      if (page.length < PAGE) break;
    }
    return { plan: readPlan(doc), baselines };
  } finally {
    doc.destroy();
  }
}
