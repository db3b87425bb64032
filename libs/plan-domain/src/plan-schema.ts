/**
 * Field rules of every plan entity: which fields exist, what values they accept, which are
 * required and which read as a default when absent. Reading (`toJSON`), validation and input
 * checks all walk these tables, so a field added to a type without a rule fails to compile.
 */
import { CALENDAR_MODES } from './scheduling/work-calendar';
import {
  PLAN_STATUSES,
  RESOURCE_KINDS,
  RISK_RESPONSES,
  RISK_STATUSES,
  STAKEHOLDER_CADENCES,
  WORK_STATUSES,
  type CollectionName,
  type Dependency,
  type EntityByCollection,
  type Milestone,
  type Objective,
  type Phase,
  type PlanMeta,
  type Resource,
  type Risk,
  type Stakeholder,
  type Task,
} from './plan-json';

/** What a reference field may point at; tasks and milestones share the "work item" id space. */
export type ReferenceTarget = 'phases' | 'resources' | 'work-items';

export interface TextRule {
  readonly kind: 'text';
}
export interface DateRule {
  readonly kind: 'date';
}
export interface EnumRule {
  readonly kind: 'enum';
  readonly values: readonly string[];
}
export interface ReferenceRule {
  readonly kind: 'reference';
  readonly to: ReferenceTarget;
}
export interface NumberRule {
  readonly kind: 'number';
  readonly min?: number;
  readonly max?: number;
  readonly integer?: boolean;
}
export interface IdListRule {
  readonly kind: 'id-list';
  /** Absent for free-form ids (assignees are user ids the plan does not own). */
  readonly to?: ReferenceTarget;
}
export interface DependenciesRule {
  readonly kind: 'dependencies';
}
/** A small JSON object stored as one value (edited as a whole, like a list). */
export interface StructRule {
  readonly kind: 'struct';
  readonly shape: 'calendar' | 'resource-calendar' | 'constraint';
}

export type FieldRule =
  | TextRule
  | DateRule
  | EnumRule
  | ReferenceRule
  | NumberRule
  | IdListRule
  | DependenciesRule
  | StructRule;

/** The rule kinds that can describe a value of type V, so a table cannot mismatch its type. */
type RuleFor<V> = [NonNullable<V>] extends [number]
  ? NumberRule
  : [NonNullable<V>] extends [readonly Dependency[]]
    ? DependenciesRule
    : [NonNullable<V>] extends [readonly string[]]
      ? IdListRule
      : [NonNullable<V>] extends [string]
        ? TextRule | DateRule | EnumRule | ReferenceRule
        : [NonNullable<V>] extends [object]
          ? StructRule
          : never;

/**
 * `defaulted` fields read as `default` when absent; that is a reading convention, the document
 * is never written to fill them in.
 */
export type Presence<V> =
  | { readonly presence: 'required' }
  | { readonly presence: 'optional' }
  | { readonly presence: 'defaulted'; readonly default: V };

export type FieldSpec<V> = RuleFor<V> & Presence<V>;

export type EntitySchema<T> = {
  readonly [K in keyof T as K extends 'id' ? never : K]-?: FieldSpec<T[K]>;
};

/** Loosely typed view of a schema for code that walks any entity's fields. */
export type AnyFieldSpec = FieldRule & Presence<unknown>;
export type AnySchema = Readonly<Record<string, AnyFieldSpec>>;

const text = { kind: 'text' } as const;
const date = { kind: 'date' } as const;
const emptyText = { ...text, presence: 'defaulted', default: '' } as const;
const noIds = { presence: 'defaulted', default: [] } as const;
const oneToFive = { kind: 'number', min: 1, max: 5, integer: true } as const;
const nonNegative = { kind: 'number', min: 0 } as const;

export const META_SCHEMA: EntitySchema<PlanMeta> = {
  title: { ...text, presence: 'required' },
  description: emptyText,
  status: { kind: 'enum', values: PLAN_STATUSES, presence: 'defaulted', default: 'draft' },
  owner: emptyText,
  currency: emptyText,
  budget: { ...nonNegative, presence: 'defaulted', default: 0 },
  start: { ...date, presence: 'optional' },
  calendar: { kind: 'struct', shape: 'calendar', presence: 'optional' },
  // absent means a plan from before calendars: it keeps counting calendar days
  calendarMode: { kind: 'enum', values: CALENDAR_MODES, presence: 'optional' },
  statusDate: { ...date, presence: 'optional' },
};

export const PHASE_SCHEMA: EntitySchema<Phase> = {
  title: { ...text, presence: 'required' },
  // addPhase puts a phase without an order last; one a client wrote without it sorts first.
  order: { kind: 'number', presence: 'defaulted', default: 0 },
};

