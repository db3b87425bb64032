/**
 * The channel between nodes that have the same plan loaded. Best effort by design: a node
 * that misses a message notices the gap in stream versions (or its periodic check does) and
 * reads the missing events from the store, so a lost message costs latency, never data.
 */
export interface PlanBus {
  publish(planId: string, message: Uint8Array): Promise<void>;
  /** resolves once the subscription is active; returns the unsubscribe function */
  subscribe(planId: string, handler: (message: Uint8Array) => void): Promise<() => Promise<void>>;
  /** called after the bus lost and regained its connection (messages may have been missed) */
  onReconnect(listener: () => void): () => void;
  close(): Promise<void>;
}
