/** The event that carries a Yjs update; stream naming comes from plan-domain. */
import { randomUUID } from 'node:crypto';
import type { EventMetadata, NewEvent } from '@lib/event-store';
import { PLAN_UPDATED } from '@lib/plan-domain';

export { PLAN_STREAM_PREFIX, PLAN_UPDATED, planIdOfStream, planStreamId } from '@lib/plan-domain';

/** `PlanUpdated`: the raw Yjs update as the payload (bytes, not base64). */
export function planUpdatedEvent(update: Uint8Array, metadata: EventMetadata): NewEvent {
  return { id: randomUUID(), type: PLAN_UPDATED, data: update, metadata, schemaVersion: 1 };
}
