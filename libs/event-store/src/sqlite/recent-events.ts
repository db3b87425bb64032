/**
 * The newest committed events of the SQLite store, held in memory for its subscribers.
 *
 * Every subscriber in the process (nine projectors, the membership view, the change feed) wakes
 * after each commit and asks for the events after its position, nearly always the few that were
 * just committed. This process' commits are handed over as the writer reports them
 * (`committed`), other processes' are read from the file by the store's poll (`refresh`), and
 * each subscriber's page is cut from memory; only a subscriber further behind than the held
 * events reads the file.
 *
 *   const recent = new RecentEvents(readAfter, readHead);
 *   recent.committed(headBefore, events);   // after this process' commit
 *   recent.refresh();                       // on the poll for other processes' commits
 *   recent.page({ fromPosition, filter })   // the page, or undefined: read the file instead
 */
import type { AllFilter, ReadAllOptions, RecordedEvent } from '../event-store.port';

/** rows read per query while refreshing */
const REFRESH_PAGE = 500;

export class RecentEvents {
  private events: RecordedEvent[] = [];
  /** every event with a position in (from, head] is in `events`, in position order */
  private from: number;
  private current: number;

  constructor(
    private readonly readAfter: (position: number, maxCount: number) => RecordedEvent[],
    private readonly readHead: () => number,
    /** most events held; a refresh that finds more starts afresh after them */
    private readonly capacity = 4096,
  ) {
    this.current = this.from = readHead();
  }

  /** the newest position this process has seen committed */
  get head(): number {
    return this.current;
  }

  /** Reads what was committed since the last refresh; true when there was anything. */
  refresh(): boolean {
    const head = this.readHead();
    if (head === this.current) return false;
    // fewer positions than before (the store was replaced) or too many to hold: start afresh
    if (head < this.current || head - this.current > this.capacity) {
      this.reset(head);
      return true;
    }
    for (;;) {
      const page = this.readAfter(this.current, REFRESH_PAGE);
      for (const event of page) this.events.push(event);
      if (page.length > 0) this.current = page[page.length - 1].position;
      if (page.length < REFRESH_PAGE) break;
    }
    // a commit may land between reading the head and the rows: the rows are what counts
    this.current = Math.max(this.current, head);
    this.dropExcess();
    return true;
  }

  /**
   * The events a commit of this process wrote: every position after `headBefore`, in order.
   * They are taken as they are when they follow the held events directly; when another process
   * committed in between (not yet polled), the file is read instead, so no position is skipped.
   */
  committed(headBefore: number, events: readonly RecordedEvent[]): void {
    const last = events.length > 0 ? events[events.length - 1].position : headBefore;
    if (this.current >= last) return; // a refresh already read them
    if (this.current !== headBefore) {
      this.refresh();
      return;
    }
    for (const event of events) this.events.push(event);
    this.current = last;
    this.dropExcess();
  }

  private dropExcess(): void {
    const excess = this.events.length - this.capacity;
    if (excess > 0) {
      this.from = this.events[excess - 1].position;
      this.events = this.events.slice(excess);
    }
  }

  /** Forgets the held events, e.g. after a stream was deleted from the file. */
  reset(head: number = this.readHead()): void {
    this.events = [];
    this.current = this.from = head;
  }

  /** the page `readAll(options)` would return, or undefined when it starts before the held events */
  page({ fromPosition = 0, maxCount, filter }: ReadAllOptions): RecordedEvent[] | undefined {
    if (fromPosition < this.from) return undefined;
    const limit = maxCount === undefined || maxCount < 0 ? Infinity : maxCount;
    const page: RecordedEvent[] = [];
    for (let i = this.firstAfter(fromPosition); i < this.events.length; i++) {
      if (page.length >= limit) break;
      const event = this.events[i];
      if (matches(event, filter)) page.push(event);
    }
    return page;
  }

  /** index of the first held event with a position above `position` */
  private firstAfter(position: number): number {
    let low = 0;
    let high = this.events.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.events[middle].position <= position) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

function matches(event: RecordedEvent, filter: AllFilter | undefined): boolean {
  if (!filter) return true;
  if (filter.streamPrefix && !event.streamId.startsWith(filter.streamPrefix)) return false;
  if (filter.eventTypes && filter.eventTypes.length > 0 && !filter.eventTypes.includes(event.type))
    return false;
  return true;
}
