/**
 * Who changed what, and undoing it. Both replay a plan's `PlanUpdated` events into a Y.Doc and
 * diff the plan before and after each selected event (the actor is the event's metadata).
 *
 * Revert is a Yjs undo: the selected events are applied with a tracked origin under a
 * `Y.UndoManager`, everything else untracked, then every tracked step is undone. The undo
 * manager's own rules keep later edits by others: a field someone changed afterwards keeps
 * their value (the undo does not overwrite a newer map entry). One case it would not protect
 * is an entity the selection added and someone else edited later (undoing the add deletes
 * their edits with it); such steps are left out and reported. What the undo produced is one
 * Yjs update: appended as one event, it undoes the selection on the current plan.
 */
import * as Y from 'yjs';
import type { RecordedEvent } from '@lib/event-store';
import {
  describeChange,
  diffPlans,
  PLAN_UPDATED,
  readPlan,
  type EntityRef,
  type PlanJson,
} from '@lib/plan-domain';
import { entityKey, fieldChanges, fieldKey, type FieldChange } from './field-changes';

export interface EventSelection {
  /** inclusive; a number is a stream version, a string an ISO time */
  readonly from?: number | string;
  /** inclusive; a number is a stream version, a string an ISO time */
  readonly to?: number | string;
  /** only this user's events */
  readonly actor?: string;
}

export function isSelected(selection: EventSelection, event: RecordedEvent): boolean {
  if (event.type !== PLAN_UPDATED || !(event.data instanceof Uint8Array)) return false;
  if (selection.actor !== undefined && event.metadata.actor !== selection.actor) return false;
  const after = (bound: number | string) =>
    typeof bound === 'number'
      ? event.version >= bound
      : Date.parse(event.metadata.at) >= Date.parse(bound);
  const before = (bound: number | string) =>
    typeof bound === 'number'
      ? event.version <= bound
      : Date.parse(event.metadata.at) <= Date.parse(bound);
  return (
    (selection.from === undefined || after(selection.from)) &&
    (selection.to === undefined || before(selection.to))
  );
}

export interface AttributedEvent {
  readonly version: number;
  readonly position: number;
  readonly at: string;
  readonly actor: string;
  readonly fields: readonly FieldChange[];
  /** the semantic changes in words (`Task "Build" rescheduled …`) */
  readonly summary: readonly string[];
}

export interface ActorAttribution {
  readonly actor: string;
  readonly events: number;
  /** `task:a.title`, `risk:r` (added or removed), … */
  readonly fields: readonly string[];
}

export interface Attribution {
  readonly events: readonly AttributedEvent[];
  readonly actors: readonly ActorAttribution[];
}

/** Replays `events` (a stream from version 0) and hands each selected-or-later event its before/after. */
function replay(
  events: readonly RecordedEvent[],
  doc: Y.Doc,
  startAt: (event: RecordedEvent) => boolean,
  origin: (event: RecordedEvent) => unknown,
  visit: (event: RecordedEvent, before: PlanJson, after: PlanJson) => void,
): void {
  let watching = false;
  let current: PlanJson | undefined;
  for (const event of events) {
    if (event.type !== PLAN_UPDATED || !(event.data instanceof Uint8Array)) continue;
    if (!watching && startAt(event)) {
      watching = true;
      current = readPlan(doc);
    }
    Y.applyUpdate(doc, event.data, origin(event));
    if (!watching || !current) continue;
    const after = readPlan(doc);
    visit(event, current, after);
    current = after;
  }
}

export function attribute(
  events: readonly RecordedEvent[],
  selection: EventSelection,
): Attribution {
  const doc = new Y.Doc();
  const attributed: AttributedEvent[] = [];
  try {
    replay(
      events,
      doc,
      (e) => isSelected(selection, e),
      () => null,
      (event, before, after) => {
        if (!isSelected(selection, event)) return;
        attributed.push({
          version: event.version,
          position: event.position,
          at: event.metadata.at,
          actor: event.metadata.actor,
          fields: fieldChanges(before, after),
          summary: diffPlans(before, after).map(describeChange),
        });
      },
    );
  } finally {
    doc.destroy();
  }
  const byActor = new Map<string, { events: number; fields: Set<string> }>();
  for (const e of attributed) {
    const entry = byActor.get(e.actor) ?? { events: 0, fields: new Set<string>() };
    entry.events += 1;
    for (const f of e.fields)
      entry.fields.add(f.kind === 'changed' ? fieldKey(f.entity, f.field) : entityKey(f.entity));
    byActor.set(e.actor, entry);
  }
  return {
    events: attributed,
    actors: [...byActor].map(([actor, { events: count, fields }]) => ({
      actor,
      events: count,
      fields: [...fields].sort(),
    })),
  };
}

