/**
 * What projections need to know about plan streams: their names and the event types in them.
 * The writing libs (collab, auth) own these names; they are repeated here because projections
 * may not import those libs (DESIGN.md: dependencies point one way), and the values are part
 * of the stored log, so they cannot drift without a migration anyway.
 */
import type { AllFilter, RecordedEvent } from '@lib/event-store';

export const PLAN_STREAM_PREFIX = 'plan-';
/** A raw Yjs update (bytes) to the plan document. */
export const PLAN_UPDATED = 'PlanUpdated';

/** Every projector reads `$all` through this filter. */
export const PLAN_STREAMS: AllFilter = { streamPrefix: PLAN_STREAM_PREFIX };

export const planStreamId = (planId: string): string => `${PLAN_STREAM_PREFIX}${planId}`;

/** The plan id of a plan stream, or undefined for any other stream. */
export function planIdOfStream(streamId: string): string | undefined {
  return streamId.startsWith(PLAN_STREAM_PREFIX) && streamId.length > PLAN_STREAM_PREFIX.length
    ? streamId.slice(PLAN_STREAM_PREFIX.length)
    : undefined;
}

/** An event of a plan stream, with the plan it belongs to (the stream decides, not the data). */
export interface PlanEvent {
  readonly planId: string;
  readonly event: RecordedEvent;
}

/** A PlanUpdated event that really carries bytes; anything else never touches the document. */
export function yjsUpdateOf(event: RecordedEvent): Uint8Array | undefined {
  return event.type === PLAN_UPDATED && event.data instanceof Uint8Array ? event.data : undefined;
}
