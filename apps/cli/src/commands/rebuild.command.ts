/**
 * `rebuild <readModel|all>`: drops a read model's rows and checkpoint and replays the whole log
 * into it, with progress (events/s, ETA) on stderr and a line per read model on stdout.
 *
 * With SQLite stop the server first: it would keep projecting the same file, and each side's
 * checkpoint compare-and-set would keep rolling the other back (correct, but slow). With
 * PostgreSQL a running server notices the reset and replays by itself.
 */
import { parseArgs } from 'node:util';
import type { AppConfig } from '@lib/config';
import { openEventStore, type EventStore } from '@lib/event-store';
import {
  isReadModelName,
  openReadModelStore,
  Projections,
  READ_MODELS,
  STDERR_PROJECTION_LOG,
  type ReadModelTarget,
} from '@lib/projections';
import { Progress } from '../progress';

export const REBUILD_USAGE = `  rebuild <${READ_MODELS.join('|')}|all>   drop read models and replay the log into them\n`;

export async function rebuildCommand(config: AppConfig, args: readonly string[]): Promise<number> {
  const { positionals } = parseArgs({ args: [...args], allowPositionals: true });
  const [target] = positionals;
  if (positionals.length !== 1 || !(target === 'all' || isReadModelName(target))) {
    process.stderr.write(`rebuild: name one read model or all\n${REBUILD_USAGE}`);
    return 2;
  }
  const store = await openEventStore(config);
  const readModels = await openReadModelStore(config);
  try {
    const projections = new Projections(store, readModels, { log: STDERR_PROJECTION_LOG });
    await projections.init();
    const total = await eventCountHint(store);
    let progress: Progress | undefined;
    let current: string | undefined;
    let shown = 0;
    const reports = await projections.rebuild(
      target as ReadModelTarget,
      ({ readModel, events }) => {
        if (!progress || readModel !== current) {
          progress?.finish();
          progress = new Progress(`rebuild ${readModel}`, total);
          current = readModel;
          shown = 0;
        }
        progress.advance(events - shown);
        shown = events;
      },
    );
    progress?.finish();
    for (const r of reports) {
      const perSecond = r.durationMs > 0 ? Math.round((r.events * 1000) / r.durationMs) : r.events;
      process.stdout.write(
        `${r.readModel}: ${r.events} events to position ${r.position} in ${(r.durationMs / 1000).toFixed(1)} s (${perSecond} events/s)\n`,
      );
    }
    return 0;
  } finally {
    await readModels.close();
    await store.close();
  }
}

/**
 * SQLite and PostgreSQL number events 1, 2, 3… so the head position is the event count (an
 * upper bound for plan events); KurrentDB positions are byte offsets, so no ETA there.
 */
async function eventCountHint(store: EventStore): Promise<number | undefined> {
  return store.kind === 'kurrentdb' ? undefined : store.headPosition();
}
