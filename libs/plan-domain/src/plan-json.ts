/**
 * The plain (JSON) shape of a plan: what `PlanDoc.toJSON()` returns, what read models and the
 * semantic diff consume. These types describe a *valid* plan; content written by clients straight
 * into the CRDT may break them, which `validatePlan` reports (it never throws or repairs).
 */

import type { CalendarMode, PlanCalendar, ResourceCalendar } from './scheduling/work-calendar';
import type { ScheduleConstraint } from './scheduling/schedule.model';

/** A calendar date `YYYY-MM-DD`; plans count whole days, so no time or zone. */
export type IsoDate = string;

export type { CalendarMode, PlanCalendar, ResourceCalendar, ScheduleConstraint };

export const PLAN_STATUSES = ['draft', 'active', 'on-hold', 'completed', 'cancelled'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

export const WORK_STATUSES = ['not-started', 'in-progress', 'done', 'blocked'] as const;
/** Shared by tasks and milestones, so a milestone imported from a task keeps its status. */
export type WorkStatus = (typeof WORK_STATUSES)[number];

export const DEPENDENCY_TYPES = ['FS', 'SS', 'FF', 'SF'] as const;
export type DependencyType = (typeof DEPENDENCY_TYPES)[number];

export const RISK_RESPONSES = ['avoid', 'mitigate', 'transfer', 'accept'] as const;
export type RiskResponse = (typeof RISK_RESPONSES)[number];

export const RISK_STATUSES = ['open', 'mitigated', 'closed'] as const;
export type RiskStatus = (typeof RISK_STATUSES)[number];

export const RESOURCE_KINDS = ['person', 'equipment', 'budget'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

export const STAKEHOLDER_CADENCES = ['weekly', 'biweekly', 'monthly', 'per-milestone'] as const;
export type StakeholderCadence = (typeof STAKEHOLDER_CADENCES)[number];

export interface PlanMeta {
  readonly title: string;
  readonly description: string;
  readonly status: PlanStatus;
  readonly owner: string;
  /** ISO 4217 code of `budget`, task `cost` and resource rates. */
  readonly currency: string;
  readonly budget: number;
  /** Day 0 of the schedule. */
  readonly start?: IsoDate;
  /** Working weekdays (ISO 1 = Monday), holidays and exceptions; Mon–Fri when absent. */
  readonly calendar?: PlanCalendar;
  /**
   * Whether durations and lags count working days of `calendar` or every calendar day. Absent
   * on plans created before calendars existed, which therefore keep calendar days; new plans
   * are created with 'working-days'.
   */
  readonly calendarMode?: CalendarMode;
  /** Progress is reported as of this day; unfinished work is scheduled after it. */
  readonly statusDate?: IsoDate;
}

export interface Phase {
  readonly id: string;
  readonly title: string;
  /** Display and roll-up order; ties are broken by id. */
  readonly order: number;
}

export interface Dependency {
  /** The predecessor: a task or a milestone id (both share one id space). */
  readonly taskId: string;
  readonly type: DependencyType;
  /** Whole days; negative lag is lead time. */
  readonly lagDays: number;
  /** `working` (the default) or `elapsed` calendar days; `5d` / `5ed` in text form. */
  readonly lagKind?: 'working' | 'elapsed';
}

export interface Task {
  readonly id: string;
  readonly title: string;
  readonly phaseId?: string;
  /** User ids of the people doing the work (free-form, not checked against resources). */
  readonly assignees: readonly string[];
  /** Earliest allowed start; absent means "as soon as the dependencies allow". */
  readonly start?: IsoDate;
  readonly durationDays: number;
  readonly dependsOn: readonly Dependency[];
  readonly status: WorkStatus;
  /** 0–100. */
  readonly percentComplete: number;
  /** Planned cost: the task's budget at completion for earned value. */
  readonly cost: number;
  readonly resourceIds: readonly string[];
  /** ASAP when absent. */
  readonly constraint?: ScheduleConstraint;
  /** First day worked. */
  readonly actualStart?: IsoDate;
  /** Last day worked. */
  readonly actualFinish?: IsoDate;
  /** 0–1000 like MS Project (500 when absent): leveling delays lower priorities first. */
  readonly priority?: number;
}

export interface Milestone {
  readonly id: string;
  readonly title: string;
  readonly phaseId?: string;
  readonly dependsOn: readonly Dependency[];
  /** Target date; absent means "when its dependencies are done". */
  readonly date?: IsoDate;
  readonly status: WorkStatus;
  /** Who signs the milestone off; kept so a milestone imported from a task loses nothing. */
  readonly assignees: readonly string[];
}

export interface Risk {
  readonly id: string;
  readonly title: string;
  readonly category: string;
  /** 1–5. */
  readonly probability: number;
  /** 1–5. */
  readonly impact: number;
  readonly owner: string;
  readonly response: RiskResponse;
  readonly mitigation: string;
  readonly status: RiskStatus;
  readonly reviewDate?: IsoDate;
  /** Tasks or milestones the risk threatens. */
  readonly linkedTaskIds: readonly string[];
}

export interface Resource {
  readonly id: string;
  readonly name: string;
  readonly kind: ResourceKind;
  /** People and equipment; a budget resource has none. */
  readonly capacityHoursPerDay?: number;
  readonly costRatePerDay?: number;
  /** Budget resources only: the amount available, in the plan currency. */
  readonly amount?: number;
  /** Days away; only people and equipment have one. */
  readonly calendar?: ResourceCalendar;
  /** How many tasks it can work on at once (1 when absent); leveling keeps within it. */
  readonly maxUnits?: number;
}

export interface Stakeholder {
  readonly id: string;
  readonly name: string;
  readonly role: string;
  /** 1–5 (power/interest grid). */
  readonly influence: number;
  /** 1–5. */
  readonly interest: number;
  readonly channel: string;
  readonly cadence: StakeholderCadence;
}

export interface Objective {
  readonly id: string;
  readonly title: string;
  readonly kpi: string;
  readonly unit: string;
  readonly baseline?: number;
  readonly target: number;
  readonly current?: number;
  readonly due?: IsoDate;
  readonly linkedTaskIds: readonly string[];
}

/** Collections sorted by id (phases by `order`, then id), so equal documents give equal JSON. */
export interface PlanJson {
  readonly meta: PlanMeta;
  readonly phases: readonly Phase[];
  readonly tasks: readonly Task[];
  readonly milestones: readonly Milestone[];
  readonly risks: readonly Risk[];
  readonly resources: readonly Resource[];
  readonly stakeholders: readonly Stakeholder[];
  readonly objectives: readonly Objective[];
}

/** Top-level Y.Map names on the plan's Y.Doc besides `meta`, in the order output lists them. */
export const COLLECTIONS = [
  'phases',
  'tasks',
  'milestones',
  'risks',
  'resources',
  'stakeholders',
  'objectives',
] as const;
export type CollectionName = (typeof COLLECTIONS)[number];

export interface EntityByCollection {
  readonly phases: Phase;
  readonly tasks: Task;
  readonly milestones: Milestone;
  readonly risks: Risk;
  readonly resources: Resource;
  readonly stakeholders: Stakeholder;
  readonly objectives: Objective;
}

export type EntityType =
  'plan' | 'phase' | 'task' | 'milestone' | 'risk' | 'resource' | 'stakeholder' | 'objective';

export const ENTITY_TYPE_OF: { readonly [C in CollectionName]: EntityType } = {
  phases: 'phase',
  tasks: 'task',
  milestones: 'milestone',
  risks: 'risk',
  resources: 'resource',
  stakeholders: 'stakeholder',
  objectives: 'objective',
};

/**
 * Names one entity. The plan itself is `{type: 'plan', id: 'meta'}`: the plan id lives in the
 * event stream name, not in the document, so the domain cannot know it.
 */
export interface EntityRef {
  readonly type: EntityType;
  readonly id: string;
}

export const PLAN_META_REF: EntityRef = { type: 'plan', id: 'meta' };
