/**
 * What an adapter remembers of its last write for `EventStore.lastWriteFailure()`: the failure of
 * the last append the store itself could not write, cleared when events are written again.
 */
import type { WriteFailure } from './event-store.port';
import { isStoreUnavailable } from './errors';
import type { BatchOutcome } from './group-commit';

export class LastWriteFailure {
  private failure: WriteFailure | undefined;

  current(): WriteFailure | undefined {
    return this.failure;
  }

  /** an append failed; only the store's own failures count, never a caller's rejected input */
  failed(error: unknown): void {
    if (isStoreUnavailable(error))
      this.failure = { reason: error.message, at: new Date().toISOString() };
  }

  /** events were written: the store writes again */
  written(): void {
    this.failure = undefined;
  }

  /**
   * A batch transaction committed. Writing events proves the store writes again, and a request
   * of the batch the store failed (sqlite fails requests one savepoint at a time: the large one
   * on a nearly full disk) is recorded after that, so it is not hidden by its neighbours.
   */
  committed(outcomes: readonly BatchOutcome<unknown>[], wroteEvents: boolean): void {
    if (wroteEvents) this.written();
    for (const outcome of outcomes) if (!outcome.ok) this.failed(outcome.error);
  }
}
