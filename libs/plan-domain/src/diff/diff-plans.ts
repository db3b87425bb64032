/**
 * Semantic diff of two plan states: what the change log records for each Yjs update.
 *
 * Output order is fixed so every replay produces the same log: meta first, then collections in
 * `COLLECTIONS` order, entities by id, and within one entity the order the code below emits.
 * A field gets a named change only when both its values fit the schema (a TaskRenamed always
 * carries strings); anything else, and a reordered list, lands in FieldsChanged (or the
 * entity's *Changed), so every difference is reported: no changes ⇔ equal plans.
 */
import { copyValue, sameValue } from '../json-value';
import { compareCodeUnits } from '../id-order';
import {
  DEPENDENCY_TYPES,
  PLAN_META_REF,
  PLAN_STATUSES,
  RISK_RESPONSES,
  RISK_STATUSES,
  WORK_STATUSES,
  type Dependency,
  type EntityType,
  type Milestone,
  type Objective,
  type Phase,
  type PlanJson,
  type PlanMeta,
  type Risk,
  type Task,
} from '../plan-json';
import { schemaOf, type AnySchema } from '../plan-schema';
import { riskScore } from '../risk';
import type { FieldChange, PlanChange } from './plan-change';

export function diffPlans(before: PlanJson, after: PlanJson): PlanChange[] {
  return [
    ...diffMeta(before.meta, after.meta),
    ...diffCollection(before.phases, after.phases, {
      added: (phase) => ({
        type: 'PhaseAdded',
        entity: ref('phase', phase.id),
        phase: copyValue(phase),
      }),
      removed: (phase) => ({
        type: 'PhaseRemoved',
        entity: ref('phase', phase.id),
        phase: copyValue(phase),
      }),
      changed: diffPhase,
    }),
    ...diffCollection(before.tasks, after.tasks, {
      added: (task) => ({ type: 'TaskAdded', entity: ref('task', task.id), task: copyValue(task) }),
      removed: (task) => ({
        type: 'TaskRemoved',
        entity: ref('task', task.id),
        task: copyValue(task),
      }),
      changed: diffTask,
    }),
    ...diffCollection(before.milestones, after.milestones, {
      added: (milestone) => ({
        type: 'MilestoneAdded',
        entity: ref('milestone', milestone.id),
        milestone: copyValue(milestone),
      }),
      removed: (milestone) => ({
        type: 'MilestoneRemoved',
        entity: ref('milestone', milestone.id),
        milestone: copyValue(milestone),
      }),
      changed: diffMilestone,
    }),
    ...diffCollection(before.risks, after.risks, {
      added: (risk) => ({ type: 'RiskAdded', entity: ref('risk', risk.id), risk: copyValue(risk) }),
      removed: (risk) => ({
        type: 'RiskRemoved',
        entity: ref('risk', risk.id),
        risk: copyValue(risk),
      }),
      changed: diffRisk,
    }),
    ...diffCollection(before.resources, after.resources, {
      added: (resource) => ({
        type: 'ResourceAdded',
        entity: ref('resource', resource.id),
        resource: copyValue(resource),
      }),
      removed: (resource) => ({
        type: 'ResourceRemoved',
        entity: ref('resource', resource.id),
        resource: copyValue(resource),
      }),
      changed: (b, a) => {
        const fields = new FieldTracker(b, a).unexplained(schemaOf('resources'));
        return fields.length === 0
          ? []
          : [{ type: 'ResourceChanged', entity: ref('resource', a.id), fields }];
      },
    }),
    ...diffCollection(before.stakeholders, after.stakeholders, {
      added: (stakeholder) => ({
        type: 'StakeholderAdded',
        entity: ref('stakeholder', stakeholder.id),
        stakeholder: copyValue(stakeholder),
      }),
      removed: (stakeholder) => ({
        type: 'StakeholderRemoved',
        entity: ref('stakeholder', stakeholder.id),
        stakeholder: copyValue(stakeholder),
      }),
      changed: (b, a) => {
        const fields = new FieldTracker(b, a).unexplained(schemaOf('stakeholders'));
        return fields.length === 0
          ? []
          : [{ type: 'StakeholderChanged', entity: ref('stakeholder', a.id), fields }];
      },
    }),
    ...diffCollection(before.objectives, after.objectives, {
      added: (objective) => ({
        type: 'ObjectiveAdded',
        entity: ref('objective', objective.id),
        objective: copyValue(objective),
      }),
      removed: (objective) => ({
        type: 'ObjectiveRemoved',
        entity: ref('objective', objective.id),
        objective: copyValue(objective),
      }),
      changed: diffObjective,
    }),
  ];
}

