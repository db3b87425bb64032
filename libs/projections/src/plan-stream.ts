/** How projections read plan streams (names from plan-domain): the `$all` filter and the event shape. */
import type { AllFilter, RecordedEvent } from '@lib/event-store';
import { PLAN_STREAM_PREFIX, PLAN_UPDATED } from '@lib/plan-domain';

export { PLAN_STREAM_PREFIX, PLAN_UPDATED, planIdOfStream, planStreamId } from '@lib/plan-domain';

/** Every projector reads `$all` through this filter. */
export const PLAN_STREAMS: AllFilter = { streamPrefix: PLAN_STREAM_PREFIX };

/** An event of a plan stream, with the plan it belongs to (the stream decides, not the data). */
export interface PlanEvent {
  readonly planId: string;
  readonly event: RecordedEvent;
}

/** A PlanUpdated event that really carries bytes; anything else never touches the document. */
export function yjsUpdateOf(event: RecordedEvent): Uint8Array | undefined {
  return event.type === PLAN_UPDATED && event.data instanceof Uint8Array ? event.data : undefined;
}
