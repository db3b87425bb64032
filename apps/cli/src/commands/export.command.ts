/** `export <planId>`: the plan stream as NDJSON on stdout (progress on stderr). */
import { parseArgs } from 'node:util';
import type { AppConfig } from '@lib/config';
import { openEventStore } from '@lib/event-store';
import { planStreamId } from '@lib/plan-domain';
import { Progress } from '../progress';
import { writeEventLine } from './event-lines';

export const EXPORT_USAGE =
  '  export <planId> > plan.ndjson    every event of the plan, with hashes, one JSON line each\n';

const PAGE = 1000;

export async function exportCommand(config: AppConfig, args: string[]): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true });
  const [planId] = positionals;
  if (!planId) {
    process.stderr.write(`export: name a plan\n${EXPORT_USAGE}`);
    return 2;
  }
  const store = await openEventStore(config);
  try {
    const stream = planStreamId(planId);
    const total = (await store.streamVersion(stream)) + 1;
    if (total === 0) {
      process.stderr.write(`export: plan ${planId} does not exist\n`);
      return 1;
    }
    const progress = new Progress(`export ${planId}`, total);
    for (let from = 0; from < total; from += PAGE) {
      const page = await store.readStream(stream, { fromVersion: from, maxCount: PAGE });
      const chunk = page.map((e) => `${writeEventLine(e)}\n`).join('');
      if (!process.stdout.write(chunk))
        await new Promise((resolve) => process.stdout.once('drain', resolve));
      progress.advance(page.length);
    }
    progress.finish();
    return 0;
  } finally {
    await store.close();
  }
}
