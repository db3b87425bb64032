/**
 * Entry point of one bench client process (forked by `ClientWorker`): holds lightweight
 * receivers and/or full writers and runs the orchestrator's commands one at a time.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type {
  CommandEnvelope,
  LoopDelay,
  ReplyEnvelope,
  WorkerCommand,
  WorkerReply,
} from './client-worker-commands';
import { BENCH_MAP, seedUpdate, stampEdit, stampPlanEdit } from './edit-timestamps';
import { connectWriter, type FullWriter } from './full-writer';
import { LightReceiver } from './light-receiver';

/** receivers opened at once: a burst of hundreds of upgrades measures nothing useful */
const OPEN_BATCH = 25;
const READY_TIMEOUT_MS = 30_000;

let receivers: LightReceiver[] = [];
let writers: FullWriter[] = [];
/** the value each writer wrote last, which every writer's document must show in the end */
let lastWritten: number[] = [];
let latenciesMs: number[] = [];
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();

function readLoopDelay(): LoopDelay {
  return { p99Ms: loopDelay.percentile(99) / 1e6, maxMs: loopDelay.max / 1e6 };
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} not done within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function edit(
  durationMs: number,
  intervalMs: number,
  planEdits: boolean,
): Promise<WorkerReply> {
  let edits = 0;
  let maxTimerLagMs = 0;
  const startedAt = performance.now();
  const timers: NodeJS.Timeout[] = [];
  // writers are spread evenly over the interval so edits arrive at a steady rate
  await Promise.all(
    writers.map(
      (writer, w) =>
        new Promise<void>((resolve) => {
          const firstAt = startedAt + (w * intervalMs) / writers.length;
          let tick = 0;
          const fire = (): void => {
            const dueAt = firstAt + tick * intervalMs;
            if (dueAt - startedAt >= durationMs) return resolve();
            maxTimerLagMs = Math.max(maxTimerLagMs, performance.now() - dueAt);
            lastWritten[w] = planEdits
              ? stampPlanEdit(writer.doc, w, tick)
              : stampEdit(writer.doc, w);
            edits += 1;
            tick += 1;
            timers.push(
              setTimeout(fire, Math.max(0, firstAt + tick * intervalMs - performance.now())),
            );
          };
          timers.push(setTimeout(fire, firstAt - performance.now()));
        }),
    ),
  );
  for (const timer of timers) clearTimeout(timer);
  return { type: 'edited', edits, maxTimerLagMs, loopDelay: readLoopDelay() };
}

async function collect(expectedStampsPerReceiver: number, timeoutMs: number): Promise<WorkerReply> {
  const deadline = performance.now() + timeoutMs;
  while (
    performance.now() < deadline &&
    receivers.some((r) => r.stampsReceived < expectedStampsPerReceiver && r.failure === undefined)
  ) {
    await sleep(20);
  }
  const counts = receivers.map((r) => r.stampsReceived);
  const reply: WorkerReply = {
    type: 'collected',
    delivered: counts.reduce((sum, n) => sum + n, 0),
    minPerReceiver: Math.min(...counts),
    maxPerReceiver: Math.max(...counts),
    otherUpdates: receivers.reduce((sum, r) => sum + r.otherUpdates, 0),
    latenciesMs: Float64Array.from(latenciesMs),
    failures: receivers.flatMap((r) => (r.failure ? [r.failure] : [])),
    loopDelay: readLoopDelay(),
  };
  latenciesMs = [];
  return reply;
}

async function checkConvergence(timeoutMs: number): Promise<WorkerReply> {
  const deadline = performance.now() + timeoutMs;
  const mismatches = (): string[] =>
    writers.flatMap((writer, w) => {
      const map = writer.doc.getMap<number>(BENCH_MAP);
      return lastWritten.flatMap((value, v) =>
        map.get(`t${v}`) === value ? [] : [`writer ${w} lacks t${v}`],
      );
    });
  let missing = mismatches();
  while (missing.length > 0 && performance.now() < deadline) {
    await sleep(50);
    missing = mismatches();
  }
  return {
    type: 'convergence',
    converged: missing.length === 0,
    detail:
      missing.length === 0 ? `${writers.length} writers agree` : missing.slice(0, 5).join('; '),
  };
}

async function run(command: WorkerCommand): Promise<WorkerReply> {
  switch (command.type) {
    case 'open-receivers': {
      const seedFor = (docName: string) =>
        command.seedEntries > 0 ? seedUpdate(command.seedEntries, docName) : undefined;
      const onLatencyMs = command.recordLatency
        ? (ms: number) => void latenciesMs.push(ms)
        : undefined;
      for (let i = 0; i < command.docNames.length; i += OPEN_BATCH) {
        const batch = command.docNames
          .slice(i, i + OPEN_BATCH)
          .map(
            (docName) =>
              new LightReceiver(command.target, docName, { onLatencyMs, seed: seedFor(docName) }),
          );
        receivers.push(...batch);
        await withTimeout(
          Promise.all(batch.map((r) => r.ready)),
          READY_TIMEOUT_MS,
          `${batch.length} receivers ready`,
        );
      }
      return { type: 'opened', clients: receivers.length };
    }
    case 'open-writers': {
      const opened = Array.from({ length: command.count }, () =>
        connectWriter(command.target, command.docName),
      );
      writers.push(...opened);
      await withTimeout(
        Promise.all(opened.map((w) => w.ready)),
        READY_TIMEOUT_MS,
        `${opened.length} writers synced`,
      );
      lastWritten = [];
      return { type: 'opened', clients: writers.length };
    }
    case 'start-phase':
      latenciesMs = [];
      for (const r of receivers) {
        r.stampsReceived = 0;
        r.otherUpdates = 0;
      }
      loopDelay.reset();
      return { type: 'started' };
    case 'edit':
      return edit(command.durationMs, command.intervalMs, command.planEdits);
    case 'collect':
      return collect(command.expectedStampsPerReceiver, command.timeoutMs);
    case 'check-convergence':
      return checkConvergence(command.timeoutMs);
    case 'close-all':
      for (const writer of writers) writer.destroy();
      await Promise.all(receivers.map((r) => r.close()));
      receivers = [];
      writers = [];
      lastWritten = [];
      latenciesMs = [];
      return { type: 'closed' };
    default: {
      const unhandled: never = command;
      throw new Error(`unknown command ${JSON.stringify(unhandled)}`);
    }
  }
}

let queue: Promise<void> = Promise.resolve();
process.on('message', ({ id, command }: CommandEnvelope) => {
  queue = queue.then(async () => {
    let reply: WorkerReply;
    try {
      reply = await run(command);
    } catch (error) {
      reply = { type: 'failed', message: error instanceof Error ? error.message : String(error) };
    }
    process.send?.({ id, reply } satisfies ReplyEnvelope);
  });
});
// the orchestrator died or is done: never outlive it
process.on('disconnect', () => process.exit(0));
