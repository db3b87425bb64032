/**
 * `replay <planId> [--to N] [--json]`: reads the plan's stream straight from the event store
 * (not from the read models, so an auditor checks the log itself) and prints its change log,
 * one line per semantic change; with `--to N` instead the plan as plain JSON at stream
 * version N, rebuilt by applying the stream's events 0…N.
 */
import { parseArgs } from 'node:util';
import type { AppConfig } from '@lib/config';
import { openEventStore, type EventStore } from '@lib/event-store';
import {
  changeLogEntriesOf,
  PlanDocuments,
  planStreamId,
  type ChangeLogEntry,
} from '@lib/projections';
import { Progress } from '../progress';

export const REPLAY_USAGE =
  '  replay <planId> [--to N] [--json]   the change log from the event stream, or the plan at version N\n';

const PAGE = 1000;

export async function replayCommand(config: AppConfig, args: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { to: { type: 'string' }, json: { type: 'boolean' } },
    allowPositionals: true,
  });
  const [planId] = positionals;
  const to = values.to === undefined ? undefined : Number(values.to);
  if (positionals.length !== 1 || (to !== undefined && !(Number.isInteger(to) && to >= 0))) {
    process.stderr.write(
      `replay: name one plan id; --to takes a stream version (0, 1, 2…)\n${REPLAY_USAGE}`,
    );
    return 2;
  }
  const store = await openEventStore(config);
  try {
    const head = await store.streamVersion(planStreamId(planId));
    if (head < 0) {
      process.stderr.write(
        `replay: plan ${planId} has no events (stream ${planStreamId(planId)})\n`,
      );
      return 1;
    }
    if (to !== undefined && to > head) {
      process.stderr.write(`replay: plan ${planId} has versions 0…${head}, not ${to}\n`);
      return 1;
    }
    const last = to ?? head;
    const print = values.json ? (e: ChangeLogEntry) => JSON.stringify(e) : textLine;
    const documents = await replay(
      store,
      planId,
      last,
      to === undefined ? (entry) => process.stdout.write(`${print(entry)}\n`) : undefined,
    );
    if (to !== undefined) {
      process.stdout.write(
        `${JSON.stringify({ planId, version: to, ...documents.plan(planId) }, null, 2)}\n`,
      );
    }
    return 0;
  } finally {
    await store.close();
  }
}

/** Applies versions 0…last of the plan; hands every change-log entry to `onEntry` if given. */
async function replay(
  store: EventStore,
  planId: string,
  last: number,
  onEntry?: (entry: ChangeLogEntry) => void,
): Promise<PlanDocuments> {
  const documents = PlanDocuments.standalone(store, { capacity: 1 });
  await documents.load([planId], async () => -1);
  const progress = new Progress(`replay ${planId}`, last + 1);
  for (let from = 0; from <= last; from += PAGE) {
    const page = await store.readStream(planStreamId(planId), {
      fromVersion: from,
      maxCount: Math.min(PAGE, last - from + 1),
    });
    for (const event of page) {
      const planEvent = { planId, event };
      if (!onEntry) documents.apply(planEvent);
      else
        for (const entry of changeLogEntriesOf(planEvent, documents.applyWithDelta(planEvent)))
          onEntry(entry);
    }
    progress.advance(page.length);
    if (page.length === 0) break;
  }
  progress.finish();
  return documents;
}

const textLine = (e: ChangeLogEntry): string =>
  `v${e.version}\t${e.at}\t${e.actor || '-'}\t${e.summary}`;
