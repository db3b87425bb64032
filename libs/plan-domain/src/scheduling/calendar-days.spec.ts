import fc from 'fast-check';
import {
  epochDayOf,
  epochDayOfInstant,
  InvalidIsoDateError,
  isoDateOfEpochDay,
  requireEpochDay,
} from './calendar-days';

describe('calendar days', () => {
  it('given any day between 1900 and 2200, when converted to an ISO date and back, then it is the same day', () => {
    const from = epochDayOf('1900-01-01') as number;
    const to = epochDayOf('2200-12-31') as number;
    fc.assert(
      fc.property(fc.integer({ min: from, max: to }), (day) => {
        expect(epochDayOf(isoDateOfEpochDay(day))).toBe(day);
      }),
    );
  });

  it('given every day from 1590 to 2410, every 97th of the years 0000 to 9999 and days just outside them, when dated, then the date is what Date writes for it', () => {
    const byDate = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);
    const first = -719_528; // 0000-01-01
    const last = 2_932_896; // 9999-12-31
    const days: number[] = [];
    for (let day = first - 3; day <= last + 3; day += 97) days.push(day);
    // four centuries either side of 2000 hold every leap-year rule at work
    const from = epochDayOf('1590-01-01') as number;
    const to = epochDayOf('2410-12-31') as number;
    for (let day = from; day <= to; day++) days.push(day);
    days.push(first - 1, first, last, last + 1);
    for (const day of days) {
      const date = isoDateOfEpochDay(day);
      if (date !== byDate(day)) expect(`${day} → ${date}`).toBe(`${day} → ${byDate(day)}`);
    }
    expect(isoDateOfEpochDay(first)).toBe('0000-01-01');
    expect(isoDateOfEpochDay(last)).toBe('9999-12-31');
    expect(isoDateOfEpochDay(0)).toBe('1970-01-01');
    expect(isoDateOfEpochDay(0.5)).toBe('1970-01-01');
  });

  it('given two dates 14 days apart, when converted, then their day numbers differ by 14', () => {
    expect((epochDayOf('2027-03-15') as number) - (epochDayOf('2027-03-01') as number)).toBe(14);
  });

  it.each([
    '2027-02-29',
    '2027-13-01',
    '2027-3-1',
    '27-03-01',
    '2027-03-01T00:00:00Z',
    '',
    20270301,
  ])('given %p, when read as an ISO date, then it is rejected', (value) => {
    expect(epochDayOf(value)).toBeNull();
  });

  it('given a leap day, when read, then it is accepted', () => {
    expect(isoDateOfEpochDay(epochDayOf('2028-02-29') as number)).toBe('2028-02-29');
  });

  it('given an unreadable required date, when required, then the error names the field', () => {
    expect(() => requireEpochDay('planStart', 'soon')).toThrow(InvalidIsoDateError);
    expect(() => requireEpochDay('planStart', 'soon')).toThrow(/planStart/);
  });

  it('given a timestamp late in the evening west of UTC, when bucketed, then it falls on the next UTC day', () => {
    expect(isoDateOfEpochDay(epochDayOfInstant('2027-03-01T23:30:00-02:00') as number)).toBe(
      '2027-03-02',
    );
    expect(epochDayOfInstant('not a time')).toBeNull();
  });
});