export interface RevertConflict {
  readonly entity: EntityRef;
  /** absent for a whole entity */
  readonly field?: string;
  /** the selected event whose change is not undone (or only partly) */
  readonly revertedVersion: number;
  /** the later event that is kept */
  readonly laterVersion: number;
  readonly laterActor: string;
  readonly reason: 'changed-later' | 'edited-after-added' | 'removed-later';
  /** the value kept on the plan */
  readonly kept: unknown;
}

export interface RevertPlan {
  /** one Yjs update that undoes the selection; undefined when there is nothing to undo */
  readonly update: Uint8Array | undefined;
  /** the selected events, oldest first */
  readonly reverted: readonly { version: number; actor: string; at: string }[];
  /** later edits by others that the revert keeps instead of overwriting */
  readonly conflicts: readonly RevertConflict[];
  /** what applying `update` changes on the current plan */
  readonly changes: readonly FieldChange[];
  readonly summary: readonly string[];
}

const SELECTED = Symbol('selected for revert');

export function planRevert(
  events: readonly RecordedEvent[],
  selection: EventSelection,
): RevertPlan {
  // gc off: undoing a deletion needs the deleted content, whoever deleted it
  const doc = new Y.Doc({ gc: false });
  const undo = new Y.UndoManager(doc, { trackedOrigins: new Set([SELECTED]), captureTimeout: 0 });
  const eventOf = new Map<unknown, RecordedEvent>();
  undo.on('stack-item-added', ({ stackItem, type }: { stackItem: unknown; type: string }) => {
    if (type === 'undo' && pending) eventOf.set(stackItem, pending);
  });
  let pending: RecordedEvent | undefined;

  const reverted: { version: number; actor: string; at: string }[] = [];
  /** field or entity key → the last selected event that changed it */
  const touched = new Map<string, { version: number; addedEntity: boolean }>();
  const conflicts: RevertConflict[] = [];
  const skipped = new Set<number>();
  try {
    replay(
      events,
      doc,
      (e) => isSelected(selection, e),
      (e) => {
        const selected = isSelected(selection, e);
        pending = selected ? e : undefined;
        return selected ? SELECTED : null;
      },
      (event, before, after) => {
        const changes = fieldChanges(before, after);
        if (isSelected(selection, event)) {
          reverted.push({
            version: event.version,
            actor: event.metadata.actor,
            at: event.metadata.at,
          });
          for (const c of changes) {
            if (c.kind === 'changed')
              touched.set(fieldKey(c.entity, c.field), {
                version: event.version,
                addedEntity: false,
              });
            touched.set(entityKey(c.entity), {
              version: event.version,
              addedEntity:
                c.kind === 'added' || (touched.get(entityKey(c.entity))?.addedEntity ?? false),
            });
          }
          return;
        }
        for (const c of changes) {
          const later = { laterVersion: event.version, laterActor: event.metadata.actor };
          const onEntity = touched.get(entityKey(c.entity));
          if (c.kind === 'changed') {
            const onField = touched.get(fieldKey(c.entity, c.field));
            if (onField)
              conflicts.push({
                entity: c.entity,
                field: c.field,
                revertedVersion: onField.version,
                ...later,
                reason: 'changed-later',
                kept: c.to,
              });
            if (onEntity?.addedEntity) {
              skipped.add(onEntity.version);
              if (!onField)
                conflicts.push({
                  entity: c.entity,
                  field: c.field,
                  revertedVersion: onEntity.version,
                  ...later,
                  reason: 'edited-after-added',
                  kept: c.to,
                });
            }
          } else if (c.kind === 'removed' && onEntity) {
            conflicts.push({
              entity: c.entity,
              revertedVersion: onEntity.version,
              ...later,
              reason: 'removed-later',
              kept: null,
            });
          }
        }
      },
    );
    pending = undefined;
    const before = readPlan(doc);
    // steps whose undo would delete what others built on are left on the stack's floor
    undo.undoStack = undo.undoStack.filter((item) => {
      const event = eventOf.get(item);
      return !(event && skipped.has(event.version));
    });
    const produced: Uint8Array[] = [];
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === undo) produced.push(update);
    });
    while (undo.undoStack.length > 0) undo.undo();
    const after = readPlan(doc);
    return {
      update: produced.length === 0 ? undefined : Y.mergeUpdates(produced),
      reverted,
      conflicts,
      changes: fieldChanges(before, after),
      summary: diffPlans(before, after).map(describeChange),
    };
  } finally {
    undo.destroy();
    doc.destroy();
  }
}
