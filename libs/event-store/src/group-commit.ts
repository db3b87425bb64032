/**
 * Group commit: appends that arrive while a batch is being written (or within `windowMs`)
 * are written together in one transaction, so one fsync serves many callers.
 * Each caller still gets its own result or its own error.
 */

export type BatchOutcome<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

export interface GroupCommitOptions {
  /** false: every request is flushed alone, immediately (one transaction each) */
  readonly enabled: boolean;
  /** how long the first request of a batch waits for company */
  readonly windowMs: number;
  readonly maxBatch: number;
  /**
   * A batch also closes once its requests reach this many bytes (as the queue's `sizeOf` counts
   * them; a single larger request goes alone). Every caller of a batch resumes in the same turn
   * of the event loop, so this bounds what lands at once: the copy to a writer thread, the
   * transaction, and the burst of updates broadcast after it.
   */
  readonly maxBatchBytes?: number;
}

interface Pending<Req, Res> {
  readonly request: Req;
  resolve(value: Res): void;
  reject(error: unknown): void;
}

export class GroupCommitQueue<Req, Res> {
  private pending: Pending<Req, Res>[] = [];
  private scheduled = false;
  private flushing = false;

  constructor(
    /** writes all requests in one transaction; returns one outcome per request, in order */
    private readonly writeBatch: (requests: readonly Req[]) => Promise<BatchOutcome<Res>[]>,
    private readonly options: GroupCommitOptions,
    /** a request's size for `maxBatchBytes` */
    private readonly sizeOf: (request: Req) => number = () => 0,
  ) {}

  submit(request: Req): Promise<Res> {
    if (!this.options.enabled)
      return this.writeBatch([request]).then(([outcome]) => unwrap(outcome));
    return new Promise<Res>((resolve, reject) => {
      this.pending.push({ request, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    const run = (): void => {
      this.scheduled = false;
      void this.flush();
    };
    if (this.options.windowMs > 0) setTimeout(run, this.options.windowMs);
    else setImmediate(run);
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, this.batchLength());
        try {
          const outcomes = await this.writeBatch(batch.map((p) => p.request));
          batch.forEach((p, i) => {
            const outcome = outcomes[i];
            if (outcome.ok) p.resolve(outcome.value);
            else p.reject(outcome.error);
          });
        } catch (error) {
          // the whole transaction failed: nobody in this batch was stored
          for (const p of batch) p.reject(error);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  /** how many of the pending requests the next batch takes: at least one */
  private batchLength(): number {
    const { maxBatch, maxBatchBytes = Number.POSITIVE_INFINITY } = this.options;
    const limit = Math.min(maxBatch, this.pending.length);
    let bytes = this.sizeOf(this.pending[0].request);
    let length = 1;
    while (length < limit) {
      bytes += this.sizeOf(this.pending[length].request);
      if (bytes > maxBatchBytes) break;
      length++;
    }
    return length;
  }
}

function unwrap<T>(outcome: BatchOutcome<T>): T {
  if (outcome.ok) return outcome.value;
  throw outcome.error;
}
