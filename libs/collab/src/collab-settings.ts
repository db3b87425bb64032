/** Limits and timings of live collaboration; every one configurable (see README). */
export interface CollabSettings {
  /** larger websocket messages close the connection with 1009 */
  readonly maxMessageBytes: number;
  /** unload a document this long after its last holder left */
  readonly idleUnloadMs: number;
  /** a loaded document nobody read or changed for this long keeps only its encoded state; 0: never */
  readonly parkIdleMs: number;
  /** write a snapshot after this many applied updates… */
  readonly snapshotEveryUpdates: number;
  /** …or this long after the last one, if anything changed */
  readonly snapshotIntervalMs: number;
  /** how long a missing version may stay missing before it is read from the store */
  readonly gapFillDelayMs: number;
  /** messages waiting in one connection's queue before it is closed as flooding */
  readonly maxQueuedMessages: number;
  /** an update that would grow the plan's encoded document past this is refused and not stored */
  readonly maxDocBytes: number;
  /** open connections per plan on this node; 0: no limit */
  readonly maxConnectionsPerPlan: number;
  /** open connections per user on this node; 0: no limit */
  readonly maxConnectionsPerUser: number;
  /** sustained messages per second one connection may send (token bucket refill); 0: no limit */
  readonly rateLimitMessagesPerSec: number;
  /** messages one connection may send at once (token bucket size) */
  readonly rateLimitBurst: number;
  /** unsent bytes a connection may have queued before it is closed as a reader too slow to keep up */
  readonly maxSendBufferBytes: number;
  /** how long a closed slow reader gets to take its close frame before its socket is destroyed */
  readonly slowReaderGraceMs: number;
}

export const DEFAULT_COLLAB_SETTINGS: CollabSettings = {
  maxMessageBytes: 1024 * 1024,
  idleUnloadMs: 30_000,
  parkIdleMs: 10_000,
  snapshotEveryUpdates: 500,
  snapshotIntervalMs: 30_000,
  gapFillDelayMs: 20,
  maxQueuedMessages: 1000,
  maxDocBytes: 64 * 1024 * 1024,
  maxConnectionsPerPlan: 200,
  maxConnectionsPerUser: 50,
  rateLimitMessagesPerSec: 200,
  rateLimitBurst: 2000,
  maxSendBufferBytes: 16 * 1024 * 1024,
  slowReaderGraceMs: 1000,
};
