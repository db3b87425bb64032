import fc from 'fast-check';
import type { AllFilter, ReadAllOptions, RecordedEvent } from '../event-store.port';
import { RecentEvents } from './recent-events';

/** a log as the file holds it: positions increase, with holes where streams were deleted */
class Log {
  events: RecordedEvent[] = [];
  private next = 1;

  append(streamId: string, type: string): void {
    this.events.push({
      id: String(this.next),
      streamId,
      type,
      data: {},
      metadata: {},
      schemaVersion: 1,
      version: 0,
      position: this.next++,
      hash: '',
      prevHash: '',
    } as RecordedEvent);
  }

  /** the definition: what `SELECT … WHERE position > ? AND <filter> LIMIT ?` returns */
  read({ fromPosition = 0, maxCount = -1, filter }: ReadAllOptions): RecordedEvent[] {
    const matching = this.events.filter(
      (e) =>
        e.position > fromPosition &&
        (!filter?.streamPrefix || e.streamId.startsWith(filter.streamPrefix)) &&
        (!filter?.eventTypes?.length || filter.eventTypes.includes(e.type)),
    );
    return maxCount < 0 ? matching : matching.slice(0, maxCount);
  }

  head(): number {
    return this.events.at(-1)?.position ?? 0;
  }
}

const STREAMS = ['plan-a', 'plan-b', 'PLAN-a', 'access-plan-a'];
const TYPES = ['PlanUpdated', 'MemberAdded', 'PlanRead'];
const FILTERS: Array<AllFilter | undefined> = [
  undefined,
  { streamPrefix: 'plan-' },
  { streamPrefix: 'plan-', eventTypes: ['MemberAdded'] },
  { eventTypes: ['PlanRead', 'PlanUpdated'] },
];

describe('RecentEvents', () => {
  it("given this process' commits, other processes' commits, polls and deletions in any order, then every page it answers equals the read from the file up to the head it has seen", () => {
    const events = fc.array(fc.tuple(fc.constantFrom(...STREAMS), fc.constantFrom(...TYPES)), {
      minLength: 1,
      maxLength: 12,
    });
    const step = fc.oneof(
      // committed by this process: handed over as the writer reports it
      fc.record({ kind: fc.constant('commit' as const), events }),
      // committed by another process: only the poll finds it
      fc.record({ kind: fc.constant('elsewhere' as const), events }),
      fc.record({ kind: fc.constant('poll' as const) }),
      fc.record({ kind: fc.constant('delete' as const), stream: fc.constantFrom(...STREAMS) }),
      fc.record({
        kind: fc.constant('read' as const),
        back: fc.nat({ max: 40 }),
        maxCount: fc.constantFrom(-1, 1, 3, 500),
        filter: fc.constantFrom(...FILTERS),
      }),
    );
    let answered = 0;
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 60 }),
        fc.integer({ min: 4, max: 30 }),
        (steps, capacity) => {
          const log = new Log();
          const recent = new RecentEvents(
            (position, maxCount) => log.read({ fromPosition: position, maxCount }),
            () => log.head(),
            capacity,
          );
          for (const s of steps) {
            if (s.kind === 'commit' || s.kind === 'elsewhere') {
              const headBefore = log.head();
              for (const [stream, type] of s.events) log.append(stream, type);
              if (s.kind === 'commit') {
                recent.committed(headBefore, log.read({ fromPosition: headBefore }));
                expect(recent.head).toBe(log.head());
              }
            } else if (s.kind === 'poll') {
              recent.refresh();
              expect(recent.head).toBe(log.head());
            } else if (s.kind === 'delete') {
              log.events = log.events.filter((e) => e.streamId !== s.stream);
              recent.reset();
            } else {
              const options = {
                fromPosition: Math.max(0, recent.head - s.back),
                maxCount: s.maxCount,
                filter: s.filter,
              };
              const page = recent.page(options);
              if (page === undefined) continue;
              answered += 1;
              const seen = log
                .read({ ...options, maxCount: -1 })
                .filter((e) => e.position <= recent.head);
              const expected = s.maxCount < 0 ? seen : seen.slice(0, s.maxCount);
              expect(page.map((e) => e.position)).toEqual(expected.map((e) => e.position));
            }
          }
        },
      ),
      { numRuns: 500 },
    );
    expect(answered).toBeGreaterThan(150);
  });

  it('given a commit of more events than it holds, then it answers only from after them and the rest is read from the file', () => {
    const log = new Log();
    const recent = new RecentEvents(
      (position, maxCount) => log.read({ fromPosition: position, maxCount }),
      () => log.head(),
      10,
    );
    for (let i = 0; i < 25; i++) log.append('plan-a', 'PlanUpdated');
    recent.refresh();
    expect(recent.head).toBe(25);
    expect(recent.page({ fromPosition: 3 })).toBeUndefined();
    expect(recent.page({ fromPosition: 25 })).toEqual([]);
    log.append('plan-a', 'PlanUpdated');
    expect(recent.refresh()).toBe(true);
    expect(recent.refresh()).toBe(false);
    expect(recent.page({ fromPosition: 25 })!.map((e) => e.position)).toEqual([26]);
  });
});
