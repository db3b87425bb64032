import fc from 'fast-check';
import { rowJson, toJsonValue } from './row-json';

/** what a plan field or an event's data may hold, odd values included */
const storedValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(
      null,
      undefined,
      true,
      0,
      -0,
      1.5,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      '',
      'text "quoted"',
      12n,
      Symbol('s'),
      () => 1,
      new Date(0),
    ),
    fc.uint8Array({ maxLength: 4 }).map((bytes) => {
      // a view into a larger buffer, as a socket hands out
      const larger = new Uint8Array(bytes.length + 4);
      larger.set(bytes, 2);
      return larger.subarray(2, 2 + bytes.length);
    }),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('a', 'b', 'toJSON'), tie('value'), { maxKeys: 3 }),
  ),
})).value;

describe('rowJson', () => {
  it('given any stored value, then it writes exactly what serialising its JSON copy writes', () => {
    fc.assert(
      fc.property(storedValue, (value) => {
        expect(rowJson(value)).toBe(JSON.stringify(toJsonValue(value)));
      }),
      { numRuns: 5000 },
    );
  });
});
