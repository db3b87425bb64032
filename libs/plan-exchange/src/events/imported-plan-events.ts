/**
 * The events that make an imported plan, appended in one batch that expects no stream:
 *
 *   PlanImported {planId, title, ownerId, source: {format, fileName, bytes, sha256}, report}
 *   PlanUpdated  (the whole imported content as one Yjs update)
 *   BaselineCaptured … one per baseline the file carried (MSPDI Baseline0…10)
 *
 * PlanImported takes PlanCreated's place at the head of the stream: the importer becomes owner,
 * and the log says forever which file the plan came from and what the import left out.
 */
import { createHash, randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import type { PlanImportedData } from '@lib/auth';
import type { EventMetadata, JsonValue, NewEvent } from '@lib/event-store';
import { epochDayOf, importPlan, isoDateOfEpochDay, PLAN_UPDATED } from '@lib/plan-domain';
import { baselineCapturedEvent } from '@lib/projections';
import type { ImportedPlan } from '../converted-plan';

export const PLAN_IMPORTED = 'PlanImported';

export interface ImportSource {
  readonly fileName?: string;
  /** The uploaded bytes, for the size and digest the event records. */
  readonly content: Uint8Array;
}

export function importedPlanEvents(
  imported: ImportedPlan,
  planId: string,
  ownerId: string,
  source: ImportSource,
  metadata: EventMetadata,
): NewEvent[] {
  const doc = new Y.Doc();
  // the owner is the importer: a file's manager or author is a name, not a user of this server
  importPlan(doc, { ...imported.file, meta: { ...imported.file.meta, owner: ownerId } });
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  const data: PlanImportedData = {
    planId,
    title: imported.plan.meta.title,
    ownerId,
    source: {
      format: imported.report.format,
      ...(source.fileName ? { fileName: source.fileName } : {}),
      bytes: source.content.byteLength,
      sha256: createHash('sha256').update(source.content).digest('hex'),
    },
    report: JSON.parse(JSON.stringify(imported.report)) as { [key: string]: JsonValue },
  };
  const capturedAt = metadata.at;
  return [
    { id: randomUUID(), type: PLAN_IMPORTED, data, metadata, schemaVersion: 1 },
    { id: randomUUID(), type: PLAN_UPDATED, data: update, metadata, schemaVersion: 1 },
    // Baseline0 is the one variance is measured against: appended last, it is the plan's newest
    ...[...imported.baselines].reverse().map((baseline) => {
      const days = Object.values(baseline.activities);
      const planStart =
        imported.plan.meta.start ?? days.map((d) => d.start).sort()[0] ?? capturedAt.slice(0, 10);
      const finishes = days.map((d) => epochDayOf(d.finish) ?? 0);
      return baselineCapturedEvent(
        {
          baselineId: `imported-${baseline.number}`,
          name: baseline.name,
          capturedAt,
          planStart,
          projectFinish: finishes.length > 0 ? isoDateOfEpochDay(Math.max(...finishes)) : planStart,
          activities: baseline.activities,
        },
        metadata,
      );
    }),
  ];
}
