/**
 * `KpiMeasured {objectiveId, value, at}`: one reading of an objective's KPI, appended to the
 * plan stream (REST `POST /plans/:id/objectives/:objectiveId/measurements`). Readings are facts
 * of their own rather than edits of `objective.current`, so the trend is kept and a late
 * reading (`at` in the past) lands where it belongs in it.
 */
import { randomUUID } from 'node:crypto';
import type { EventMetadata, NewEvent, RecordedEvent } from '@lib/event-store';
import { KPI_MEASURED, type KpiMeasuredData, type KpiMeasurement } from '@lib/plan-domain';

export function kpiMeasuredEvent(
  data: KpiMeasuredData,
  metadata: EventMetadata,
  id: string = randomUUID(),
): NewEvent {
  return {
    id,
    type: KPI_MEASURED,
    data: { objectiveId: data.objectiveId, value: data.value, at: data.at },
    metadata,
    schemaVersion: 1,
  };
}

export type ParsedKpiMeasured =
  | { readonly ok: true; readonly measurement: KpiMeasurement }
  | { readonly ok: false; readonly reason: string };

export function parseKpiMeasured(event: RecordedEvent): ParsedKpiMeasured {
  const where = `event ${event.id} (${KPI_MEASURED}) at ${event.streamId}@${event.version}`;
  if (event.type !== KPI_MEASURED || event.data instanceof Uint8Array)
    return { ok: false, reason: `${where} is not a JSON ${KPI_MEASURED}` };
  const { objectiveId, value, at } = event.data;
  if (typeof objectiveId !== 'string' || objectiveId === '')
    return { ok: false, reason: `${where} needs objectiveId` };
  if (typeof value !== 'number' || !Number.isFinite(value))
    return { ok: false, reason: `${where} needs a finite value` };
  const when = typeof at === 'string' && !Number.isNaN(Date.parse(at)) ? at : event.metadata.at;
  return {
    ok: true,
    measurement: {
      objectiveId,
      value,
      at: when,
      actor: typeof event.metadata.actor === 'string' ? event.metadata.actor : '',
    },
  };
}