interface Lifecycle<T> {
  readonly added: (entity: T) => PlanChange;
  readonly removed: (entity: T) => PlanChange;
  readonly changed: (before: T, after: T) => PlanChange[];
}

function diffCollection<T extends { readonly id: string }>(
  before: readonly T[],
  after: readonly T[],
  lifecycle: Lifecycle<T>,
): PlanChange[] {
  const old = new Map(before.map((entity) => [entity.id, entity]));
  const now = new Map(after.map((entity) => [entity.id, entity]));
  const ids = [...new Set([...old.keys(), ...now.keys()])].sort(compareCodeUnits);
  return ids.flatMap((id) => {
    const b = old.get(id);
    const a = now.get(id);
    if (a === undefined) return [lifecycle.removed(b!)];
    if (b === undefined) return [lifecycle.added(a)];
    return lifecycle.changed(b, a);
  });
}

function diffMeta(before: PlanMeta, after: PlanMeta): PlanChange[] {
  const t = new FieldTracker(before, after);
  const entity = { type: 'plan', id: PLAN_META_REF.id } as const;
  const changes: PlanChange[] = [
    ...t.explain(['title'], () =>
      named(pair(before.title, after.title, isText), (p) => ({
        type: 'PlanRenamed',
        entity,
        ...p,
      })),
    ),
    ...t.explain(['description'], () =>
      named(pair(before.description, after.description, isText), (p) => ({
        type: 'PlanDescriptionChanged',
        entity,
        ...p,
      })),
    ),
    ...t.explain(['status'], () =>
      named(pair(before.status, after.status, isOneOf(PLAN_STATUSES)), (p) => ({
        type: 'PlanStatusChanged',
        entity,
        ...p,
      })),
    ),
    ...t.explain(['owner'], () =>
      named(pair(before.owner, after.owner, isText), (p) => ({
        type: 'PlanOwnerChanged',
        entity,
        ...p,
      })),
    ),
    ...t.explain(['currency'], () =>
      named(pair(before.currency, after.currency, isText), (p) => ({
        type: 'PlanCurrencyChanged',
        entity,
        ...p,
      })),
    ),
    ...t.explain(['budget'], () =>
      named(pair(before.budget, after.budget, isNumber), (p) => ({
        type: 'BudgetChanged',
        entity,
        ...p,
        currency: isText(after.currency) ? after.currency : '',
      })),
    ),
    ...t.explain(['start'], () =>
      named(optionalPair(before.start, after.start, isText), (p) => ({
        type: 'PlanStartChanged',
        entity,
        ...p,
      })),
    ),
    ...t.explain(['calendar'], () =>
      named(optionalPair(before.calendar, after.calendar, isText), (p) => ({
        type: 'PlanCalendarChanged',
        entity,
        ...p,
      })),
    ),
  ];
  return [...changes, ...t.leftovers('plan', PLAN_META_REF.id, schemaOf('meta'))];
}

function diffPhase(before: Phase, after: Phase): PlanChange[] {
  const t = new FieldTracker(before, after);
  const entity = ref('phase', after.id);
  return [
    ...t.explain(['title'], () =>
      named(pair(before.title, after.title, isText), (p) => ({
        type: 'PhaseRenamed',
        entity,
        ...p,
      })),
    ),
    ...t.explain(['order'], () =>
      named(pair(before.order, after.order, isNumber), (p) => ({
        type: 'PhaseReordered',
        entity,
        ...p,
      })),
    ),
    ...t.leftovers('phase', after.id, schemaOf('phases')),
  ];
}

