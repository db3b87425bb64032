/**
 * The registry of loaded plans and the one write path every change takes:
 * append to the event store (durable) → apply to the live doc in version order → the doc
 * broadcasts. Loading is newest snapshot + the stream's tail; a document nobody uses is
 * parked (kept encoded, connections stay open), and one without holders is unloaded.
 */
import {
  isStoreUnavailable,
  isWrongExpectedVersion,
  type EventMetadata,
  type EventStore,
} from '@lib/event-store';
import { migratePlan, PLAN_SCHEMA_VERSION, planSchemaVersion } from '@lib/plan-domain';
import * as Y from 'yjs';
import type { CollabExtension, LoadedPayload } from '../collab-extension';
import type { CollabSettings } from '../collab-settings';
import { planStreamId, planUpdatedEvent } from '../plan-stream';
import { STORE_ORIGIN, type ChangeOrigin } from './change-origin';
import { LiveDocument } from './live-document';

export class PlanNotFoundInStoreError extends Error {
  readonly code = 'PLAN_NOT_FOUND';
  constructor(readonly planId: string) {
    super(`plan ${planId} does not exist`);
  }
}

/** An update would grow a plan's document past `maxDocBytes`; it was not stored. */
export class DocumentTooLargeError extends Error {
  readonly code = 'DOCUMENT_TOO_LARGE';
  constructor(
    readonly planId: string,
    readonly documentBytes: number,
    readonly updateBytes: number,
    readonly maxDocBytes: number,
  ) {
    super(
      `plan ${planId} would grow to ${documentBytes + updateBytes} bytes, over the limit of ${maxDocBytes} (MAX_DOC_BYTES); the update was not stored`,
    );
  }
}

export const isDocumentTooLarge = (e: unknown): e is DocumentTooLargeError =>
  e instanceof DocumentTooLargeError;

export interface UpdateToAppend {
  readonly update: Uint8Array;
  readonly metadata: EventMetadata;
  readonly origin: ChangeOrigin;
}

export interface AppendedUpdate {
  readonly version: number;
  readonly position: number;
}

const LOAD_PAGE = 1000;

/** Who the change log names for a document-layout migration: nobody edited anything. */
export const MIGRATION_ACTOR = 'system';

