/**
 * A separate writer process for contract tests: opens the store from the settings in argv,
 * appends single-event batches with some concurrency and prints `ack <id> <position>` once
 * each append is acknowledged.
 */
import { randomUUID } from 'node:crypto';
import { openEventStore, type EventStoreSettings } from '@lib/event-store';

interface WriterOptions {
  readonly streamPrefix: string;
  readonly events: number;
  readonly concurrency: number;
}

async function main(): Promise<void> {
  const settings = JSON.parse(process.argv[2]) as EventStoreSettings;
  const options = JSON.parse(process.argv[3]) as WriterOptions;
  const store = await openEventStore(settings);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < options.events) {
      const n = next++;
      const id = randomUUID();
      const result = await store.appendToStream(`${options.streamPrefix}${n % 4}`, [
        {
          id,
          type: 'TaskAdded',
          data: { n },
          metadata: { actor: 'writer', at: new Date().toISOString() },
        },
      ]);
      process.stdout.write(`ack ${id} ${result.events[0].position}\n`);
    }
  };
  process.stdout.write('ready\n');
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  await store.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