function diffTask(before: Task, after: Task): PlanChange[] {
  const t = new FieldTracker(before, after);
  const entity = ref('task', after.id);
  return [
    ...t.explain(['title'], () =>
      named(pair(before.title, after.title, isText), (p) => ({
        type: 'TaskRenamed',
        entity,
        ...p,
      })),
    ),
    ...t.explain(['phaseId'], () =>
      named(optionalPair(before.phaseId, after.phaseId, isText), (p) => ({
        type: 'TaskMoved',
        entity,
        ...p,
      })),
    ),
    ...t.explain(['start', 'durationDays'], () => {
      const fits = (task: Task): boolean =>
        isOptional(isText)(task.start) && isNumber(task.durationDays);
      if (!fits(before) || !fits(after)) return [];
      const window = (task: Task) => ({
        start: task.start ?? null,
        durationDays: task.durationDays,
      });
      return [{ type: 'TaskRescheduled', entity, from: window(before), to: window(after) }];
    }),
    ...t.explain(['status'], () =>
      named(pair(before.status, after.status, isOneOf(WORK_STATUSES)), (p) => ({
        type: 'TaskStatusChanged',
        entity,
        ...p,
      })),
    ),
    ...t.explain(['percentComplete'], () =>
      named(pair(before.percentComplete, after.percentComplete, isNumber), (p) => ({
        type: 'TaskProgressed',
        entity,
        ...p,
      })),
    ),
    ...t.explain(['cost'], () =>
      named(pair(before.cost, after.cost, isNumber), (p) => ({
        type: 'TaskCostChanged',
        entity,
        ...p,
      })),
    ),
    ...t.explain(['assignees'], () => assigneeChanges(entity, before.assignees, after.assignees)),
    ...t.explain(['resourceIds'], () =>
      listChanges(before.resourceIds, after.resourceIds, {
        added: (resourceId) => ({ type: 'ResourceAssigned', entity, resourceId }),
        removed: (resourceId) => ({ type: 'ResourceUnassigned', entity, resourceId }),
      }),
    ),
    ...t.explain(['dependsOn'], () => dependencyChanges(entity, before.dependsOn, after.dependsOn)),
    ...t.leftovers('task', after.id, schemaOf('tasks')),
  ];
}

function diffMilestone(before: Milestone, after: Milestone): PlanChange[] {
  const t = new FieldTracker(before, after);
  const entity = ref('milestone', after.id);
  return [
    ...t.explain(['title'], () =>
      named(pair(before.title, after.title, isText), (p) => ({
        type: 'MilestoneRenamed',
        entity,
        ...p,
      })),
    ),
    ...t.explain(['phaseId'], () =>
      named(optionalPair(before.phaseId, after.phaseId, isText), (p) => ({
        type: 'MilestonePhaseChanged',
        entity,
        ...p,
      })),
    ),
    ...t.explain(['date'], () =>
      named(optionalPair(before.date, after.date, isText), (p) => ({
        type: 'MilestoneMoved',
        entity,
        ...p,
      })),
    ),
    ...t.explain(['status'], () =>
      named(pair(before.status, after.status, isOneOf(WORK_STATUSES)), (p) => ({
        type: 'MilestoneStatusChanged',
        entity,
        ...p,
      })),
    ),
    ...t.explain(['assignees'], () => assigneeChanges(entity, before.assignees, after.assignees)),
    ...t.explain(['dependsOn'], () => dependencyChanges(entity, before.dependsOn, after.dependsOn)),
    ...t.leftovers('milestone', after.id, schemaOf('milestones')),
  ];
}

