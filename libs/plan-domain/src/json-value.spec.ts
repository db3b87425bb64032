import fc from 'fast-check';
import { copyValue, sameValue } from './json-value';

/** equality as the plan means it: JSON with object members in any order, undefined members absent */
function canonical(value: unknown): unknown {
  if (value instanceof Uint8Array) return { bytes: [...value] };
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, item]) => item !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, item]) => [key, canonical(item)]),
    );
  return value;
}

const plainValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(null, true, false, 0, 1, -1, 2.5, '', 'a', 'b'),
    fc.uint8Array({ maxLength: 3 }),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.option(tie('value'), { nil: undefined }), {
      maxKeys: 3,
    }),
  ),
})).value;

describe('sameValue', () => {
  it('given any two plain values, then it agrees with comparing their canonical JSON', () => {
    fc.assert(
      fc.property(plainValue, plainValue, (a, b) => {
        expect(sameValue(a, b)).toBe(JSON.stringify(canonical(a)) === JSON.stringify(canonical(b)));
      }),
      { numRuns: 3000 },
    );
  });

  it('given a value and its copy with members reordered, then they are the same, and a changed member is not', () => {
    fc.assert(
      fc.property(plainValue, (value) => {
        const copy = copyValue(value);
        expect(sameValue(value, copy)).toBe(true);
        expect(sameValue({ x: value, y: 1 }, { y: 1, x: copy })).toBe(true);
        expect(sameValue({ x: value, y: 1 }, { x: copy, y: 2 })).toBe(false);
        expect(sameValue({ x: value }, { x: copy, z: undefined })).toBe(true);
        expect(sameValue({ x: value }, { x: copy, z: null })).toBe(false);
        expect(sameValue([value], [copy, copy])).toBe(false);
      }),
    );
  });
});
