/**
 * JSON for read-model rows. Plans carry whatever a Yjs client stored in a field, which may be
 * a bigint or bytes; JSON.stringify throws on the first and mangles the second, and a
 * projector that throws on one odd value would stop for good. Bigints become decimal strings,
 * bytes `{ base64 }`, non-finite numbers null, and undefined is dropped (in arrays, null), as
 * JSON.stringify would.
 */
import type { JsonValue } from '@lib/event-store';

export function toJsonValue(value: unknown): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return { base64: Buffer.from(value).toString('base64') };
  if (Array.isArray(value))
    return value.map((item) => (item === undefined ? null : toJsonValue(item)));
  if (typeof value === 'object') {
    const object: { [key: string]: JsonValue } = {};
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined && typeof item !== 'function') object[key] = toJsonValue(item);
    }
    return object;
  }
  return null;
}

/**
 * The TEXT stored for a JSON column: `JSON.stringify(toJsonValue(value))`, written without the
 * intermediate copy (a timeline of a few hundred activities is stored after every batch). The
 * replacer sees each value as stored (`this[key]`) before JSON.stringify applies a `toJSON`,
 * and gives what toJsonValue would: bytes as `{ base64 }`, bigints as decimal strings, an
 * object with a `toJSON` (a Date) as its own members, a symbol as null.
 */
export const rowJson = (value: unknown): string => JSON.stringify(value, asRowJson) ?? 'null';

function asRowJson(this: unknown, key: string, value: unknown): unknown {
  const original = (this as Record<string, unknown>)[key];
  if (original instanceof Uint8Array)
    return {
      base64: Buffer.from(original.buffer, original.byteOffset, original.byteLength).toString(
        'base64',
      ),
    };
  if (typeof original === 'bigint') return original.toString();
  if (typeof original === 'symbol') return null;
  // JSON.stringify replaced the object by what its toJSON returned; toJsonValue reads its members
  if (original !== value && typeof original === 'object' && original !== null)
    return { ...original };
  return value;
}
