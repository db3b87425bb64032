/**
 * Semantic plan changes: past-tense facts that `diffPlans` derives from two plan states, for the
 * change log, the live feed and auditors. Plain readonly data (no prose: `describeChange` renders
 * it); an absent value is `null`, so a change survives a JSON round trip unchanged.
 */
import type {
  Dependency,
  IsoDate,
  Milestone,
  Objective,
  Phase,
  PlanStatus,
  Resource,
  Risk,
  RiskResponse,
  RiskStatus,
  Stakeholder,
  Task,
  WorkStatus,
} from '../plan-json';

interface Ref<T extends string> {
  readonly type: T;
  readonly id: string;
}

/** Every change names the entity it is about; `{type: 'plan', id: 'meta'}` for the plan itself. */
interface About<Type extends string, Entity extends string> {
  readonly type: Type;
  readonly entity: Ref<Entity>;
}

interface FromTo<V> {
  readonly from: V;
  readonly to: V;
}

export interface FieldChange {
  readonly field: string;
  readonly from: unknown;
  readonly to: unknown;
}

type WorkItem = 'task' | 'milestone';

export type PlanRenamed = About<'PlanRenamed', 'plan'> & FromTo<string>;
export type PlanDescriptionChanged = About<'PlanDescriptionChanged', 'plan'> & FromTo<string>;
export type PlanStatusChanged = About<'PlanStatusChanged', 'plan'> & FromTo<PlanStatus>;
export type PlanOwnerChanged = About<'PlanOwnerChanged', 'plan'> & FromTo<string>;
export type PlanCurrencyChanged = About<'PlanCurrencyChanged', 'plan'> & FromTo<string>;
export type BudgetChanged = About<'BudgetChanged', 'plan'> &
  FromTo<number> & { readonly currency: string };
export type PlanStartChanged = About<'PlanStartChanged', 'plan'> & FromTo<IsoDate | null>;
export type PlanCalendarChanged = About<'PlanCalendarChanged', 'plan'> & FromTo<string | null>;

export type PhaseAdded = About<'PhaseAdded', 'phase'> & { readonly phase: Phase };
export type PhaseRemoved = About<'PhaseRemoved', 'phase'> & { readonly phase: Phase };
export type PhaseRenamed = About<'PhaseRenamed', 'phase'> & FromTo<string>;
export type PhaseReordered = About<'PhaseReordered', 'phase'> & FromTo<number>;

export type TaskAdded = About<'TaskAdded', 'task'> & { readonly task: Task };
export type TaskRemoved = About<'TaskRemoved', 'task'> & { readonly task: Task };
export type TaskRenamed = About<'TaskRenamed', 'task'> & FromTo<string>;
/** The task changed phase; `null` is "no phase". */
export type TaskMoved = About<'TaskMoved', 'task'> & FromTo<string | null>;
export interface TaskWindow {
  readonly start: IsoDate | null;
  readonly durationDays: number;
}
export type TaskRescheduled = About<'TaskRescheduled', 'task'> & FromTo<TaskWindow>;
export type TaskStatusChanged = About<'TaskStatusChanged', 'task'> & FromTo<WorkStatus>;
export type TaskProgressed = About<'TaskProgressed', 'task'> & FromTo<number>;
export type TaskCostChanged = About<'TaskCostChanged', 'task'> & FromTo<number>;
export type ResourceAssigned = About<'ResourceAssigned', 'task'> & { readonly resourceId: string };
export type ResourceUnassigned = About<'ResourceUnassigned', 'task'> & {
  readonly resourceId: string;
};

export type AssigneeAdded = About<'AssigneeAdded', WorkItem> & { readonly assignee: string };
export type AssigneeRemoved = About<'AssigneeRemoved', WorkItem> & { readonly assignee: string };
/** `taskId` is the successor (the entity), `dependsOn` the link it gained. */
export type DependencyAdded = About<'DependencyAdded', WorkItem> & {
  readonly taskId: string;
  readonly dependsOn: Dependency;
};
export type DependencyRemoved = About<'DependencyRemoved', WorkItem> & {
  readonly taskId: string;
  readonly dependsOn: Dependency;
};
/** Same predecessor, different type or lag. */
export type DependencyChanged = About<'DependencyChanged', WorkItem> & {
  readonly taskId: string;
} & FromTo<Dependency>;

export type MilestoneAdded = About<'MilestoneAdded', 'milestone'> & {
  readonly milestone: Milestone;
};
export type MilestoneRemoved = About<'MilestoneRemoved', 'milestone'> & {
  readonly milestone: Milestone;
};
export type MilestoneRenamed = About<'MilestoneRenamed', 'milestone'> & FromTo<string>;
/** The milestone's date moved (its phase changing is MilestonePhaseChanged). */
export type MilestoneMoved = About<'MilestoneMoved', 'milestone'> & FromTo<IsoDate | null>;
export type MilestonePhaseChanged = About<'MilestonePhaseChanged', 'milestone'> &
  FromTo<string | null>;
export type MilestoneStatusChanged = About<'MilestoneStatusChanged', 'milestone'> &
  FromTo<WorkStatus>;

