/**
 * Which layout a plan document uses, and the one-time migration between layouts. The version
 * lives in its own top-level Y.Map so that stamping it never touches plan content.
 *
 * - 1 (no stamp): lists inside entities are plain JSON arrays, replaced whole on every edit.
 * - 2: lists are keyed Y.Maps that merge concurrent edits (list-fields.ts).
 *
 * Migration is an ordinary document edit: the server runs it once when it loads a version-1
 * plan and appends the resulting update as a `PlanUpdated` event, so history before it is
 * untouched and reads as it always did (readers accept both layouts).
 */
import * as Y from 'yjs';
import { isKeyable, readListField, writeListField } from './list-fields';
import { COLLECTIONS } from './plan-json';
import { schemaOf } from './plan-schema';
import { collectionMap, isListRule } from './plan-ydoc';

export const PLAN_SCHEMA_VERSION = 2;
export const SCHEMA_MAP = 'schema';

/** The layout version `doc` is stamped with; an unstamped document is version 1. */
export function planSchemaVersion(doc: Y.Doc): number {
  const version = doc.getMap<unknown>(SCHEMA_MAP).get('version');
  return typeof version === 'number' ? version : 1;
}

/**
 * Converts every plain list that converts without loss to its keyed shape and stamps the
 * current version, in one transaction tagged `origin`. Returns false (and writes nothing) when
 * the document is already current. A list that cannot be keyed (a link without a predecessor,
 * the same predecessor twice) stays as it is: validation keeps reporting it, nothing is
 * silently repaired.
 */
export function migratePlan(doc: Y.Doc, origin?: unknown): boolean {
  if (planSchemaVersion(doc) >= PLAN_SCHEMA_VERSION) return false;
  doc.transact(() => {
    for (const collection of COLLECTIONS) {
      const schema = schemaOf(collection);
      collectionMap(doc, collection).forEach((entity) => {
        // An entity a client stored as a plain object is converted by the next command on it.
        if (!(entity instanceof Y.Map)) return;
        for (const [field, spec] of Object.entries(schema)) {
          if (!isListRule(spec)) continue;
          const stored = entity.get(field);
          if (!Array.isArray(stored) || !isKeyable(stored, spec.kind)) continue;
          const list = readListField(stored, spec.kind);
          entity.delete(field);
          writeListField(entity, field, spec.kind, list);
        }
      });
    }
    doc.getMap<unknown>(SCHEMA_MAP).set('version', PLAN_SCHEMA_VERSION);
  }, origin);
  return true;
}
