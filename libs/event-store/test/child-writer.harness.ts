/** Parent side of child-writer.ts: start writer processes and read their acknowledgements. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { AllSubscription, EventStoreSettings, RecordedEvent } from '@lib/event-store';

export interface WriterAck {
  readonly id: string;
  readonly position: number;
}

export interface ChildWriter {
  readonly acks: WriterAck[];
  waitForAcks(count: number): Promise<void>;
  kill(signal: NodeJS.Signals): void;
  readonly exited: Promise<{ code: number | null; acks: WriterAck[]; stderr: string }>;
}

const ROOT = join(__dirname, '..', '..', '..');

export function startChildWriter(
  settings: EventStoreSettings,
  options: { streamPrefix: string; events: number; concurrency: number },
): ChildWriter {
  const child = spawn(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      'tsconfig-paths/register',
      join(__dirname, 'child-writer.ts'),
      JSON.stringify(settings),
      JSON.stringify(options),
    ],
    {
      cwd: ROOT,
      env: { ...process.env, TS_NODE_PROJECT: join(ROOT, 'tsconfig.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const acks: WriterAck[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  let stderr = '';
  let buffered = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      const [word, id, position] = line.split(' ');
      if (word === 'ack') acks.push({ id, position: Number(position) });
    }
    for (const w of waiters.filter((w) => acks.length >= w.count)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; acks: WriterAck[]; stderr: string }>(
    (resolve) =>
      child.on('exit', (code) => {
        for (const w of waiters.splice(0)) w.resolve();
        resolve({ code, acks, stderr });
      }),
  );
  return {
    acks,
    exited,
    kill: (signal) => child.kill(signal),
    waitForAcks: (count) =>
      acks.length >= count
        ? Promise.resolve()
        : new Promise((resolve) => waiters.push({ count, resolve })),
  };
}

export async function runChildWriter(
  settings: EventStoreSettings,
  options: { streamPrefix: string; events: number; concurrency: number },
): Promise<{ acks: WriterAck[] }> {
  const result = await startChildWriter(settings, options).exited;
  if (result.code !== 0) throw new Error(`writer exited with ${result.code}: ${result.stderr}`);
  return result;
}

/** Reads `count` events from a subscription (then stops reading). */
export async function collect(
  subscription: AllSubscription,
  count: number,
): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  if (count === 0) return events;
  for await (const event of subscription) {
    events.push(event);
    if (events.length >= count) break;
  }
  return events;
}