function diffRisk(before: Risk, after: Risk): PlanChange[] {
  const t = new FieldTracker(before, after);
  const entity = ref('risk', after.id);
  return [
    ...t.explain(['title'], () =>
      named(pair(before.title, after.title, isText), (p) => ({
        type: 'RiskRenamed',
        entity,
        ...p,
      })),
    ),
    ...t.explain(['probability', 'impact'], () => {
      const fits = (risk: Risk): boolean => isNumber(risk.probability) && isNumber(risk.impact);
      if (!fits(before) || !fits(after)) return [];
      const score = (risk: Risk) => ({
        probability: risk.probability,
        impact: risk.impact,
        score: riskScore(risk),
      });
      return [{ type: 'RiskScoreChanged', entity, from: score(before), to: score(after) }];
    }),
    ...t.explain(['response', 'mitigation'], () => {
      const fits = (risk: Risk): boolean =>
        isOneOf(RISK_RESPONSES)(risk.response) && isText(risk.mitigation);
      if (!fits(before) || !fits(after)) return [];
      const treatment = (risk: Risk) => ({ response: risk.response, mitigation: risk.mitigation });
      return [
        { type: 'RiskMitigationChanged', entity, from: treatment(before), to: treatment(after) },
      ];
    }),
    ...t.explain(['status'], () =>
      named(pair(before.status, after.status, isOneOf(RISK_STATUSES)), (p) => ({
        type: 'RiskStatusChanged',
        entity,
        ...p,
      })),
    ),
    ...t.explain(['owner'], () =>
      named(pair(before.owner, after.owner, isText), (p) => ({
        type: 'RiskOwnerChanged',
        entity,
        ...p,
      })),
    ),
    ...t.explain(['category'], () =>
      named(pair(before.category, after.category, isText), (p) => ({
        type: 'RiskCategoryChanged',
        entity,
        ...p,
      })),
    ),
    ...t.explain(['reviewDate'], () =>
      named(optionalPair(before.reviewDate, after.reviewDate, isText), (p) => ({
        type: 'RiskReviewRescheduled',
        entity,
        ...p,
      })),
    ),
    ...t.explain(['linkedTaskIds'], () =>
      listChanges(before.linkedTaskIds, after.linkedTaskIds, {
        added: (taskId) => ({ type: 'RiskTaskLinked', entity, taskId }),
        removed: (taskId) => ({ type: 'RiskTaskUnlinked', entity, taskId }),
      }),
    ),
    ...t.leftovers('risk', after.id, schemaOf('risks')),
  ];
}

function diffObjective(before: Objective, after: Objective): PlanChange[] {
  const t = new FieldTracker(before, after);
  const entity = ref('objective', after.id);
  const changes: PlanChange[] = [
    ...t.explain(['target'], () =>
      named(pair(before.target, after.target, isNumber), (p) => ({
        type: 'ObjectiveTargetChanged',
        entity,
        ...p,
      })),
    ),
    ...t.explain(['current'], () =>
      named(optionalPair(before.current, after.current, isNumber), (p) => ({
        type: 'KpiCurrentChanged',
        entity,
        ...p,
      })),
    ),
  ];
  const fields = t.unexplained(schemaOf('objectives'));
  return fields.length === 0 ? changes : [...changes, { type: 'ObjectiveChanged', entity, fields }];
}

/** Tracks which changed fields a named change explains; the rest are reported as they are. */
class FieldTracker {
  private readonly explained = new Set<string>();
  private readonly before: Readonly<Record<string, unknown>>;
  private readonly after: Readonly<Record<string, unknown>>;

  constructor(before: object, after: object) {
    this.before = before as Readonly<Record<string, unknown>>;
    this.after = after as Readonly<Record<string, unknown>>;
  }

  /** Runs `describe` when any of `fields` changed; they count as explained if it said something. */
  explain(fields: readonly string[], describe: () => PlanChange[]): PlanChange[] {
    if (fields.every((field) => sameValue(this.before[field], this.after[field]))) return [];
    const changes = describe();
    if (changes.length > 0) for (const field of fields) this.explained.add(field);
    return changes;
  }

  unexplained(schema: AnySchema): FieldChange[] {
    return Object.keys(schema).flatMap((field) =>
      this.explained.has(field) || sameValue(this.before[field], this.after[field])
        ? []
        : [
            {
              field,
              from: copyValue(this.before[field] ?? null),
              to: copyValue(this.after[field] ?? null),
            },
          ],
    );
  }

  leftovers(
    type: 'plan' | 'phase' | 'task' | 'milestone' | 'risk',
    id: string,
    schema: AnySchema,
  ): PlanChange[] {
    const fields = this.unexplained(schema);
    return fields.length === 0 ? [] : [{ type: 'FieldsChanged', entity: { type, id }, fields }];
  }
}

function ref<T extends EntityType>(type: T, id: string): { readonly type: T; readonly id: string } {
  return { type, id };
}

function named<V>(
  values: { from: V; to: V } | undefined,
  change: (values: { from: V; to: V }) => PlanChange,
): PlanChange[] {
  return values === undefined ? [] : [change(values)];
}

function pair<V>(
  from: unknown,
  to: unknown,
  fits: (value: unknown) => value is V,
): { from: V; to: V } | undefined {
  return fits(from) && fits(to) ? { from, to } : undefined;
}

