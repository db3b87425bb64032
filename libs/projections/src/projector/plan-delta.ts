/**
 * Keeping a plan's JSON current one Yjs update at a time. Reading the whole plan after every
 * update (readPlan) copies every entity, and diffing two whole plans walks every entity: for a
 * 30-task plan that is most of a projector's time and garbage. A Yjs transaction says which
 * shared types changed, hence which entities; only those are read again, the rest of the JSON
 * is shared with the previous state, and the semantic diff only looks at them.
 *
 * The result must equal readPlan(doc) exactly (ordering included); plan-delta.spec.ts checks
 * that against readPlan and the full diffPlans on random edit sequences.
 */
import { COLLECTIONS, PlanDoc, type CollectionName, type PlanJson } from '@lib/plan-domain';
import type * as Y from 'yjs';

/** Entities a transaction touched, by collection; the plan meta is always re-read (one map). */
export type TouchedEntities = ReadonlyMap<CollectionName, ReadonlySet<string>>;

/** Top-level shared types of a plan document, by the collection they hold. */
export function collectionTypes(doc: Y.Doc): ReadonlyMap<Y.AbstractType<unknown>, CollectionName> {
  return new Map(
    COLLECTIONS.map((collection) => [
      doc.getMap(collection) as Y.AbstractType<unknown>,
      collection,
    ]),
  );
}

/**
 * Which entities a transaction changed: keys set or deleted on a collection map, and entities
 * any of whose nested types (fields, a Y.Text title…) changed.
 */
export function touchedBy(
  transaction: Y.Transaction,
  collections: ReadonlyMap<Y.AbstractType<unknown>, CollectionName>,
  into: Map<CollectionName, Set<string>>,
): void {
  const touch = (collection: CollectionName, id: string): void => {
    let ids = into.get(collection);
    if (!ids) into.set(collection, (ids = new Set()));
    ids.add(id);
  };
  for (const [type, keys] of transaction.changed) {
    const collection = collections.get(type as Y.AbstractType<unknown>);
    if (collection) {
      for (const key of keys) if (key !== null) touch(collection, key);
      continue;
    }
    // a nested type: climb to the child of a collection map, whose key is the entity id
    let child: Y.AbstractType<unknown> = type as Y.AbstractType<unknown>;
    for (;;) {
      const item = child._item;
      if (!item) break;
      const parent = item.parent as Y.AbstractType<unknown> | null;
      const owner = parent ? collections.get(parent) : undefined;
      if (owner) {
        if (item.parentSub !== null) touch(owner, item.parentSub);
        break;
      }
      if (!parent || !('_item' in parent)) break;
      child = parent;
    }
  }
}

/** `previous` with meta and the touched entities read again from `doc`; untouched entities are shared. */
export function refreshPlan(previous: PlanJson, doc: Y.Doc, touched: TouchedEntities): PlanJson {
  const reader = new PlanDoc(doc);
  const next: { -readonly [K in keyof PlanJson]: PlanJson[K] } = { ...previous, meta: reader.meta };
  for (const [collection, ids] of touched) {
    const kept = (previous[collection] as readonly { readonly id: string }[]).filter(
      (entity) => !ids.has(entity.id),
    );
    const reread = [...ids].flatMap((id) => {
      const entity = reader.get(collection, id);
      return entity === undefined ? [] : [entity];
    });
    next[collection] = sortLikeReadPlan(collection, [...kept, ...reread]) as never;
  }
  return next;
}

/** Meta plus only the touched entities: what diffPlans needs to see to find every change. */
export function restrictPlan(plan: PlanJson, touched: TouchedEntities): PlanJson {
  const restricted: { -readonly [K in keyof PlanJson]: PlanJson[K] } = { ...plan };
  for (const collection of COLLECTIONS) {
    const ids = touched.get(collection);
    restricted[collection] = (
      ids
        ? (plan[collection] as readonly { readonly id: string }[]).filter((e) => ids.has(e.id))
        : []
    ) as never;
  }
  return restricted;
}

// readPlan's order: by id in code units, phases then (stably) by `order`, a non-number last
function sortLikeReadPlan<T extends { readonly id: string }>(
  collection: CollectionName,
  entities: T[],
): T[] {
  entities.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (collection === 'phases') {
    const rank = (p: T): number => {
      const order = (p as unknown as { order?: unknown }).order;
      return typeof order === 'number' && Number.isFinite(order) ? order : Number.POSITIVE_INFINITY;
    };
    entities.sort((a, b) => {
      const [x, y] = [rank(a), rank(b)];
      return x === y ? 0 : x < y ? -1 : 1;
    });
  }
  return entities;
}