export type RiskAdded = About<'RiskAdded', 'risk'> & { readonly risk: Risk };
export type RiskRemoved = About<'RiskRemoved', 'risk'> & { readonly risk: Risk };
export type RiskRenamed = About<'RiskRenamed', 'risk'> & FromTo<string>;
export interface RiskScore {
  readonly probability: number;
  readonly impact: number;
  /** probability × impact, the risk register's score. */
  readonly score: number;
}
export type RiskScoreChanged = About<'RiskScoreChanged', 'risk'> & FromTo<RiskScore>;
export interface RiskTreatment {
  readonly response: RiskResponse;
  readonly mitigation: string;
}
export type RiskMitigationChanged = About<'RiskMitigationChanged', 'risk'> & FromTo<RiskTreatment>;
export type RiskStatusChanged = About<'RiskStatusChanged', 'risk'> & FromTo<RiskStatus>;
export type RiskOwnerChanged = About<'RiskOwnerChanged', 'risk'> & FromTo<string>;
export type RiskCategoryChanged = About<'RiskCategoryChanged', 'risk'> & FromTo<string>;
export type RiskReviewRescheduled = About<'RiskReviewRescheduled', 'risk'> & FromTo<IsoDate | null>;
export type RiskTaskLinked = About<'RiskTaskLinked', 'risk'> & { readonly taskId: string };
export type RiskTaskUnlinked = About<'RiskTaskUnlinked', 'risk'> & { readonly taskId: string };

export type ResourceAdded = About<'ResourceAdded', 'resource'> & { readonly resource: Resource };
export type ResourceRemoved = About<'ResourceRemoved', 'resource'> & {
  readonly resource: Resource;
};
export type ResourceChanged = About<'ResourceChanged', 'resource'> & {
  readonly fields: readonly FieldChange[];
};

export type StakeholderAdded = About<'StakeholderAdded', 'stakeholder'> & {
  readonly stakeholder: Stakeholder;
};
export type StakeholderRemoved = About<'StakeholderRemoved', 'stakeholder'> & {
  readonly stakeholder: Stakeholder;
};
export type StakeholderChanged = About<'StakeholderChanged', 'stakeholder'> & {
  readonly fields: readonly FieldChange[];
};

export type ObjectiveAdded = About<'ObjectiveAdded', 'objective'> & {
  readonly objective: Objective;
};
export type ObjectiveRemoved = About<'ObjectiveRemoved', 'objective'> & {
  readonly objective: Objective;
};
export type ObjectiveTargetChanged = About<'ObjectiveTargetChanged', 'objective'> & FromTo<number>;
/** The KPI's measured value moved. */
export type KpiCurrentChanged = About<'KpiCurrentChanged', 'objective'> & FromTo<number | null>;
/** Title, KPI definition, unit, baseline, due date or linked tasks. */
export type ObjectiveChanged = About<'ObjectiveChanged', 'objective'> & {
  readonly fields: readonly FieldChange[];
};

/**
 * Fields whose change has no more specific name: values that break the schema (written by a
 * client straight into the CRDT) or only reordered lists. It keeps the diff complete: two plans
 * with no changes between them are equal.
 */
export type FieldsChanged = About<
  'FieldsChanged',
  'plan' | 'phase' | 'task' | 'milestone' | 'risk'
> & {
  readonly fields: readonly FieldChange[];
};

export type PlanChange =
  | PlanRenamed
  | PlanDescriptionChanged
  | PlanStatusChanged
  | PlanOwnerChanged
  | PlanCurrencyChanged
  | BudgetChanged
  | PlanStartChanged
  | PlanCalendarChanged
  | PhaseAdded
  | PhaseRemoved
  | PhaseRenamed
  | PhaseReordered
  | TaskAdded
  | TaskRemoved
  | TaskRenamed
  | TaskMoved
  | TaskRescheduled
  | TaskStatusChanged
  | TaskProgressed
  | TaskCostChanged
  | ResourceAssigned
  | ResourceUnassigned
  | AssigneeAdded
  | AssigneeRemoved
  | DependencyAdded
  | DependencyRemoved
  | DependencyChanged
  | MilestoneAdded
  | MilestoneRemoved
  | MilestoneRenamed
  | MilestoneMoved
  | MilestonePhaseChanged
  | MilestoneStatusChanged
  | RiskAdded
  | RiskRemoved
  | RiskRenamed
  | RiskScoreChanged
  | RiskMitigationChanged
  | RiskStatusChanged
  | RiskOwnerChanged
  | RiskCategoryChanged
  | RiskReviewRescheduled
  | RiskTaskLinked
  | RiskTaskUnlinked
  | ResourceAdded
  | ResourceRemoved
  | ResourceChanged
  | StakeholderAdded
  | StakeholderRemoved
  | StakeholderChanged
  | ObjectiveAdded
  | ObjectiveRemoved
  | ObjectiveTargetChanged
  | KpiCurrentChanged
  | ObjectiveChanged
  | FieldsChanged;

export type PlanChangeType = PlanChange['type'];
