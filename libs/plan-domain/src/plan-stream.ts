/**
 * How plans live in the event log: one stream per plan, `plan-<planId>`, whose document
 * content arrives as `PlanUpdated` events carrying raw Yjs updates. The names are part of the
 * stored log; every lib that reads or writes plan streams takes them from here.
 */

export const PLAN_STREAM_PREFIX = 'plan-';

/** A raw Yjs update (bytes) to the plan document. */
export const PLAN_UPDATED = 'PlanUpdated';

export const planStreamId = (planId: string): string => `${PLAN_STREAM_PREFIX}${planId}`;

/** The plan id of a plan stream, or undefined for any other stream. */
export function planIdOfStream(streamId: string): string | undefined {
  return streamId.startsWith(PLAN_STREAM_PREFIX) && streamId.length > PLAN_STREAM_PREFIX.length
    ? streamId.slice(PLAN_STREAM_PREFIX.length)
    : undefined;
}
