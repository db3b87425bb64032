/**
 * `StakeholderUpdateSent {stakeholderIds, sentAt, note?}`: a status update went out to these
 * stakeholders (REST `POST /plans/:id/communications`). The communication plan measures each
 * stakeholder's cadence from their latest one.
 */
import { randomUUID } from 'node:crypto';
import type { EventMetadata, NewEvent, RecordedEvent } from '@lib/event-store';
import { STAKEHOLDER_UPDATE_SENT, type StakeholderUpdateSentData } from '@lib/plan-domain';

export function stakeholderUpdateSentEvent(
  data: StakeholderUpdateSentData,
  metadata: EventMetadata,
  id: string = randomUUID(),
): NewEvent {
  return {
    id,
    type: STAKEHOLDER_UPDATE_SENT,
    data: {
      stakeholderIds: [...data.stakeholderIds],
      sentAt: data.sentAt,
      ...(data.note !== undefined ? { note: data.note } : {}),
    },
    metadata,
    schemaVersion: 1,
  };
}

export type ParsedStakeholderUpdateSent =
  | { readonly ok: true; readonly data: StakeholderUpdateSentData }
  | { readonly ok: false; readonly reason: string };

export function parseStakeholderUpdateSent(event: RecordedEvent): ParsedStakeholderUpdateSent {
  const where = `event ${event.id} (${STAKEHOLDER_UPDATE_SENT}) at ${event.streamId}@${event.version}`;
  if (event.type !== STAKEHOLDER_UPDATE_SENT || event.data instanceof Uint8Array)
    return { ok: false, reason: `${where} is not a JSON ${STAKEHOLDER_UPDATE_SENT}` };
  const { stakeholderIds, sentAt, note } = event.data;
  const ids = Array.isArray(stakeholderIds)
    ? stakeholderIds.filter((id): id is string => typeof id === 'string' && id !== '')
    : [];
  if (ids.length === 0) return { ok: false, reason: `${where} needs stakeholderIds` };
  const when =
    typeof sentAt === 'string' && !Number.isNaN(Date.parse(sentAt)) ? sentAt : event.metadata.at;
  return {
    ok: true,
    data: { stakeholderIds: ids, sentAt: when, ...(typeof note === 'string' ? { note } : {}) },
  };
}
