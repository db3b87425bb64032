/**
 * What this process remembers of the end of the streams it appends to: the head (version and
 * hash) and the latest events' ids, enough to seal the next append and recognise a retry without
 * reading the stream first. It is a guess that KurrentDB checks: the append is sent with the
 * remembered head as the exact expected revision, so if another process appended in between it
 * is refused, and the adapter forgets the tail and reads the stream.
 */
import type { StoredEventRef, StreamHead } from '../append-plan';

export interface StreamTail {
  readonly head: StreamHead;
  /** the stream's latest events, at most the idempotency window, oldest first */
  readonly recent: ReadonlyMap<string, StoredEventRef>;
}

export interface TailEvent extends StoredEventRef {
  readonly id: string;
}

export class StreamTails {
  /** in order of use, least recent first */
  private readonly tails = new Map<string, StreamTail>();

  constructor(
    private readonly maxStreams: number,
    /** how many of a stream's latest ids are kept (the idempotency window) */
    private readonly window: number,
  ) {}

  get(streamId: string): StreamTail | undefined {
    const tail = this.tails.get(streamId);
    if (tail) this.touch(streamId, tail);
    return tail;
  }

  /**
   * The tail after `events` (in version order, the newest last) were read or appended on top of
   * `previous` (nothing: the stream as read is all there is).
   */
  remember(
    streamId: string,
    head: StreamHead,
    events: readonly TailEvent[],
    previous?: StreamTail,
  ): void {
    const recent = new Map(previous?.recent);
    for (const { id, ...ref } of events) recent.set(id, ref);
    for (const id of recent.keys()) {
      if (recent.size <= this.window) break;
      recent.delete(id);
    }
    this.touch(streamId, { head, recent });
    for (const oldest of this.tails.keys()) {
      if (this.tails.size <= this.maxStreams) break;
      this.tails.delete(oldest);
    }
  }

  forget(streamId: string): void {
    this.tails.delete(streamId);
  }

  private touch(streamId: string, tail: StreamTail): void {
    this.tails.delete(streamId);
    this.tails.set(streamId, tail);
  }
}

/**
 * Whether the tail alone can tell if a batch with this expected version is a retry: an expected
 * version names where the batch went if it was stored, and that slot must be among the
 * remembered events (or after the head, where nothing is stored yet).
 */
export function tailCoversSlot(tail: StreamTail, expected: number | 'no_stream' | 'any'): boolean {
  if (expected === 'any') return true;
  const slot = expected === 'no_stream' ? 0 : expected + 1;
  if (slot > tail.head.version) return true;
  const oldest = tail.recent.values().next().value;
  return oldest !== undefined && slot >= oldest.version;
}

/** the batch's ids that the tail knows as stored */
export function storedIn(tail: StreamTail, ids: readonly string[]): Map<string, StoredEventRef> {
  const existing = new Map<string, StoredEventRef>();
  for (const id of ids) {
    const ref = tail.recent.get(id);
    if (ref) existing.set(id, ref);
  }
  return existing;
}