export class LiveDocuments {
  private readonly loaded = new Map<string, LiveDocument>();
  private readonly loading = new Map<string, Promise<LiveDocument>>();
  private readonly unloadTimers = new Map<string, NodeJS.Timeout>();
  private readonly gapTimers = new Map<string, NodeJS.Timeout>();
  private readonly parkTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly settings: CollabSettings,
    private readonly extensions: readonly CollabExtension[],
  ) {
    const { parkIdleMs } = settings;
    if (parkIdleMs > 0)
      this.parkTimer = setInterval(() => this.parkIdle(), Math.max(parkIdleMs / 2, 10)).unref();
  }

  get parkedCount(): number {
    let parked = 0;
    for (const document of this.loaded.values()) if (document.isParked) parked += 1;
    return parked;
  }

  get loadedCount(): number {
    return this.loaded.size;
  }

  get(planId: string): LiveDocument | undefined {
    return this.loaded.get(planId);
  }

  all(): LiveDocument[] {
    return [...this.loaded.values()];
  }

  /** loads the plan if needed and holds it loaded until `release` */
  async acquire(planId: string): Promise<LiveDocument> {
    const timer = this.unloadTimers.get(planId);
    if (timer) {
      clearTimeout(timer);
      this.unloadTimers.delete(planId);
    }
    let document = this.loaded.get(planId);
    if (!document) {
      let loading = this.loading.get(planId);
      if (!loading) {
        loading = this.load(planId).finally(() => this.loading.delete(planId));
        this.loading.set(planId, loading);
      }
      document = await loading;
    }
    document.holders += 1;
    return document;
  }

  release(document: LiveDocument): void {
    document.holders -= 1;
    if (document.holders > 0 || this.loaded.get(document.planId) !== document) return;
    this.unloadTimers.set(
      document.planId,
      setTimeout(() => void this.unloadIfIdle(document.planId), this.settings.idleUnloadMs).unref(),
    );
  }

  /**
   * The write path. Resolves once the update is durable; the document applies it in version
   * order (right away unless an earlier version is still on its way).
   */
  async appendUpdate(
    document: LiveDocument,
    update: Uint8Array,
    metadata: EventMetadata,
    origin: ChangeOrigin,
  ): Promise<AppendedUpdate> {
    const [appended] = await this.appendUpdates(document, [{ update, metadata, origin }]);
    return appended;
  }

  /**
   * Stores several updates as one atomic append, one `PlanUpdated` each in the given order:
   * all of them become durable or none does, so a later update of the group never lands
   * without an earlier one it may build on.
   */
  async appendUpdates(
    document: LiveDocument,
    updates: readonly UpdateToAppend[],
  ): Promise<AppendedUpdate[]> {
    let bytes = 0;
    for (const { update } of updates) bytes += update.byteLength;
    this.assertFits(document, bytes);
    const result = await this.store.appendToStream(
      planStreamId(document.planId),
      updates.map(({ update, metadata }) => planUpdatedEvent(update, metadata)),
    );
    return updates.map(({ update, origin }, i) => {
      const { version, position } = result.events[i];
      for (const e of this.extensions)
        e.afterAppend?.({ document, version, position, update, origin });
      this.deliver(document, version, { type: 'PlanUpdated', data: update, origin });
      return { version, position };
    });
  }

  /**
   * Refuses `bytes` more of updates when they would grow the document past `maxDocBytes`. The
   * running estimate only grows between measurements, so the document is encoded (measured)
   * only when the estimate says the limit is near. Appends in flight at the same moment are not
   * counted, so a document may overshoot by at most the updates being stored concurrently.
   */
  assertFits(document: LiveDocument, bytes: number): void {
    const max = this.settings.maxDocBytes;
    if (document.estimatedBytes + bytes <= max) return;
    document.estimatedBytes = document.encodeStateAsUpdate().byteLength;
    if (document.estimatedBytes + bytes > max)
      throw new DocumentTooLargeError(document.planId, document.estimatedBytes, bytes, max);
  }

  /** a durable event learnt from elsewhere (another node, or an append that bypassed the doc) */
  deliver(
    document: LiveDocument,
    version: number,
    event: Parameters<LiveDocument['deliver']>[1],
  ): void {
    const before = document.version;
    const complete = document.deliver(version, event);
    if (document.version !== before) for (const e of this.extensions) e.afterApply?.({ document });
    if (!complete) this.scheduleGapFill(document);
  }

  /** reads every event after the document's version from the store and applies it */
  async catchUp(document: LiveDocument): Promise<void> {
    const before = document.version;
    for (;;) {
      const page = await this.store.readStream(planStreamId(document.planId), {
        fromVersion: document.version + 1,
        maxCount: LOAD_PAGE,
      });
      for (const event of page)
        document.deliver(event.version, {
          type: event.type,
          data: event.data,
          origin: STORE_ORIGIN,
        });
      if (page.length < LOAD_PAGE) break;
    }
    if (document.version !== before) for (const e of this.extensions) e.afterApply?.({ document });
  }

  private parkIdle(): void {
    const before = Date.now() - this.settings.parkIdleMs;
    for (const document of this.loaded.values())
      if (!document.isParked && document.lastUsedMs <= before) document.park();
  }

  async unloadAll(): Promise<void> {
    clearInterval(this.parkTimer);
    for (const timer of [...this.unloadTimers.values(), ...this.gapTimers.values()])
      clearTimeout(timer);
    this.unloadTimers.clear();
    this.gapTimers.clear();
    await Promise.allSettled([...this.loading.values()]);
    for (const planId of [...this.loaded.keys()]) await this.unload(planId);
    for (const e of this.extensions) await e.destroy?.();
  }

  private async load(planId: string): Promise<LiveDocument> {
    if ((await this.store.streamVersion(planStreamId(planId))) < 0)
      throw new PlanNotFoundInStoreError(planId);
    const document = new LiveDocument(planId);
    let startedFrom: LoadedPayload['startedFrom'] = 'events';
    for (const e of this.extensions) {
      const start = await e.loadStartingState?.({ planId });
      if (start) {
        Y.applyUpdate(document.doc, start.state, STORE_ORIGIN);
        document.version = start.version;
        document.estimatedBytes = start.state.byteLength;
        startedFrom = 'snapshot';
        break;
      }
    }
    const tailEvents = await this.readTail(document);
    await this.migrate(document);
    this.loaded.set(planId, document);
    for (const e of this.extensions) e.afterLoadDocument?.({ document, startedFrom, tailEvents });
    return document;
  }

  /** applies the stream after the document's version; returns how many events it read */
  private async readTail(document: LiveDocument): Promise<number> {
    let tailEvents = 0;
    for (;;) {
      const page = await this.store.readStream(planStreamId(document.planId), {
        fromVersion: document.version + 1,
        maxCount: LOAD_PAGE,
      });
      for (const event of page) document.applyLoaded(event);
      tailEvents += page.length;
      if (page.length < LOAD_PAGE) break;
    }
    return tailEvents;
  }

  /**
   * Brings a plan stored in an older document layout to the current one, before anyone sees
   * it: the migration is an ordinary `PlanUpdated` appended at the version just read, so when
   * two nodes load the plan at once only one migration is stored; the other reads it back.
   */
  private async migrate(document: LiveDocument): Promise<void> {
    for (;;) {
      // the common case costs a read; the copy is only made for a plan that needs migrating
      if (planSchemaVersion(document.doc) >= PLAN_SCHEMA_VERSION) return;
      const draft = new Y.Doc();
      Y.applyUpdate(draft, Y.encodeStateAsUpdate(document.doc));
      const produced: Uint8Array[] = [];
      draft.on('update', (u: Uint8Array) => produced.push(u));
      const migrated = migratePlan(draft);
      draft.destroy();
      if (!migrated) return;
      const update = produced.length === 1 ? produced[0] : Y.mergeUpdates(produced);
      const metadata: EventMetadata = {
        actor: MIGRATION_ACTOR,
        at: new Date().toISOString(),
        migration: `plan-schema-${PLAN_SCHEMA_VERSION}`,
      };
      try {
        await this.store.appendToStream(
          planStreamId(document.planId),
          [planUpdatedEvent(update, metadata)],
          { expectedVersion: document.version },
        );
      } catch (error) {
        // readers accept both layouts, so a plan whose store refuses writes (a full disk) still
        // opens; the migration is tried again on its next load
        if (isStoreUnavailable(error)) return;
        if (!isWrongExpectedVersion(error)) throw error;
      }
      await this.readTail(document);
    }
  }

  private scheduleGapFill(document: LiveDocument): void {
    if (this.gapTimers.has(document.planId)) return;
    const timer = setTimeout(() => {
      this.gapTimers.delete(document.planId);
      if (!document.hasGap || this.loaded.get(document.planId) !== document) return;
      this.catchUp(document).catch(() => this.scheduleGapFill(document));
    }, this.settings.gapFillDelayMs);
    this.gapTimers.set(document.planId, timer);
  }

  private async unloadIfIdle(planId: string): Promise<void> {
    this.unloadTimers.delete(planId);
    const document = this.loaded.get(planId);
    if (document && document.holders <= 0) await this.unload(planId);
  }

  private async unload(planId: string): Promise<void> {
    const document = this.loaded.get(planId);
    if (!document) return;
    this.loaded.delete(planId);
    try {
      for (const e of this.extensions) await e.beforeUnloadDocument?.({ document });
    } finally {
      document.destroy();
      for (const e of this.extensions) e.afterUnloadDocument?.({ planId });
    }
  }
}
