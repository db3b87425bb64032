/**
 * `import <file.ndjson>`: appends exported events to this server's store with their original
 * ids and versions, then checks that every event's recomputed hash equals the exported one —
 * so an import either restores the log exactly or says which event differs. Re-running an
 * import is safe: events already there are recognised by id.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { AppConfig } from '@lib/config';
import { openEventStore, type EventStore, type NewEvent } from '@lib/event-store';
import { Progress } from '../progress';
import { readEventLine, type EventLine } from './event-lines';

export const IMPORT_USAGE =
  '  import <file.ndjson>           restore exported events; verified against their hashes\n';

const BATCH = 500;

interface Pending {
  readonly streamId: string;
  readonly firstVersion: number;
  readonly events: NewEvent[];
  readonly hashes: string[];
}

export async function importCommand(config: AppConfig, args: string[]): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true });
  const [file] = positionals;
  if (!file) {
    process.stderr.write(`import: name a file\n${IMPORT_USAGE}`);
    return 2;
  }
  const store = await openEventStore(config);
  const progress = new Progress('import', undefined);
  let pending: Pending | undefined;
  let imported = 0;
  const mismatches: string[] = [];
  const flush = async (): Promise<void> => {
    if (!pending) return;
    await appendBatch(store, pending, mismatches);
    imported += pending.events.length;
    progress.advance(pending.events.length);
    pending = undefined;
  };
  try {
    let lineNumber = 0;
    for await (const text of createInterface({
      input: createReadStream(file),
      crlfDelay: Infinity,
    })) {
      lineNumber += 1;
      if (text.trim() === '') continue;
      const line = readEventLine(text, lineNumber);
      const continues =
        pending &&
        pending.streamId === line.streamId &&
        pending.firstVersion + pending.events.length === line.version;
      if (!continues || pending!.events.length >= BATCH) await flush();
      pending ??= { streamId: line.streamId, firstVersion: line.version, events: [], hashes: [] };
      pending.events.push(toNewEvent(line));
      pending.hashes.push(line.hash);
    }
    await flush();
    progress.finish();
  } finally {
    await store.close();
  }
  for (const m of mismatches) process.stdout.write(`MISMATCH ${m}\n`);
  process.stdout.write(`${imported} events imported, ${mismatches.length} hash mismatches\n`);
  return mismatches.length === 0 ? 0 : 1;
}

function toNewEvent(line: EventLine & { payload: NewEvent['data'] }): NewEvent {
  return {
    id: line.id,
    type: line.type,
    data: line.payload,
    metadata: line.metadata,
    schemaVersion: line.schemaVersion,
  };
}

async function appendBatch(store: EventStore, batch: Pending, mismatches: string[]): Promise<void> {
  // the expected version keeps the original versions: the batch must land right after the previous one
  const expectedVersion = batch.firstVersion === 0 ? 'no_stream' : batch.firstVersion - 1;
  await store.appendToStream(batch.streamId, batch.events, { expectedVersion });
  const stored = await store.readStream(batch.streamId, {
    fromVersion: batch.firstVersion,
    maxCount: batch.events.length,
  });
  stored.forEach((event, i) => {
    if (event.id !== batch.events[i].id || event.hash !== batch.hashes[i]) {
      mismatches.push(
        `${batch.streamId} version ${event.version}: exported hash ${batch.hashes[i]}, restored ${event.hash}`,
      );
    }
  });
}
