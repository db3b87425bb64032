/**
 * Time travel: a plan as it was at stream version N or at time T, rebuilt from the newest
 * snapshot at or before N plus the events after it up to N. Never touches the live document.
 */
import type { EventStore, RecordedEvent } from '@lib/event-store';
import { readPlan, type PlanJson } from '@lib/plan-domain';
import * as Y from 'yjs';
import { PLAN_UPDATED, planStreamId } from '../plan-stream';
import type { SnapshotStore } from '../snapshots/snapshot-store.port';
import { PlanNotFoundInStoreError } from '../documents/live-documents';

export interface HistoricalState {
  readonly plan: PlanJson;
  /** the stream version the state reflects */
  readonly version: number;
  /** time of that version's event */
  readonly at: string;
}

export type PointInTime = { readonly version: number } | { readonly at: string };

const PAGE = 1000;

export class PlanHistory {
  constructor(
    private readonly store: EventStore,
    private readonly snapshots: SnapshotStore,
  ) {}

  async stateAt(planId: string, point: PointInTime): Promise<HistoricalState | undefined> {
    const stream = planStreamId(planId);
    const head = await this.store.streamVersion(stream);
    if (head < 0) throw new PlanNotFoundInStoreError(planId);
    const target =
      'version' in point ? Math.min(point.version, head) : await this.versionAt(stream, point.at);
    if (target === undefined || target < 0) return undefined;

    const doc = new Y.Doc();
    try {
      const snapshot = await this.snapshots.latest(planId, target);
      if (snapshot) Y.applyUpdate(doc, snapshot.state);
      let last: RecordedEvent | undefined;
      for (let from = snapshot ? snapshot.version + 1 : 0; from <= target; from += PAGE) {
        const page = await this.store.readStream(stream, {
          fromVersion: from,
          maxCount: Math.min(PAGE, target - from + 1),
        });
        for (const event of page) {
          if (event.type === PLAN_UPDATED && event.data instanceof Uint8Array)
            Y.applyUpdate(doc, event.data);
          last = event;
        }
        if (page.length === 0) break;
      }
      last ??= (await this.store.readStream(stream, { fromVersion: target, maxCount: 1 }))[0];
      return { plan: readPlan(doc), version: target, at: last?.metadata.at ?? '' };
    } finally {
      doc.destroy();
    }
  }

  /** the last version whose event happened at or before `at` (undefined: before the plan existed) */
  private async versionAt(stream: string, at: string): Promise<number | undefined> {
    const limit = Date.parse(at);
    let found: number | undefined;
    for (let from = 0; ; from += PAGE) {
      const page = await this.store.readStream(stream, { fromVersion: from, maxCount: PAGE });
      for (const event of page) {
        if (Date.parse(event.metadata.at) > limit) return found;
        found = event.version;
      }
      if (page.length < PAGE) return found;
    }
  }
}
