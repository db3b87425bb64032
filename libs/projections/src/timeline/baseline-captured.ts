/**
 * `BaselineCaptured`: a named copy of the schedule's dates, appended to the plan stream (the
 * REST layer does it for `POST /plans/:id/baselines {name}`). The timeline measures slippage
 * against the latest one.
 *
 *   const { plan } = await commands.read(planId);
 *   const data = captureBaseline(plan, { baselineId: randomUUID(), name: 'Signed off', capturedAt: now });
 *   await store.appendToStream(planStreamId(planId), [baselineCapturedEvent(data, { actor, at: now })]);
 */
import { randomUUID } from 'node:crypto';
import type { EventMetadata, JsonObject, NewEvent, RecordedEvent } from '@lib/event-store';
import {
  computeSchedule,
  epochDayOfInstant,
  isIsoDate,
  isoDateOfEpochDay,
  type BaselineEntry,
  type IsoDate,
  type PlanJson,
} from '@lib/plan-domain';
import { planScheduleInput } from './plan-schedule';

export const BASELINE_CAPTURED = 'BaselineCaptured';

export interface BaselineCapturedData {
  readonly baselineId: string;
  readonly name: string;
  /** ISO time the baseline was taken */
  readonly capturedAt: string;
  /** the schedule's day 0 and finish when it was taken */
  readonly planStart: IsoDate;
  readonly projectFinish: IsoDate;
  /** scheduled dates of every task and milestone, by id */
  readonly activities: Readonly<Record<string, BaselineEntry>>;
}

export interface CaptureBaselineOptions {
  readonly baselineId: string;
  readonly name: string;
  readonly capturedAt: string;
  /**
   * Day 0 for a plan without a start date and without dated activities; pass the timeline's
   * `planStart` so the baseline lines up with what users see. Defaults to capturedAt's day.
   */
  readonly planStart?: IsoDate;
}

/** The baseline of the plan as it is now: its schedule, computed as the timeline computes it. */
export function captureBaseline(
  plan: PlanJson,
  options: CaptureBaselineOptions,
): BaselineCapturedData {
  const capturedDay = epochDayOfInstant(options.capturedAt);
  if (capturedDay === null)
    throw new InvalidBaselineError(
      'capturedAt',
      `must be an ISO time, got ${JSON.stringify(options.capturedAt)}`,
    );
  if (options.name.trim() === '') throw new InvalidBaselineError('name', 'must not be empty');
  const fallbackStart = options.planStart ?? isoDateOfEpochDay(capturedDay);
  const schedule = computeSchedule(planScheduleInput(plan, { fallbackStart }).input);
  const activities: Record<string, BaselineEntry> = {};
  for (const activity of schedule.activities)
    activities[activity.id] = { start: activity.start, finish: activity.finish };
  return {
    baselineId: options.baselineId,
    name: options.name,
    capturedAt: options.capturedAt,
    planStart: schedule.planStart,
    projectFinish: schedule.projectFinish,
    activities,
  };
}

export function baselineCapturedEvent(
  data: BaselineCapturedData,
  metadata: EventMetadata,
  id: string = randomUUID(),
): NewEvent {
  const activities: JsonObject = {};
  for (const [activityId, entry] of Object.entries(data.activities))
    activities[activityId] = { start: entry.start, finish: entry.finish };
  return {
    id,
    type: BASELINE_CAPTURED,
    data: {
      baselineId: data.baselineId,
      name: data.name,
      capturedAt: data.capturedAt,
      planStart: data.planStart,
      projectFinish: data.projectFinish,
      activities,
    },
    metadata,
    schemaVersion: 1,
  };
}

/** A baseline the builder refuses: names the field. */
export class InvalidBaselineError extends Error {
  readonly code = 'INVALID_BASELINE';
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`baseline ${field} ${reason}`);
    this.name = 'InvalidBaselineError';
  }
}

export const isInvalidBaselineError = (error: unknown): error is InvalidBaselineError =>
  typeof error === 'object' &&
  error !== null &&
  (error as { code?: unknown }).code === 'INVALID_BASELINE';

export type ParsedBaseline =
  | { readonly ok: true; readonly baseline: BaselineCapturedData }
  | { readonly ok: false; readonly reason: string };

/**
 * Reads a stored BaselineCaptured. The log may hold events from older or buggy writers, so
 * entries with unreadable dates are dropped (and counted) rather than trusted.
 */
export function parseBaselineCaptured(event: RecordedEvent): ParsedBaseline {
  const where = `event ${event.id} (${BASELINE_CAPTURED}) at ${event.streamId}@${event.version}`;
  if (event.type !== BASELINE_CAPTURED) return { ok: false, reason: `${where} is a ${event.type}` };
  if (event.data instanceof Uint8Array) return { ok: false, reason: `${where} has binary data` };
  const data = event.data;
  if (typeof data.baselineId !== 'string' || data.baselineId === '')
    return { ok: false, reason: `${where} needs baselineId` };
  const stored = data.activities;
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored))
    return { ok: false, reason: `${where} needs activities` };
  const activities: Record<string, BaselineEntry> = {};
  for (const [id, entry] of Object.entries(stored)) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) continue;
    if (isIsoDate(entry.start) && isIsoDate(entry.finish))
      activities[id] = { start: entry.start, finish: entry.finish };
  }
  const text = (value: unknown, fallback: string): string =>
    typeof value === 'string' ? value : fallback;
  const finishes = Object.values(activities)
    .map((a) => a.finish)
    .sort();
  return {
    ok: true,
    baseline: {
      baselineId: data.baselineId,
      name: text(data.name, ''),
      capturedAt: text(data.capturedAt, text(event.metadata.at, '')),
      planStart: text(data.planStart, ''),
      projectFinish: isIsoDate(data.projectFinish)
        ? data.projectFinish
        : (finishes[finishes.length - 1] ?? ''),
      activities,
    },
  };
}