export const TASK_SCHEMA: EntitySchema<Task> = {
  title: { ...text, presence: 'required' },
  phaseId: { kind: 'reference', to: 'phases', presence: 'optional' },
  assignees: { kind: 'id-list', ...noIds },
  start: { ...date, presence: 'optional' },
  durationDays: { kind: 'number', min: 0, integer: true, presence: 'required' },
  dependsOn: { kind: 'dependencies', ...noIds },
  status: { kind: 'enum', values: WORK_STATUSES, presence: 'defaulted', default: 'not-started' },
  percentComplete: { kind: 'number', min: 0, max: 100, presence: 'defaulted', default: 0 },
  cost: { ...nonNegative, presence: 'defaulted', default: 0 },
  resourceIds: { kind: 'id-list', to: 'resources', ...noIds },
  constraint: { kind: 'struct', shape: 'constraint', presence: 'optional' },
  actualStart: { ...date, presence: 'optional' },
  actualFinish: { ...date, presence: 'optional' },
  priority: { kind: 'number', min: 0, max: 1000, presence: 'optional' },
};

export const MILESTONE_SCHEMA: EntitySchema<Milestone> = {
  title: { ...text, presence: 'required' },
  phaseId: { kind: 'reference', to: 'phases', presence: 'optional' },
  dependsOn: { kind: 'dependencies', ...noIds },
  date: { ...date, presence: 'optional' },
  status: { kind: 'enum', values: WORK_STATUSES, presence: 'defaulted', default: 'not-started' },
  assignees: { kind: 'id-list', ...noIds },
};

export const RISK_SCHEMA: EntitySchema<Risk> = {
  title: { ...text, presence: 'required' },
  category: emptyText,
  probability: { ...oneToFive, presence: 'required' },
  impact: { ...oneToFive, presence: 'required' },
  owner: emptyText,
  // A risk nobody has planned a response for is, in effect, accepted.
  response: { kind: 'enum', values: RISK_RESPONSES, presence: 'defaulted', default: 'accept' },
  mitigation: emptyText,
  status: { kind: 'enum', values: RISK_STATUSES, presence: 'defaulted', default: 'open' },
  reviewDate: { ...date, presence: 'optional' },
  linkedTaskIds: { kind: 'id-list', to: 'work-items', ...noIds },
};

export const RESOURCE_SCHEMA: EntitySchema<Resource> = {
  name: { ...text, presence: 'required' },
  kind: { kind: 'enum', values: RESOURCE_KINDS, presence: 'required' },
  capacityHoursPerDay: { kind: 'number', min: 0, max: 24 * 365, presence: 'optional' },
  costRatePerDay: { ...nonNegative, presence: 'optional' },
  amount: { ...nonNegative, presence: 'optional' },
  calendar: { kind: 'struct', shape: 'resource-calendar', presence: 'optional' },
  maxUnits: { ...nonNegative, presence: 'optional' },
};

export const STAKEHOLDER_SCHEMA: EntitySchema<Stakeholder> = {
  name: { ...text, presence: 'required' },
  role: emptyText,
  influence: { ...oneToFive, presence: 'required' },
  interest: { ...oneToFive, presence: 'required' },
  channel: emptyText,
  cadence: {
    kind: 'enum',
    values: STAKEHOLDER_CADENCES,
    presence: 'defaulted',
    default: 'monthly',
  },
};

export const OBJECTIVE_SCHEMA: EntitySchema<Objective> = {
  title: { ...text, presence: 'required' },
  kpi: emptyText,
  unit: emptyText,
  baseline: { kind: 'number', presence: 'optional' },
  target: { kind: 'number', presence: 'required' },
  current: { kind: 'number', presence: 'optional' },
  due: { ...date, presence: 'optional' },
  linkedTaskIds: { kind: 'id-list', to: 'work-items', ...noIds },
};

export const COLLECTION_SCHEMAS: {
  readonly [C in CollectionName]: EntitySchema<EntityByCollection[C]>;
} = {
  phases: PHASE_SCHEMA,
  tasks: TASK_SCHEMA,
  milestones: MILESTONE_SCHEMA,
  risks: RISK_SCHEMA,
  resources: RESOURCE_SCHEMA,
  stakeholders: STAKEHOLDER_SCHEMA,
  objectives: OBJECTIVE_SCHEMA,
};

export function schemaOf(collection: CollectionName | 'meta'): AnySchema {
  // The typed tables are narrower than AnySchema only in their `default` values, which the
  // walkers treat as opaque JSON.
  return (collection === 'meta'
    ? META_SCHEMA
    : COLLECTION_SCHEMAS[collection]) as unknown as AnySchema;
}
