import { isIsoDate } from './iso-date';

describe('isIsoDate', () => {
  it.each(['2027-03-01', '2028-02-29', '2027-12-31'])(
    'given %s, when checked, then it is a date',
    (value) => {
      expect(isIsoDate(value)).toBe(true);
    },
  );

  it.each([
    '2027-02-29',
    '2027-04-31',
    '2027-13-01',
    '2027-3-1',
    '2027-03-01T00:00:00Z',
    '',
    20270301,
    null,
  ])('given %p, when checked, then it is not a calendar date', (value) => {
    expect(isIsoDate(value)).toBe(false);
  });
});
