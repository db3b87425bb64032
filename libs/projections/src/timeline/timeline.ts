/**
 * The timeline of one plan: its critical-path schedule over tasks and milestones, phase
 * roll-ups, milestones against their dates, and slippage against the latest baseline. Pure:
 * the projection stores what this returns.
 */
import {
  computeSchedule,
  epochDayOf,
  type IsoDate,
  type PhaseRollup,
  type PlanJson,
  type ScheduledActivity,
  type ScheduleIssues,
} from '@lib/plan-domain';
import type { BaselineCapturedData } from './baseline-captured';
import {
  planScheduleInput,
  type PlanStartSource,
  type UnusableActivityValue,
} from './plan-schedule';

export interface TimelineActivity extends ScheduledActivity {
  readonly kind: 'task' | 'milestone';
  readonly title: string;
  readonly status: string;
}

export interface TimelineMilestone {
  readonly id: string;
  readonly title: string;
  readonly phaseId: string | null;
  /** the milestone's own date; null when it is "when its dependencies are done" */
  readonly targetDate: IsoDate | null;
  /** when the schedule reaches it */
  readonly date: IsoDate;
  /** how far the dependencies push it past its target date; 0 when on time */
  readonly lateByDays: number;
  readonly critical: boolean;
  readonly status: string;
}

export interface TimelinePhase extends PhaseRollup {
  /** null for a phase id that tasks name but the plan does not have */
  readonly title: string | null;
  readonly order: number | null;
}

export interface TimelineBaseline {
  readonly baselineId: string;
  readonly name: string;
  readonly capturedAt: string;
  readonly projectFinish: IsoDate;
  /** current finish − baseline finish in days; positive is late */
  readonly projectFinishDeltaDays: number | null;
  /** activities with slippage against it */
  readonly slippedActivityIds: readonly string[];
}

export interface TimelineIssues extends ScheduleIssues {
  /** meta.start as stored when it is not a date (the schedule then starts elsewhere) */
  readonly invalidPlanStart: unknown;
  readonly unusableValues: readonly UnusableActivityValue[];
}

export interface Timeline {
  readonly planStart: IsoDate;
  readonly planStartSource: PlanStartSource;
  readonly projectFinish: IsoDate;
  readonly projectFinishDay: number;
  readonly percentComplete: number;
  /** critical activity ids in topological order */
  readonly criticalPath: readonly string[];
  /** topological order; activities in dependency cycles are absent (see issues.cycles) */
  readonly activities: readonly TimelineActivity[];
  readonly milestones: readonly TimelineMilestone[];
  readonly phases: readonly TimelinePhase[];
  readonly baseline: TimelineBaseline | null;
  readonly issues: TimelineIssues;
}

export interface TimelineOptions {
  readonly baseline?: BaselineCapturedData;
  /** day 0 for a plan with no start and no dated activity (the date of its first event) */
  readonly fallbackStart: IsoDate;
}

export function buildTimeline(plan: PlanJson, options: TimelineOptions): Timeline {
  const prepared = planScheduleInput(plan, {
    fallbackStart: options.fallbackStart,
    baseline: options.baseline?.activities,
  });
  const schedule = computeSchedule(prepared.input);
  const tasks = new Map(plan.tasks.map((t) => [t.id, t]));
  const milestones = new Map(plan.milestones.map((m) => [m.id, m]));
  const phases = new Map(plan.phases.map((p) => [p.id, p]));

  const activities = schedule.activities.map((activity): TimelineActivity => {
    const source = activity.milestone ? milestones.get(activity.id) : tasks.get(activity.id);
    return {
      ...activity,
      kind: activity.milestone ? 'milestone' : 'task',
      title: typeof source?.title === 'string' ? source.title : '',
      status: typeof source?.status === 'string' ? source.status : '',
    };
  });

  return {
    planStart: schedule.planStart,
    planStartSource: prepared.planStartSource,
    projectFinish: schedule.projectFinish,
    projectFinishDay: schedule.projectFinishDay,
    percentComplete: schedule.percentComplete,
    criticalPath: schedule.criticalPath,
    activities,
    milestones: activities
      .filter((a) => a.milestone)
      .map((a): TimelineMilestone => {
        const targetDate = milestones.get(a.id)?.date;
        const target = epochDayOf(targetDate);
        const scheduled = epochDayOf(a.start);
        return {
          id: a.id,
          title: a.title,
          phaseId: a.phaseId,
          targetDate: typeof targetDate === 'string' ? targetDate : null,
          date: a.start,
          lateByDays: target === null || scheduled === null ? 0 : Math.max(0, scheduled - target),
          critical: a.critical,
          status: a.status,
        };
      }),
    phases: schedule.phases.map((rollup): TimelinePhase => {
      const phase = phases.get(rollup.phaseId);
      return {
        ...rollup,
        title: typeof phase?.title === 'string' ? phase.title : null,
        order: typeof phase?.order === 'number' ? phase.order : null,
      };
    }),
    baseline: options.baseline
      ? baselineSummary(options.baseline, schedule.projectFinish, activities)
      : null,
    issues: {
      ...schedule.issues,
      invalidPlanStart: prepared.invalidPlanStart ?? null,
      unusableValues: prepared.unusableValues,
    },
  };
}

function baselineSummary(
  baseline: BaselineCapturedData,
  projectFinish: IsoDate,
  activities: readonly TimelineActivity[],
): TimelineBaseline {
  const current = epochDayOf(projectFinish);
  const before = epochDayOf(baseline.projectFinish);
  return {
    baselineId: baseline.baselineId,
    name: baseline.name,
    capturedAt: baseline.capturedAt,
    projectFinish: baseline.projectFinish,
    projectFinishDeltaDays: current === null || before === null ? null : current - before,
    slippedActivityIds: activities
      .filter(
        (a) =>
          a.slippage !== null &&
          (a.slippage.startDeltaDays !== 0 || a.slippage.finishDeltaDays !== 0),
      )
      .map((a) => a.id),
  };
}