function optionalPair<V>(
  from: unknown,
  to: unknown,
  fits: (value: unknown) => value is V,
): { from: V | null; to: V | null } | undefined {
  const ok = isOptional(fits);
  return ok(from) && ok(to) ? { from: from ?? null, to: to ?? null } : undefined;
}

function isOptional<V>(
  fits: (value: unknown) => value is V,
): (value: unknown) => value is V | undefined {
  return (value): value is V | undefined => value === undefined || fits(value);
}

function isText(value: unknown): value is string {
  return typeof value === 'string';
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number';
}

function isOneOf<V extends string>(values: readonly V[]): (value: unknown) => value is V {
  return (value): value is V =>
    typeof value === 'string' && (values as readonly string[]).includes(value);
}

function isIdList(value: unknown): value is readonly string[] {
  return Array.isArray(value) && value.every(isText);
}

function listChanges(
  before: unknown,
  after: unknown,
  make: { added: (id: string) => PlanChange; removed: (id: string) => PlanChange },
): PlanChange[] {
  if (!isIdList(before) || !isIdList(after)) return [];
  const old = new Set(before);
  const now = new Set(after);
  return [
    ...[...old]
      .filter((id) => !now.has(id))
      .sort(compareCodeUnits)
      .map(make.removed),
    ...[...now]
      .filter((id) => !old.has(id))
      .sort(compareCodeUnits)
      .map(make.added),
  ];
}

function assigneeChanges(
  entity: { readonly type: 'task' | 'milestone'; readonly id: string },
  before: unknown,
  after: unknown,
): PlanChange[] {
  return listChanges(before, after, {
    added: (assignee) => ({ type: 'AssigneeAdded', entity, assignee }),
    removed: (assignee) => ({ type: 'AssigneeRemoved', entity, assignee }),
  });
}

function isDependency(value: unknown): value is Dependency {
  if (typeof value !== 'object' || value === null) return false;
  const { taskId, type, lagDays } = value as Record<string, unknown>;
  return isText(taskId) && isOneOf(DEPENDENCY_TYPES)(type) && isNumber(lagDays);
}

/**
 * Links matched by predecessor: a link to the same predecessor with another type or lag is a
 * DependencyChanged, not a removal plus an addition.
 */
function dependencyChanges(
  entity: { readonly type: 'task' | 'milestone'; readonly id: string },
  before: unknown,
  after: unknown,
): PlanChange[] {
  if (!Array.isArray(before) || !Array.isArray(after)) return [];
  if (!before.every(isDependency) || !after.every(isDependency)) return [];
  const byPredecessor = (links: readonly Dependency[]): Map<string, Dependency[]> => {
    const groups = new Map<string, Dependency[]>();
    for (const link of links) groups.set(link.taskId, [...(groups.get(link.taskId) ?? []), link]);
    return groups;
  };
  const old = byPredecessor(before);
  const now = byPredecessor(after);
  const predecessors = [...new Set([...old.keys(), ...now.keys()])].sort(compareCodeUnits);
  const taskId = entity.id;
  const plain = (link: Dependency): Dependency => ({
    taskId: link.taskId,
    type: link.type,
    lagDays: link.lagDays,
  });
  return predecessors.flatMap((predecessor) => {
    const removed = [...(old.get(predecessor) ?? [])];
    const added: Dependency[] = [];
    for (const link of now.get(predecessor) ?? []) {
      const same = removed.findIndex((old) => sameValue(plain(old), plain(link)));
      if (same === -1) added.push(link);
      else removed.splice(same, 1);
    }
    const changes: PlanChange[] = [];
    const paired = Math.min(removed.length, added.length);
    for (let i = 0; i < paired; i++) {
      changes.push({
        type: 'DependencyChanged',
        entity,
        taskId,
        from: plain(removed[i]),
        to: plain(added[i]),
      });
    }
    for (const link of removed.slice(paired))
      changes.push({ type: 'DependencyRemoved', entity, taskId, dependsOn: plain(link) });
    for (const link of added.slice(paired))
      changes.push({ type: 'DependencyAdded', entity, taskId, dependsOn: plain(link) });
    return changes;
  });
}
