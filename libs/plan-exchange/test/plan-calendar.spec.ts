import { normalizePlanImport, type PlanFile } from '@lib/plan-domain';
import { writePlanCalendar } from '@lib/plan-exchange';
import crm from '../../plan-domain/src/scheduling/fixtures/crm-rollout.plan.json';
import expectedTimeline from '../../plan-domain/src/scheduling/fixtures/crm-rollout.expected-timeline.json';

describe('the plan as an iCalendar feed', () => {
  const ics = writePlanCalendar(normalizePlanImport(crm as PlanFile), {
    planId: 'crm',
    generatedAt: '2027-03-05T10:00:00.000Z',
    fallbackStart: '2000-01-01',
    planUrl: 'https://plans.example.com/p/crm',
  });
  const events = ics.split('BEGIN:VEVENT').slice(1);

  it('given the CRM plan, then there is one event per task and milestone with stable ids, all lines CRLF and at most 75 octets', () => {
    expect(ics.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(events).toHaveLength(34);
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(ics).not.toMatch(/[^\r]\n/);
    expect(ics).toContain('UID:crm.t05@plan-server');
  });

  it('given a task, then it spans its scheduled start to its finish as all-day dates; a milestone is one day marked ◆', () => {
    const t05 = events.find((e) => e.includes('UID:crm.t05@'))!;
    const dates = expectedTimeline.tasks.t05;
    expect(t05).toContain(`DTSTART;VALUE=DATE:${dates.start.replace(/-/g, '')}`);
    expect(t05).toContain(`DTEND;VALUE=DATE:${dates.finish.replace(/-/g, '')}`);
    expect(t05).toContain('SUMMARY:Vendor shortlist');
    expect(t05).toContain('DTSTAMP:20270305T100000Z');
    const m01 = events.find((e) => e.includes('UID:crm.m01@'))!;
    expect(m01).toContain('SUMMARY:◆ Requirements signed off');
  });

  it('given text with commas, semicolons and newlines, then it is escaped', () => {
    const plan = normalizePlanImport({
      meta: { title: 'A, B; C', start: '2027-01-04' },
      tasks: [{ id: 'x', title: 'Plan; review, sign\noff', durationDays: 1 }],
    });
    const out = writePlanCalendar(plan, {
      planId: 'p',
      generatedAt: '2027-01-01T00:00:00Z',
      fallbackStart: '2027-01-04',
    });
    expect(out).toContain('X-WR-CALNAME:A\\, B\\; C');
    expect(out).toContain('SUMMARY:Plan\\; review\\, sign\\noff');
  });
});
