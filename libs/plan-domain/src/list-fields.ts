/**
 * How the lists inside an entity lie on the Y.Doc so that concurrent edits merge instead of the
 * last writer replacing the whole list:
 *
 * - `dependsOn`: a Y.Map keyed by predecessor id whose values are Y.Maps of the link's fields
 *   (`type`, `lagDays`, and whatever optional fields a link gains later). Two people adding
 *   links to different predecessors both keep theirs; two editing the same link merge per field.
 *   Read back as `[{taskId, type, lagDays, …}]` sorted by predecessor id.
 * - id lists (`assignees`, `resourceIds`, `linkedTaskIds`): a Y.Map keyed by id whose value is a
 *   rank. Read back as the ids ordered by rank, then id, so the order people gave is kept and
 *   two concurrent appends (equal ranks) still read the same on every replica.
 *
 * ```ts
 * writeListField(task, 'dependsOn', 'dependencies', [{ taskId: 'a', type: 'FS', lagDays: 0 }]);
 * readListField(task.get('dependsOn'), 'dependencies'); // [{ taskId: 'a', type: 'FS', lagDays: 0 }]
 * ```
 *
 * A write is a diff against what is stored: only links added, removed or changed are written,
 * so it never touches a link someone else is adding at the same time. Plain arrays (plans stored
 * before schema version 2, or a client writing one) still read as they are.
 */
import * as Y from 'yjs';
import { compareCodeUnits } from './id-order';
import { copyValue, sameValue } from './json-value';

export type ListKind = 'dependencies' | 'id-list';

/** Fields every dependency link has, in output order; anything else follows in code-unit order. */
const LINK_FIELDS = ['type', 'lagDays'] as const;

/** The plain list a stored list field reads as. */
export function readListField(stored: unknown, kind: ListKind): unknown {
  if (stored instanceof Y.Map) {
    return kind === 'dependencies' ? readDependencyMap(stored) : readIdSet(stored);
  }
  if (stored instanceof Y.AbstractType) return stored.toJSON();
  return copyValue(stored);
}

function readDependencyMap(links: Y.Map<unknown>): Record<string, unknown>[] {
  const entries: Record<string, unknown>[] = [];
  links.forEach((stored, predecessorId) => {
    const fields = linkFields(stored);
    const link: Record<string, unknown> = { taskId: predecessorId };
    for (const field of LINK_FIELDS) if (fields[field] !== undefined) link[field] = fields[field];
    for (const field of Object.keys(fields).sort(compareCodeUnits)) {
      if (field === 'taskId' || (LINK_FIELDS as readonly string[]).includes(field)) continue;
      if (fields[field] !== undefined) link[field] = fields[field];
    }
    entries.push(link);
  });
  return entries.sort((a, b) => compareCodeUnits(String(a.taskId), String(b.taskId)));
}

function linkFields(stored: unknown): Record<string, unknown> {
  if (stored instanceof Y.Map) return stored.toJSON() as Record<string, unknown>;
  // A link a client stored as a plain object reads as its fields; anything else as no fields,
  // which validation reports as a link missing its type and lag.
  return isRecord(stored) ? copyValue(stored) : {};
}

function readIdSet(ids: Y.Map<unknown>): string[] {
  const ranked: Array<{ id: string; rank: number }> = [];
  ids.forEach((rank, id) => ranked.push({ id, rank: rankOf(rank) }));
  ranked.sort((a, b) => (a.rank === b.rank ? compareCodeUnits(a.id, b.id) : a.rank - b.rank));
  return ranked.map((entry) => entry.id);
}

// A rank that is not a number (a client's `true`) sorts after every ranked id.
function rankOf(rank: unknown): number {
  return typeof rank === 'number' && Number.isFinite(rank) ? rank : Number.POSITIVE_INFINITY;
}

/**
 * Makes `entity[field]` read as `list`, writing only the difference. Must run inside a
 * transaction on an entity already in the document. A value that is not a list is stored as
 * given (validation reports it); so is a list that cannot be keyed without losing entries
 * (a link without a predecessor id, the same predecessor twice).
 */
export function writeListField(
  entity: Y.Map<unknown>,
  field: string,
  kind: ListKind,
  list: unknown,
): void {
  const current = entity.get(field);
  if (!isKeyable(list, kind)) {
    if (current === undefined || !sameValue(readListField(current, kind), list))
      entity.set(field, copyValue(list));
    return;
  }
  let target: Y.Map<unknown>;
  if (current instanceof Y.Map) {
    target = current;
  } else {
    // A plain list (old shape) that already reads the same is left alone: a no-op write
    // produces no update. Migration converts it (plan-schema-version.ts).
    if (current !== undefined && sameValue(readListField(current, kind), list)) return;
    target = new Y.Map<unknown>();
    entity.set(field, target);
  }
  if (kind === 'dependencies')
    writeDependencies(target, list as readonly Record<string, unknown>[]);
  else writeIds(target, list as readonly string[]);
}

/**
 * Whether a plain list converts to its keyed shape and reads back with nothing lost (only the
 * order of links may change, which carries no meaning).
 */
export function isKeyable(list: unknown, kind: ListKind): boolean {
  if (!Array.isArray(list)) return false;
  const keys = list.map((item: unknown) =>
    kind === 'dependencies' ? (isRecord(item) ? item.taskId : undefined) : item,
  );
  return (
    keys.every((key) => typeof key === 'string' && key !== '') && new Set(keys).size === keys.length
  );
}

function writeDependencies(links: Y.Map<unknown>, list: readonly Record<string, unknown>[]): void {
  const wanted = new Map(list.map((link) => [String(link.taskId), link]));
  for (const predecessorId of [...links.keys()]) {
    if (!wanted.has(predecessorId)) links.delete(predecessorId);
  }
  for (const [predecessorId, link] of wanted) {
    let fields = links.get(predecessorId);
    if (!(fields instanceof Y.Map)) {
      fields = new Y.Map<unknown>();
      links.set(predecessorId, fields);
    }
    const stored = fields as Y.Map<unknown>;
    // The list given is the whole new value: a field the link no longer has is removed.
    for (const name of [...stored.keys()]) {
      if (link[name] === undefined || name === 'taskId') stored.delete(name);
    }
    for (const [name, value] of Object.entries(link)) {
      if (name === 'taskId' || value === undefined) continue;
      if (!sameValue(stored.get(name), value)) stored.set(name, copyValue(value));
    }
  }
}

function writeIds(ids: Y.Map<unknown>, list: readonly string[]): void {
  const wanted = new Set(list);
  for (const id of [...ids.keys()]) if (!wanted.has(id)) ids.delete(id);
  const kept = list.filter((id) => ids.has(id));
  const order = readIdSet(ids);
  const added = list.filter((id) => !ids.has(id));
  // an id without a numeric rank (a client's `true`) reads last, so nothing can follow it
  let unranked = false;
  ids.forEach((rank) => (unranked ||= !Number.isFinite(rankOf(rank))));
  const appendsOnly =
    !unranked &&
    sameValue(kept, order) &&
    list.slice(0, kept.length).every((id, i) => id === kept[i]);
  if (appendsOnly) {
    // Ranks of the ids already there stay as they are, so a concurrent append or reorder by
    // someone else is not overwritten.
    let last = -1;
    ids.forEach((rank) => {
      const r = rankOf(rank);
      if (Number.isFinite(r)) last = Math.max(last, r);
    });
    added.forEach((id, i) => ids.set(id, last + 1 + i));
    return;
  }
  list.forEach((id, i) => {
    if (ids.get(id) !== i) ids.set(id, i);
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
