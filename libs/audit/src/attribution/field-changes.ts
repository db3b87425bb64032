/**
 * Field-level differences between two plan states: which entity, which field, from what to
 * what. Attribution reports them per event; revert uses them to find later edits that touched
 * what it undoes. Generic over the plan JSON (meta plus id-keyed collections), so a new field
 * or collection is attributed without change here.
 */
import { canonicalJson } from '@lib/event-store';
import {
  COLLECTIONS,
  ENTITY_TYPE_OF,
  PLAN_META_REF,
  type EntityRef,
  type PlanJson,
} from '@lib/plan-domain';

export type FieldChange =
  | { readonly kind: 'added'; readonly entity: EntityRef; readonly value: unknown }
  | { readonly kind: 'removed'; readonly entity: EntityRef; readonly value: unknown }
  | {
      readonly kind: 'changed';
      readonly entity: EntityRef;
      readonly field: string;
      readonly from: unknown;
      readonly to: unknown;
    };

/** `task:a` for the entity, `task:a.title` for one of its fields */
export const entityKey = (entity: EntityRef): string => `${entity.type}:${entity.id}`;
export const fieldKey = (entity: EntityRef, field: string): string =>
  `${entityKey(entity)}.${field}`;

const same = (a: unknown, b: unknown): boolean => canonicalJson(a) === canonicalJson(b);

function fieldsOf(
  entity: EntityRef,
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (field === 'id' || same(before[field], after[field])) continue;
    changes.push({
      kind: 'changed',
      entity,
      field,
      from: before[field] ?? null,
      to: after[field] ?? null,
    });
  }
  return changes;
}

export function fieldChanges(before: PlanJson, after: PlanJson): FieldChange[] {
  const changes = fieldsOf(
    PLAN_META_REF,
    before.meta as unknown as Record<string, unknown>,
    after.meta as unknown as Record<string, unknown>,
  );
  for (const collection of COLLECTIONS) {
    const type = ENTITY_TYPE_OF[collection];
    const was = new Map(
      (before[collection] as readonly { id: string }[]).map((e) => [e.id, e] as const),
    );
    const now = new Map(
      (after[collection] as readonly { id: string }[]).map((e) => [e.id, e] as const),
    );
    for (const [id, entity] of now) {
      const old = was.get(id);
      if (!old) changes.push({ kind: 'added', entity: { type, id }, value: entity });
      else
        changes.push(
          ...fieldsOf(
            { type, id },
            old as unknown as Record<string, unknown>,
            entity as unknown as Record<string, unknown>,
          ),
        );
    }
    for (const [id, entity] of was)
      if (!now.has(id)) changes.push({ kind: 'removed', entity: { type, id }, value: entity });
  }
  return changes;
}
