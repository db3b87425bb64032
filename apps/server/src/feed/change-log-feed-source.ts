/**
 * The feed's source on this node: the change-log read model (shared by every node on
 * PostgreSQL), woken by batches projected here and by the projecting node's signal relayed
 * through the socket.io adapter.
 */
import { EventEmitter } from 'node:events';
import type { FeedChange, FeedSource } from '@lib/feed';
import type { ChangeLogEntry, Projections } from '@lib/projections';

export class ChangeLogFeedSource implements FeedSource {
  private readonly signals = new EventEmitter().setMaxListeners(0);
  /**
   * Reads in flight by (position, plans, limit): dashboards of one plan wake together at the
   * same position, and one query then serves all of them.
   */
  private readonly inFlight = new Map<string, Promise<FeedChange[]>>();

  constructor(private readonly projections: Projections) {}

  /** new change-log rows may exist (local batch, or another node said so) */
  signal(): void {
    this.signals.emit('changes');
  }

  onNewChanges(listener: () => void): () => void {
    this.signals.on('changes', listener);
    return () => this.signals.off('changes', listener);
  }

  headPosition(): Promise<number> {
    return this.projections.changeLog.headPosition();
  }

  changesAfter(
    afterPosition: number,
    planIds: readonly string[] | undefined,
    limit: number,
  ): Promise<FeedChange[]> {
    const key = `${afterPosition}|${limit}|${planIds ? [...planIds].sort().join(',') : '*'}`;
    let read = this.inFlight.get(key);
    if (!read) {
      read = this.projections.changeLog
        .entriesAfter(afterPosition, { planIds, limit })
        .then(groupByEvent)
        .finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, read);
    }
    return read;
  }
}

/** entries arrive sorted by (position, seq) and an event is never split across reads */
function groupByEvent(entries: readonly ChangeLogEntry[]): FeedChange[] {
  const changes: FeedChange[] = [];
  let current: { change: FeedChange; items: FeedChange['changes'][number][] } | undefined;
  for (const entry of entries) {
    if (!current || current.change.position !== entry.position) {
      const items: FeedChange['changes'][number][] = [];
      current = {
        items,
        change: {
          planId: entry.planId,
          position: entry.position,
          version: entry.version,
          eventId: entry.eventId,
          eventType: entry.eventType,
          actor: entry.actor,
          at: entry.at,
          changes: items,
        },
      };
      changes.push(current.change);
    }
    current.items.push({
      changeType: entry.changeType,
      entity: entry.entity,
      payload: entry.payload,
      summary: entry.summary,
    });
  }
  return changes;
}
