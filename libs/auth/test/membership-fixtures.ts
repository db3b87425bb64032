/** Appends membership events the way the plan and member commands do, for auth tests. */
import { randomUUID } from 'node:crypto';
import type { EventStore, NewEvent } from '@lib/event-store';
import { newMembershipEvent, planStreamId, type AuthLog, type Role } from '@lib/auth';

export const SILENT_LOG: AuthLog = {
  log: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** records what was logged, so a test can assert that a warning was given */
export function recordingLog(): AuthLog & { readonly lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    log: (m) => lines.push(`log: ${m}`),
    warn: (m) => lines.push(`warn: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
  };
}

const meta = (actor: string) => ({ actor, at: new Date().toISOString() });

export async function createPlan(
  store: EventStore,
  ownerId: string,
  title = 'CRM rollout',
): Promise<string> {
  const planId = randomUUID();
  await store.appendToStream(
    planStreamId(planId),
    [newMembershipEvent({ type: 'PlanCreated', data: { planId, title, ownerId } }, meta(ownerId))],
    { expectedVersion: 'no_stream' },
  );
  return planId;
}

export async function grant(
  store: EventStore,
  planId: string,
  userId: string,
  role: Role,
): Promise<void> {
  await store.appendToStream(planStreamId(planId), [
    newMembershipEvent({ type: 'MemberGranted', data: { userId, role } }, meta('owner')),
  ]);
}

export async function revoke(store: EventStore, planId: string, userId: string): Promise<void> {
  await store.appendToStream(planStreamId(planId), [
    newMembershipEvent({ type: 'MemberRevoked', data: { userId } }, meta('owner')),
  ]);
}

/** content edits: the bulk of a plan stream, none of which concerns membership */
export async function appendUpdates(
  store: EventStore,
  planId: string,
  count: number,
): Promise<void> {
  const updates: NewEvent[] = Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    type: 'PlanUpdated',
    data: new Uint8Array([i % 256, 1, 2, 3]),
    metadata: meta('bob'),
  }));
  await store.appendToStream(planStreamId(planId), updates);
}
