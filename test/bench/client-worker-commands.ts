/**
 * The bench's client processes and how the orchestrator drives them: commands and replies
 * over Node IPC (advanced serialization, so latency samples travel as one Float64Array), and
 * the orchestrator-side handle that forks a worker and awaits each reply.
 * Clients run outside the orchestrator so they never share an event loop with measurement.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { CollabTarget } from './collab-wire';

export type WorkerCommand =
  | {
      readonly type: 'open-receivers';
      readonly target: CollabTarget;
      /** one lightweight receiver per entry */
      readonly docNames: readonly string[];
      /** > 0: each receiver first writes that many map entries into its document */
      readonly seedEntries: number;
      readonly recordLatency: boolean;
    }
  | {
      readonly type: 'open-writers';
      readonly target: CollabTarget;
      readonly docName: string;
      readonly count: number;
    }
  /** forget earlier samples and counters: the measured phase starts now */
  | { readonly type: 'start-phase' }
  | {
      readonly type: 'edit';
      readonly durationMs: number;
      readonly intervalMs: number;
      /** each edit also changes a task of the plan (stampPlanEdit) */
      readonly planEdits: boolean;
    }
  | {
      readonly type: 'collect';
      readonly expectedStampsPerReceiver: number;
      readonly timeoutMs: number;
    }
  | { readonly type: 'check-convergence'; readonly timeoutMs: number }
  | { readonly type: 'close-all' };

export interface LoopDelay {
  /** event-loop delay of the client process over the phase: high values mean the client was the bottleneck */
  readonly p99Ms: number;
  readonly maxMs: number;
}

export type WorkerReply =
  | { readonly type: 'opened'; readonly clients: number }
  | { readonly type: 'started' }
  | {
      readonly type: 'edited';
      readonly edits: number;
      /** how late the writers' edit timers fired, worst case */
      readonly maxTimerLagMs: number;
      readonly loopDelay: LoopDelay;
    }
  | {
      readonly type: 'collected';
      readonly delivered: number;
      readonly minPerReceiver: number;
      readonly maxPerReceiver: number;
      readonly otherUpdates: number;
      readonly latenciesMs: Float64Array;
      readonly failures: readonly string[];
      readonly loopDelay: LoopDelay;
    }
  | { readonly type: 'convergence'; readonly converged: boolean; readonly detail: string }
  | { readonly type: 'closed' }
  | { readonly type: 'failed'; readonly message: string };

export interface CommandEnvelope {
  readonly id: number;
  readonly command: WorkerCommand;
}

export interface ReplyEnvelope {
  readonly id: number;
  readonly reply: WorkerReply;
}

/** the orchestrator's handle on one client process */
export class ClientWorker {
  private nextId = 1;
  private readonly waiting = new Map<
    number,
    { resolve: (reply: WorkerReply) => void; reject: (error: Error) => void }
  >();

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    child.on('message', (message: ReplyEnvelope) => {
      const waiter = this.waiting.get(message.id);
      this.waiting.delete(message.id);
      waiter?.resolve(message.reply);
    });
    child.on('exit', (code, signal) => {
      for (const waiter of this.waiting.values())
        waiter.reject(new Error(`client process ${name} exited (${code ?? signal})`));
      this.waiting.clear();
    });
  }

  static start(name: string): ClientWorker {
    const child = fork(join(__dirname, 'client-worker.ts'), [name], {
      execArgv: ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new ClientWorker(name, child);
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`client process ${this.name} did not start`);
    return this.child.pid;
  }

  /** sends one command and waits for its reply; a `failed` reply becomes a rejection */
  async request<K extends WorkerReply['type']>(
    command: WorkerCommand,
    expected: K,
  ): Promise<Extract<WorkerReply, { type: K }>> {
    const id = this.nextId++;
    const reply = await new Promise<WorkerReply>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.child.send({ id, command } satisfies CommandEnvelope);
    });
    if (reply.type === 'failed')
      throw new Error(`client process ${this.name}, ${command.type}: ${reply.message}`);
    if (reply.type !== expected)
      throw new Error(`client process ${this.name}: expected ${expected}, got ${reply.type}`);
    return reply as Extract<WorkerReply, { type: K }>;
  }

  /** synchronous so it also works from an 'exit' handler */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}
