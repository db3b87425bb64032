/**
 * Writes snapshots every N applied updates or T after the last one (if anything changed),
 * and on unload; serves the newest one when a document loads. A failed snapshot write is
 * reported and retried later: snapshots are a cache, the events are already durable.
 */
import type {
  CollabExtension,
  DocumentPayload,
  LoadPayload,
  StartingState,
} from '../collab-extension';
import type { LiveDocument } from '../documents/live-document';
import type { SnapshotStore } from './snapshot-store.port';

export interface SnapshotPolicy {
  readonly everyUpdates: number;
  readonly intervalMs: number;
  /** snapshots kept per plan (older ones are pruned); time travel reads them */
  readonly keep: number;
}

export class SnapshotExtension implements CollabExtension {
  private readonly writing = new Set<LiveDocument>();
  private readonly documents = new Set<LiveDocument>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly snapshots: SnapshotStore,
    private readonly policy: SnapshotPolicy,
    private readonly onError: (error: unknown, planId: string) => void,
  ) {
    this.timer = setInterval(
      () => this.snapshotStale(),
      Math.max(1000, Math.min(policy.intervalMs, 10_000)),
    );
    this.timer.unref();
  }

  async loadStartingState({ planId }: LoadPayload): Promise<StartingState | undefined> {
    const snapshot = await this.snapshots.latest(planId);
    return snapshot && { version: snapshot.version, state: snapshot.state };
  }

  afterLoadDocument({ document }: DocumentPayload): void {
    this.documents.add(document);
  }

  afterApply({ document }: DocumentPayload): void {
    if (document.updatesSinceSnapshot >= this.policy.everyUpdates) void this.write(document);
  }

  async beforeUnloadDocument({ document }: DocumentPayload): Promise<void> {
    this.documents.delete(document);
    if (document.updatesSinceSnapshot > 0) await this.write(document);
  }

  async destroy(): Promise<void> {
    clearInterval(this.timer);
    await this.snapshots.close();
  }

  private snapshotStale(): void {
    const now = Date.now();
    for (const document of this.documents) {
      if (
        document.updatesSinceSnapshot > 0 &&
        now - document.lastSnapshotAtMs >= this.policy.intervalMs
      ) {
        void this.write(document);
      }
    }
  }

  private async write(document: LiveDocument): Promise<void> {
    if (this.writing.has(document)) return;
    this.writing.add(document);
    // state and version are read in the same tick, so the state is exactly "all events ≤ version"
    const version = document.version;
    const state = document.encodeStateAsUpdate();
    document.estimatedBytes = state.byteLength;
    const counted = document.updatesSinceSnapshot;
    try {
      await this.snapshots.save({
        planId: document.planId,
        version,
        state,
        createdAt: new Date().toISOString(),
      });
      await this.snapshots.prune(document.planId, this.policy.keep);
      document.updatesSinceSnapshot -= counted;
      document.lastSnapshotAtMs = Date.now();
    } catch (error) {
      this.onError(error, document.planId);
    } finally {
      this.writing.delete(document);
    }
  }
}
