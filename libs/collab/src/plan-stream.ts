/** Naming of the plan streams and of the event that carries a Yjs update. */
import type { NewEvent, EventMetadata } from '@lib/event-store';
import { randomUUID } from 'node:crypto';

export const PLAN_STREAM_PREFIX = 'plan-';
export const PLAN_UPDATED = 'PlanUpdated';

export const planStreamId = (planId: string): string => `${PLAN_STREAM_PREFIX}${planId}`;
export const planIdOfStream = (streamId: string): string => streamId.slice(PLAN_STREAM_PREFIX.length);

/** `PlanUpdated`: the raw Yjs update as the payload (bytes, not base64). */
export function planUpdatedEvent(update: Uint8Array, metadata: EventMetadata): NewEvent {
  return { id: randomUUID(), type: PLAN_UPDATED, data: update, metadata, schemaVersion: 1 };
}
