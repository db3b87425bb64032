/**
 * Snapshots are a cache: the document state (one Yjs update) as of a plan stream version.
 * Loading starts from the newest snapshot and applies the stream's tail after it; losing
 * every snapshot only makes loading slower.
 */
export interface PlanSnapshot {
  readonly planId: string;
  /** the stream version whose effects the state includes (every version ≤ it) */
  readonly version: number;
  readonly state: Uint8Array;
  readonly createdAt: string;
}

export interface SnapshotStore {
  /** the newest snapshot at or before `maxVersion` (default: the newest) */
  latest(planId: string, maxVersion?: number): Promise<PlanSnapshot | undefined>;
  save(snapshot: PlanSnapshot): Promise<void>;
  /** drops snapshots older than the newest `keep` of a plan */
  prune(planId: string, keep: number): Promise<void>;
  close(): Promise<void>;
}
