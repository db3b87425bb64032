/**
 * The event loop's side of the SQLite writer thread: starts the worker, sends it commands and
 * matches its replies. The thread keeps the process alive only while a command is outstanding,
 * as a pending write on the event loop would; an idle store never holds the process open.
 */
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { StoreUnavailableError } from '../errors';
import type { AppendRequest, WrittenBatch } from './sqlite-event-writer';
import {
  decodeBatch,
  decodeError,
  type EncodedBatch,
  type WriterCommand,
  type WriterReply,
  type WriterSettings,
  type WriterWorkerData,
} from './writer-protocol';
import {
  compileWorkerSources,
  SOURCE_BOOTSTRAP,
  type SourceWorkerData,
} from './writer-thread-source';

type Command = WriterCommand extends infer C ? (C extends unknown ? Omit<C, 'id'> : never) : never;

interface Waiter {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

interface RunningWorker {
  readonly worker: Worker;
  /** replies still owed by this worker, by command id */
  readonly waiting: Map<number, Waiter>;
}

export class SqliteWriterThread {
  private running: RunningWorker | undefined;
  private nextId = 1;
  private closed = false;

  constructor(private readonly settings: WriterSettings) {
    this.running = this.start();
  }

  /**
   * Resolves once the batch's transaction committed (fsync included). The requests are cloned
   * to the thread: their binary payloads should own their buffers (withOwnedPayloads).
   */
  async append(requests: readonly AppendRequest[]): Promise<WrittenBatch> {
    const encoded = (await this.call({ type: 'append', requests })) as EncodedBatch;
    return decodeBatch(encoded);
  }

  /** retention: every event of the stream, if its head is still `expectedVersion`; how many */
  async deleteStream(streamId: string, expectedVersion: number): Promise<number> {
    return (await this.call({ type: 'deleteStream', streamId, expectedVersion })) as number;
  }

  pragma(source: string): Promise<unknown> {
    return this.call({ type: 'pragma', source });
  }

  /** commands sent before this one are answered first; then the connection closes, the thread ends */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const running = this.running;
    if (!running) return;
    try {
      await this.send(running, { type: 'close' });
    } finally {
      this.running = undefined;
      await running.worker.terminate();
    }
  }

  private call(command: Command): Promise<unknown> {
    if (this.closed) return Promise.reject(unavailable('store is closed'));
    // a thread that stopped (crashed) is replaced: its own commands failed, later ones need not
    this.running ??= this.start();
    return this.send(this.running, command);
  }

  private send({ worker, waiting }: RunningWorker, command: Command): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (waiting.size === 0) worker.ref();
      waiting.set(id, { resolve, reject });
      worker.postMessage({ ...command, id });
    });
  }

  private start(): RunningWorker {
    const worker = startWorker(this.settings);
    const running: RunningWorker = { worker, waiting: new Map() };
    const { waiting } = running;
    worker.unref();
    worker.on('message', (reply: WriterReply) => {
      const waiter = waiting.get(reply.id);
      if (!waiter) return;
      waiting.delete(reply.id);
      if (waiting.size === 0) worker.unref();
      if (reply.ok) waiter.resolve(reply.value);
      else waiter.reject(decodeError(reply.error));
    });
    // whether a command in flight committed is unknown: its caller gets an error and retries
    // with the same event ids, which is idempotent
    const stopped = (reason: string): void => {
      if (this.running === running) this.running = undefined;
      const error = unavailable(`the writer thread stopped (${reason})`);
      for (const waiter of waiting.values()) waiter.reject(error);
      waiting.clear();
    };
    worker.on('error', (error) => stopped(error.message));
    worker.on('messageerror', (error) => stopped(error.message));
    worker.on('exit', (code) => stopped(`exit code ${code}`));
    return running;
  }
}

/**
 * Built, this module is JavaScript and so is the worker entry beside it. Run from TypeScript
 * source, the entry is .ts, which a worker thread cannot load: see writer-thread-source.ts.
 */
function startWorker(settings: WriterSettings): Worker {
  const extension = extname(__filename);
  const entry = join(__dirname, `sqlite-writer.worker${extension}`);
  const execArgv = writerExecArgv(process.execArgv);
  if (extension !== '.ts') return new Worker(entry, { workerData: { settings }, execArgv });
  const workerData: SourceWorkerData & WriterWorkerData = {
    settings,
    entry,
    compiled: compileWorkerSources(entry),
  };
  return new Worker(SOURCE_BOOTSTRAP, { eval: true, workerData, execArgv });
}

/**
 * A worker inherits the process's options unless told otherwise, preloads (`-r ts-node/register`,
 * a bench's probe) included, which the writer must not run. Only profiling carries over, so
 * `node --cpu-prof` profiles the writer thread too; options a worker refuses (V8 flags such as
 * --max-old-space-size) are never passed.
 */
export function writerExecArgv(processExecArgv: readonly string[]): string[] {
  return processExecArgv.filter(
    (arg) =>
      arg === '--cpu-prof' || arg === '--heap-prof' || /^--(cpu|heap)-prof-[a-z]+=/.test(arg),
  );
}

function unavailable(reason: string): StoreUnavailableError {
  return new StoreUnavailableError('sqlite', new Error(reason));
}
