/**
 * Structural equality and copying of the plain values stored in plan fields (JSON plus what
 * Yjs can also hold: bigint, Uint8Array), used to skip no-op writes and to diff plans.
 */

export function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    return (
      a instanceof Uint8Array &&
      b instanceof Uint8Array &&
      a.length === b.length &&
      a.every((x, i) => x === b[i])
    );
  }
  const isArray = Array.isArray(a);
  if (isArray !== Array.isArray(b)) return false;
  if (isArray) {
    const left = a as readonly unknown[];
    const right = b as readonly unknown[];
    if (left.length !== right.length) return false;
    for (let i = 0; i < left.length; i++) if (!sameValue(left[i], right[i])) return false;
    return true;
  }
  // compared in place, without listing the keys: this runs for every field of every diff
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  let members = 0;
  for (const key in left) {
    if (!Object.hasOwn(left, key) || left[key] === undefined) continue;
    if (!Object.hasOwn(right, key) || !sameValue(left[key], right[key])) return false;
    members += 1;
  }
  for (const key in right) if (Object.hasOwn(right, key) && right[key] !== undefined) members -= 1;
  return members === 0;
}

/**
 * A deep copy as plain objects and arrays. Yjs hands out the very object it stores, so a caller
 * mutating a value read from the document would change this replica's state without producing
 * an update: it would diverge. Written by hand rather than with structuredClone because Yjs only
 * stores objects whose constructor is this realm's Object or Array, and under jest (a vm
 * context) structuredClone returns objects of another realm.
 */
export function copyValue<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copyValue) as T;
  if (value instanceof Uint8Array) return new Uint8Array(value) as T;
  if (typeof value === 'object' && value !== null) {
    const copy: Record<string, unknown> = {};
    // undefined is not JSON (and sameValue ignores such members): not stored either
    for (const [key, item] of Object.entries(value))
      if (item !== undefined) copy[key] = copyValue(item);
    return copy as T;
  }
  return value;
}
