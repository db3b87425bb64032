/**
 * The live-document lifecycle as named hooks with one typed payload each. Snapshots,
 * cross-node fan-out and metrics plug in here as separate extensions instead of `if`s
 * spread through the connection code.
 */
import type { ChangeOrigin } from './documents/change-origin';
import type { LiveDocument } from './documents/live-document';

export interface StartingState {
  /** stream version the state reflects */
  readonly version: number;
  readonly state: Uint8Array;
}

export interface LoadPayload {
  readonly planId: string;
}
export interface DocumentPayload {
  readonly document: LiveDocument;
}
export interface LoadedPayload extends DocumentPayload {
  /** what the state started from: the newest snapshot, or nothing (the whole stream was read) */
  readonly startedFrom: 'snapshot' | 'events';
  /** events read from the stream after the starting state and applied */
  readonly tailEvents: number;
}
export interface AppendedPayload {
  readonly document: LiveDocument;
  readonly version: number;
  readonly position: number;
  readonly update: Uint8Array;
  readonly origin: ChangeOrigin;
}

export interface CollabExtension {
  /** a state to start from (the newest snapshot); the stream's tail after it is applied next */
  loadStartingState?(payload: LoadPayload): Promise<StartingState | undefined>;
  afterLoadDocument?(payload: LoadedPayload): void;
  /** an update made on this node is durable (stored), before it is applied */
  afterAppend?(payload: AppendedPayload): void;
  /** the document advanced to a new version (from any origin) */
  afterApply?(payload: DocumentPayload): void;
  /** the document is about to be unloaded (no holder for the idle time, or shutdown) */
  beforeUnloadDocument?(payload: DocumentPayload): Promise<void>;
  afterUnloadDocument?(payload: LoadPayload): void;
  /** server shutdown, after every document was unloaded */
  destroy?(): Promise<void>;
}
