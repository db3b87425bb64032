/**
 * One loaded plan: its Y.Doc, awareness, connections, and the stream version its state
 * reflects. Durable events are delivered here by version; they are applied strictly in
 * version order, so `version` always means "every event up to here is in the doc" — what a
 * snapshot records and what a peer node compares against to find a missed event.
 *
 * A plan nobody has edited for a while is parked: the Y.Doc is dropped and only its encoded
 * state kept (a tenth of the memory or less), while its connections stay open. Sync step 1 is
 * answered from the encoded state (`Y.diffUpdate`); the next write or command decodes it.
 */
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { RecordedEvent } from '@lib/event-store';
import { PLAN_UPDATED } from '../plan-stream';
import { STORE_ORIGIN, type ChangeOrigin } from './change-origin';

export interface DeliveredEvent {
  readonly type: string;
  readonly data: RecordedEvent['data'];
  readonly origin: ChangeOrigin;
}

/** a command copy further behind than this many updates is copied afresh instead */
const MAX_DRAFT_BEHIND = 500;

export type UpdateListener = (update: Uint8Array, origin: ChangeOrigin | undefined) => void;

export class LiveDocument {
  /**
   * Awareness outlives the Y.Doc while the plan is parked; it only needs a client id, so it
   * gets a document of its own that never holds content.
   */
  readonly awareness = new Awareness(new Y.Doc());
  /** highest stream version such that every version ≤ it has been applied */
  version = -1;
  updatesSinceSnapshot = 0;
  /**
   * Upper estimate of `Y.encodeStateAsUpdate(doc).byteLength` without encoding: the state it
   * started from plus every update applied since; set to the real size whenever it is measured
   * (a snapshot, or a write near the size limit).
   */
  estimatedBytes = 0;
  lastSnapshotAtMs = Date.now();
  /** number of connections and in-flight commands holding the document loaded */
  holders = 0;
  private readonly pending = new Map<number, DeliveredEvent>();
  private readonly versionWaiters: Array<{ version: number; resolve: () => void }> = [];
  private commandTail: Promise<unknown> = Promise.resolve();
  private ydoc: Y.Doc | undefined = new Y.Doc();
  /** the encoded state while parked (then `ydoc` is undefined) */
  private parked: Uint8Array | undefined;
  private readonly updateListeners: UpdateListener[] = [];
  /**
   * REST commands edit a copy, so nothing they do is visible before it is durable. The copy is
   * kept between commands and brought up to date with the updates applied here since (held in
   * `draftBehind`), rather than copied whole for every command.
   */
  private draft: Y.Doc | undefined;
  private draftBehind: Uint8Array[] = [];
  private readonly forwardUpdate = (update: Uint8Array, origin: unknown) => {
    if (this.draft) {
      this.draftBehind.push(update);
      // replaying this many updates costs more than copying the state afresh
      if (this.draftBehind.length > MAX_DRAFT_BEHIND) this.discardDraft();
    }
    for (const listener of this.updateListeners) listener(update, origin as ChangeOrigin);
  };
  /** when the document was last read or changed (parking is decided from it) */
  lastUsedMs = Date.now();

  constructor(readonly planId: string) {
    // the server's own awareness entry would show a phantom user to every client
    this.awareness.setLocalState(null);
    this.ydoc!.on('update', this.forwardUpdate);
  }

  /** the live Y.Doc, decoded again from the parked state when needed */
  get doc(): Y.Doc {
    this.lastUsedMs = Date.now();
    if (this.ydoc) return this.ydoc;
    const doc = new Y.Doc();
    Y.applyUpdate(doc, this.parked!, STORE_ORIGIN);
    doc.on('update', this.forwardUpdate);
    this.ydoc = doc;
    this.parked = undefined;
    return doc;
  }

  get isParked(): boolean {
    return this.ydoc === undefined;
  }

  /** `listener` sees every change applied to the document, whichever Y.Doc holds it then */
  onUpdate(listener: UpdateListener): void {
    this.updateListeners.push(listener);
  }

