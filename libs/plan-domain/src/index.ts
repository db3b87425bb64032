/**
 * @lib/plan-domain: the plan document on Yjs (schema, typed commands, import), validation,
 * semantic diff, and (from ./scheduling and ./risk) CPM scheduling and risk scoring.
 * Pure: no Nest, no I/O, no clock or randomness it is not handed.
 *
 * Names are exported explicitly so that where ./scheduling or ./risk declare the same type
 * (`Dependency`, `IsoDate`, `RiskStatus`…), the document schema's declaration is the one seen;
 * the declarations agree, and an explicit export shadows `export *` instead of clashing with it.
 */
export {
  COLLECTIONS,
  DEPENDENCY_TYPES,
  ENTITY_TYPE_OF,
  PLAN_META_REF,
  PLAN_STATUSES,
  RESOURCE_KINDS,
  RISK_RESPONSES,
  RISK_STATUSES,
  STAKEHOLDER_CADENCES,
  WORK_STATUSES,
  type CollectionName,
  type Dependency,
  type DependencyType,
  type EntityByCollection,
  type EntityRef,
  type EntityType,
  type IsoDate,
  type Milestone,
  type Objective,
  type Phase,
  type PlanJson,
  type PlanMeta,
  type PlanStatus,
  type Resource,
  type ResourceKind,
  type Risk,
  type RiskResponse,
  type RiskStatus,
  type Stakeholder,
  type StakeholderCadence,
  type Task,
  type WorkStatus,
} from './plan-json';
export { isIsoDate } from './iso-date';
export { sameValue } from './json-value';
export {
  COLLECTION_SCHEMAS,
  META_SCHEMA,
  type EntitySchema,
  type FieldRule,
  type FieldSpec,
  type ReferenceTarget,
} from './plan-schema';
export { META_MAP, readPlan } from './plan-ydoc';
export {
  PlanDoc,
  type NewEntityByCollection,
  type NewMilestone,
  type NewObjective,
  type NewPhase,
  type NewResource,
  type NewRisk,
  type NewStakeholder,
  type NewTask,
  type Patch,
  type PlanDocOptions,
} from './plan-doc';
export {
  importPlan,
  normalizePlanImport,
  type ImportEntry,
  type PlanFile,
  type PlanImport,
} from './plan-import';
export {
  PlanEntityNotFoundError,
  PlanValidationError,
  isPlanEntityNotFoundError,
  isPlanValidationError,
  type PlanProblem,
  type PlanProblemCode,
} from './validation/plan-problem';
export { validatePlan } from './validation/validate-plan';
export { validateInput, type InputMode } from './validation/validate-input';
export { diffPlans } from './diff/diff-plans';
export { describeChange } from './diff/describe-change';
export type * from './diff/plan-change';
export * from './scheduling';
export * from './risk';
export { PLAN_STREAM_PREFIX, PLAN_UPDATED, planIdOfStream, planStreamId } from './plan-stream';
export * from './comments';
export * from './objectives';
export * from './resources';
export * from './scope';
export * from './communication';
export {
  PLAN_SCHEMA_VERSION,
  SCHEMA_MAP,
  migratePlan,
  planSchemaVersion,
} from './plan-schema-version';
export {
  PLAN_ARCHIVED,
  PLAN_RESTORED,
  PlanArchivedError,
  archivedAfter,
  isPlanArchivedError,
} from './plan-lifecycle';
export { MERGE_PROBLEM_CODES, isMergeProblem, problemsByItem } from './validation/merge-problems';
