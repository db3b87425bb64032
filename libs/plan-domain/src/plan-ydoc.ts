/**
 * How a plan lies on a Y.Doc: a top-level Y.Map `meta` of fields, and one top-level Y.Map per
 * collection whose values are per-entity Y.Maps of fields. Separate field entries are what
 * let two people edit different fields of one task concurrently and both keep their edit.
 *
 * Lists inside an entity (assignees, dependsOn, resourceIds, linkedTaskIds) are nested Y.Maps
 * keyed by the linked id (list-fields.ts), so two people adding links to one task both keep
 * theirs. Which shape a document uses is its schema version (plan-schema-version.ts).
 */
import * as Y from 'yjs';
import { compareCodeUnits } from './id-order';
import { readListField, writeListField } from './list-fields';
import { copyValue, sameValue } from './json-value';
import {
  type CollectionName,
  type EntityByCollection,
  type Phase,
  type PlanJson,
  type PlanMeta,
} from './plan-json';
import { schemaOf, type AnyFieldSpec, type AnySchema } from './plan-schema';

export const META_MAP = 'meta';

export type FieldValues = Readonly<Record<string, unknown>>;

export function metaMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap<unknown>(META_MAP);
}

export function collectionMap(doc: Y.Doc, collection: CollectionName): Y.Map<unknown> {
  return doc.getMap<unknown>(collection);
}

/**
 * The plain plan. Equal document states give equal output on every replica: collections are
 * sorted by id (phases by order, then id) and fields come out in schema order, whatever order
 * the updates arrived in. Only schema fields are read; anything else a client stored stays in
 * the document untouched.
 */
export function readPlan(doc: Y.Doc): PlanJson {
  const read = <C extends CollectionName>(collection: C): EntityByCollection[C][] => {
    const entries: FieldValues[] = [];
    collectionMap(doc, collection).forEach((value, id) => {
      entries.push(readEntity(id, value, schemaOf(collection)));
    });
    entries.sort((a, b) => compareCodeUnits(String(a.id), String(b.id)));
    // The schema tables mirror these types; values that break them are validatePlan's to report.
    return entries as unknown as EntityByCollection[C][];
  };
  const phases = read('phases').sort((a, b) => {
    const [x, y] = [phaseRank(a), phaseRank(b)];
    return x === y ? 0 : x < y ? -1 : 1;
  });
  return {
    meta: readFields(metaMap(doc), schemaOf('meta')) as unknown as PlanMeta,
    phases,
    tasks: read('tasks'),
    milestones: read('milestones'),
    risks: read('risks'),
    resources: read('resources'),
    stakeholders: read('stakeholders'),
    objectives: read('objectives'),
  };
}

// Sorting is stable and entries arrive sorted by id, so equal orders keep id order. A phase
// whose order is not a number sorts last instead of poisoning the comparison with NaN.
function phaseRank(phase: Phase): number {
  return typeof phase.order === 'number' && Number.isFinite(phase.order)
    ? phase.order
    : Number.POSITIVE_INFINITY;
}

/** One stored entity as plain fields, `id` first; reads Y.Maps and plain objects a client set. */
export function readEntity(id: string, stored: unknown, schema: AnySchema): FieldValues {
  return { id, ...readFields(stored, schema) };
}

/** Schema fields of a stored entity (or of `meta`), defaults filled in, as plain copies. */
export function readFields(stored: unknown, schema: AnySchema): FieldValues {
  const get = fieldGetter(stored);
  const fields: Record<string, unknown> = {};
  for (const [field, spec] of Object.entries(schema)) {
    const value = get(field);
    if (value !== undefined)
      fields[field] = isListRule(spec) ? readListField(value, spec.kind) : plainValue(value);
    else if (spec.presence === 'defaulted') fields[field] = copyValue(spec.default);
  }
  return fields;
}

function fieldGetter(stored: unknown): (field: string) => unknown {
  if (stored instanceof Y.Map) return (field) => stored.get(field);
  if (
    typeof stored === 'object' &&
    stored !== null &&
    !Array.isArray(stored) &&
    !(stored instanceof Y.AbstractType)
  ) {
    return (field) => (stored as Record<string, unknown>)[field];
  }
  // Any other value where an entity belongs reads as an entity with no fields, which
  // validation reports as missing required fields.
  return () => undefined;
}

export function isListRule(
  spec: AnyFieldSpec,
): spec is AnyFieldSpec & { readonly kind: 'dependencies' | 'id-list' } {
  return spec.kind === 'dependencies' || spec.kind === 'id-list';
}

function plainValue(value: unknown): unknown {
  // Clients may use shared types for fields, e.g. a Y.Text title for collaborative typing.
  if (value instanceof Y.AbstractType) return value.toJSON();
  if (value instanceof Y.Doc) return { subdocument: value.guid };
  return copyValue(value);
}

/**
 * Writes fields into an entity's map: `null` deletes a field, `undefined` leaves it alone, and
 * an unchanged value is not rewritten, so a no-op command produces no update at all.
 */
export function writeFields(target: Y.Map<unknown>, fields: FieldValues, schema: AnySchema): void {
  for (const [field, value] of Object.entries(fields)) {
    if (field === 'id' || value === undefined) continue;
    if (value === null) {
      if (target.has(field)) target.delete(field);
      continue;
    }
    const spec = schema[field] as AnyFieldSpec | undefined;
    if (spec !== undefined && isListRule(spec)) {
      writeListField(target, field, spec.kind, value);
      continue;
    }
    const current = target.get(field);
    if (current !== undefined && sameValue(plainValue(current), value)) continue;
    target.set(field, copyValue(value));
  }
}

/**
 * The entity's Y.Map, created if missing. Must run inside a transaction. A plain object a client
 * stored in its place is converted, keeping every field, because commands edit per field.
 */
export function entityMap(doc: Y.Doc, collection: CollectionName, id: string): Y.Map<unknown> {
  const entries = collectionMap(doc, collection);
  const stored = entries.get(id);
  if (stored instanceof Y.Map) return stored;
  const entity = new Y.Map<unknown>();
  entries.set(id, entity);
  if (
    typeof stored === 'object' &&
    stored !== null &&
    !Array.isArray(stored) &&
    !(stored instanceof Y.AbstractType)
  ) {
    for (const [field, value] of Object.entries(stored)) entity.set(field, copyValue(value));
  }
  return entity;
}