  /**
   * A Y.Doc with the document's current state for a command to edit with `clientId`. The
   * caller discards it (`discardDraft`) unless every change made to it became durable and was
   * applied here; then the next command gets the same copy, caught up. `ahead` are changes of
   * `clientId` not applied here yet (commands of a group waiting to be stored together) that a
   * fresh copy must hold as well; a kept copy already holds them.
   */
  draftFor(clientId: number, ahead: readonly Uint8Array[] = []): Y.Doc {
    const doc = this.doc;
    if (this.draft?.clientID === clientId) {
      for (const update of this.draftBehind) Y.applyUpdate(this.draft, update);
      this.draftBehind = [];
      return this.draft;
    }
    this.discardDraft();
    const draft = new Y.Doc();
    Y.applyUpdate(draft, Y.encodeStateAsUpdate(doc));
    for (const update of ahead) Y.applyUpdate(draft, update);
    // after the state: Yjs gives a doc a new id when an applied update holds edits of its own
    // id, and the state holds this id's earlier commands; its clock continues from them
    draft.clientID = clientId;
    this.draft = draft;
    return draft;
  }

  discardDraft(): void {
    this.draft?.destroy();
    this.draft = undefined;
    this.draftBehind = [];
  }

  /** drops the Y.Doc and keeps its encoded state until the document is used again */
  park(): void {
    this.discardDraft();
    if (!this.ydoc) return;
    this.parked = Y.encodeStateAsUpdate(this.ydoc);
    this.estimatedBytes = this.parked.byteLength;
    this.ydoc.off('update', this.forwardUpdate);
    this.ydoc.destroy();
    this.ydoc = undefined;
  }

  stateVector(): Uint8Array {
    return this.parked ? Y.encodeStateVectorFromUpdate(this.parked) : Y.encodeStateVector(this.doc);
  }

  /** the state as one update, or only what a peer with `stateVector` lacks */
  encodeStateAsUpdate(stateVector?: Uint8Array): Uint8Array {
    if (!this.parked) return Y.encodeStateAsUpdate(this.doc, stateVector);
    return stateVector ? Y.diffUpdate(this.parked, stateVector) : this.parked;
  }

  /** applies a loaded event during load, before anyone can see the doc */
  applyLoaded(event: RecordedEvent): void {
    this.version = event.version;
    this.apply(event.type, event.data, STORE_ORIGIN);
  }

  /**
   * A durable event at `version` is known. Returns true when it (and any queued
   * successors) were applied, false when an earlier version is still missing.
   */
  deliver(version: number, event: DeliveredEvent): boolean {
    if (version <= this.version) return true;
    this.pending.set(version, event);
    while (this.pending.has(this.version + 1)) {
      const next = this.pending.get(this.version + 1)!;
      this.pending.delete(this.version + 1);
      this.version += 1;
      this.apply(next.type, next.data, next.origin);
    }
    this.wakeVersionWaiters();
    return this.pending.size === 0;
  }

  /** versions known to exist but not yet applied because an earlier one is missing */
  get hasGap(): boolean {
    return this.pending.size > 0;
  }

  get highestKnownVersion(): number {
    return Math.max(this.version, ...this.pending.keys());
  }

  waitForVersion(version: number): Promise<void> {
    if (this.version >= version) return Promise.resolve();
    return new Promise((resolve) => this.versionWaiters.push({ version, resolve }));
  }

  /**
   * REST command groups and computed appends on one document run one at a time (they share
   * this node's Yjs client id, and each starts from what the one before it stored)
   */
  runExclusive<T>(command: () => Promise<T>): Promise<T> {
    const run = this.commandTail.then(command, command);
    this.commandTail = run.catch(() => undefined);
    return run;
  }

  destroy(): void {
    this.discardDraft();
    this.awareness.destroy();
    this.ydoc?.destroy();
    this.ydoc = undefined;
    this.parked = undefined;
    for (const w of this.versionWaiters.splice(0)) w.resolve();
  }

  private apply(type: string, data: RecordedEvent['data'], origin: ChangeOrigin): void {
    if (type !== PLAN_UPDATED || !(data instanceof Uint8Array)) return;
    Y.applyUpdate(this.doc, data, origin);
    this.updatesSinceSnapshot += 1;
    this.estimatedBytes += data.byteLength;
  }

  private wakeVersionWaiters(): void {
    for (let i = this.versionWaiters.length - 1; i >= 0; i--) {
      if (this.versionWaiters[i].version <= this.version) {
        this.versionWaiters[i].resolve();
        this.versionWaiters.splice(i, 1);
      }
    }
  }
}
