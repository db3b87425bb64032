/**
 * What one dependency link allows, on the working-day axis: the forward pass asks for the
 * earliest start of a successor, the backward pass for the latest finish of a predecessor. A
 * working lag counts days on the axis; an elapsed lag (`5ed`) counts calendar days from the
 * moment the predecessor starts or finishes, weekends included, and lands on the next working
 * moment. In calendar-days mode both kinds give the same numbers.
 *
 *   FS +2ed after a task whose last work day is Friday: it finishes Friday evening (= Saturday
 *   0:00), two days later is Monday 0:00, so the successor starts Monday.
 */
import type { Link } from './activity-graph';
import type { WorkingDayAxis } from './work-calendar';

/** Start and finish on the axis; `finish = start + duration`. */
export interface Span {
  readonly start: number;
  readonly finish: number;
}

/** ES(successor) lower bound from one link, given the predecessor's span. */
export function earliestStartAllowedBy(
  link: Link,
  predecessor: Span,
  successorDuration: number,
  axis: WorkingDayAxis,
): number {
  const lag = link.lagDays;
  const elapsed = link.lagKind === 'elapsed';
  switch (link.type) {
    case 'FS':
      return elapsed
        ? axis.startAtOrAfter(axis.finishInstant(predecessor.finish) + lag)
        : predecessor.finish + lag;
    case 'SS':
      return elapsed
        ? axis.startAtOrAfter(axis.startInstant(predecessor.start) + lag)
        : predecessor.start + lag;
    case 'FF':
      return (
        (elapsed
          ? axis.finishAtOrAfter(axis.finishInstant(predecessor.finish) + lag)
          : predecessor.finish + lag) - successorDuration
      );
    case 'SF':
      return (
        (elapsed
          ? axis.finishAtOrAfter(axis.startInstant(predecessor.start) + lag)
          : predecessor.start + lag) - successorDuration
      );
    default:
      return unknownLinkType(link.type);
  }
}

/**
 * LF(predecessor) upper bound from one link, given the successor's span: the largest
 * predecessor finish for which {@link earliestStartAllowedBy} still lets the successor keep it.
 */
export function latestFinishAllowedBy(
  link: Link,
  successor: Span,
  predecessorDuration: number,
  axis: WorkingDayAxis,
): number {
  const lag = link.lagDays;
  const elapsed = link.lagKind === 'elapsed';
  switch (link.type) {
    case 'FS':
      return elapsed
        ? axis.finishAtOrBefore(axis.startInstant(successor.start) - lag)
        : successor.start - lag;
    case 'SS':
      return (
        (elapsed
          ? axis.startAtOrBefore(axis.startInstant(successor.start) - lag)
          : successor.start - lag) + predecessorDuration
      );
    case 'FF':
      return elapsed
        ? axis.finishAtOrBefore(axis.finishInstant(successor.finish) - lag)
        : successor.finish - lag;
    case 'SF':
      return (
        (elapsed
          ? axis.startAtOrBefore(axis.finishInstant(successor.finish) - lag)
          : successor.finish - lag) + predecessorDuration
      );
    default:
      return unknownLinkType(link.type);
  }
}

/** Compile-time exhaustiveness; at run time the graph has already set unknown types aside. */
function unknownLinkType(type: never): never {
  throw new Error(`unhandled dependency type ${String(type)}`);
}
