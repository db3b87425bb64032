/** Limits and timings of live collaboration; every one configurable (see README). */
export interface CollabSettings {
  /** larger websocket messages close the connection with 1009 */
  readonly maxMessageBytes: number;
  /** unload a document this long after its last holder left */
  readonly idleUnloadMs: number;
  /** write a snapshot after this many applied updates… */
  readonly snapshotEveryUpdates: number;
  /** …or this long after the last one, if anything changed */
  readonly snapshotIntervalMs: number;
  /** how long a missing version may stay missing before it is read from the store */
  readonly gapFillDelayMs: number;
  /** messages waiting in one connection's queue before it is closed as flooding */
  readonly maxQueuedMessages: number;
}

export const DEFAULT_COLLAB_SETTINGS: CollabSettings = {
  maxMessageBytes: 1024 * 1024,
  idleUnloadMs: 30_000,
  snapshotEveryUpdates: 500,
  snapshotIntervalMs: 30_000,
  gapFillDelayMs: 20,
  maxQueuedMessages: 1000,
};
