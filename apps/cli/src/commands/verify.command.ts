/** `verify <streamId>` or `verify --all`: recomputes hash chains and names the first broken link. */
import type { EventStore, VerifyResult } from '@lib/event-store';
import { Progress } from '../progress';

export async function verifyCommand(
  store: EventStore,
  streamIds: readonly string[],
  all: boolean,
): Promise<number> {
  const streams = all ? await listStreams(store) : streamIds;
  if (streams.length === 0 && !all) {
    process.stderr.write('verify: name a stream (plan-<id>) or pass --all\n');
    return 2;
  }
  const progress = new Progress('verify', streams.length, 'streams');
  const broken: Extract<VerifyResult, { ok: false }>[] = [];
  let events = 0;
  for (const streamId of streams) {
    const result = await store.verifyStream(streamId);
    events += result.eventCount;
    if (!result.ok) broken.push(result);
    progress.advance();
  }
  progress.finish();
  for (const b of broken) {
    process.stdout.write(
      `BROKEN ${b.streamId} at version ${b.brokenAtVersion} (event ${b.eventId}): ${b.reason}\n`,
    );
  }
  process.stdout.write(
    `${streams.length - broken.length}/${streams.length} streams verified, ${events} events checked\n`,
  );
  return broken.length === 0 ? 0 : 1;
}

async function listStreams(store: EventStore): Promise<string[]> {
  const streams = new Set<string>();
  for (let from = 0; ;) {
    const page = await store.readAll({ fromPosition: from, maxCount: 5000 });
    for (const e of page) streams.add(e.streamId);
    if (page.length < 5000) return [...streams].sort();
    from = page[page.length - 1].position;
  }
}
