/**
 * What a comment can be about, named the way people read the plan: "Task “Data migration”"
 * rather than `task:t7`. The choices come from the live plan, so new items can be discussed
 * as soon as they exist.
 */
import {
  COLLECTIONS,
  ENTITY_TYPE_OF,
  PLAN_META_REF,
  type EntityRef,
  type PlanJson,
} from '@lib/plan-domain';

export interface TargetOption {
  /** `plan`, or `type:id` as the comments API takes it */
  readonly key: string;
  readonly ref: EntityRef;
  readonly label: string;
}

const TYPE_LABELS: Readonly<Record<string, string>> = {
  phase: 'Phase',
  task: 'Task',
  milestone: 'Milestone',
  risk: 'Risk',
  resource: 'Resource',
  stakeholder: 'Stakeholder',
  objective: 'Objective',
};

export const PLAN_TARGET: TargetOption = {
  key: 'plan',
  ref: PLAN_META_REF,
  label: 'The plan as a whole',
};

export function targetOptions(plan: PlanJson): TargetOption[] {
  const options = [PLAN_TARGET];
  for (const collection of COLLECTIONS) {
    const type = ENTITY_TYPE_OF[collection];
    for (const item of plan[collection] as readonly { id: string; title?: string; name?: string }[])
      options.push({
        key: `${type}:${item.id}`,
        ref: { type, id: item.id },
        label: `${TYPE_LABELS[type] ?? type} “${item.title ?? item.name ?? item.id}”`,
      });
  }
  return options;
}

export function targetLabel(ref: EntityRef, options: readonly TargetOption[]): string {
  if (ref.type === 'plan') return PLAN_TARGET.label;
  return (
    options.find((o) => o.ref.type === ref.type && o.ref.id === ref.id)?.label ??
    `${TYPE_LABELS[ref.type] ?? ref.type} ${ref.id} (removed)`
  );
}
