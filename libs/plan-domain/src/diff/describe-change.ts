/**
 * One line of English per change, for logs and the CLI. Read models and the feed carry the
 * structured change; this text is for people and may be reworded at any time.
 */
import type { Dependency } from '../plan-json';
import { riskScore } from '../risk';
import type { FieldChange, PlanChange, TaskWindow } from './plan-change';

export function describeChange(change: PlanChange): string {
  const who = `${change.entity.type} ${change.entity.id}`;
  switch (change.type) {
    case 'PlanRenamed':
      return `plan renamed from ${quote(change.from)} to ${quote(change.to)}`;
    case 'PlanDescriptionChanged':
      return 'plan description changed';
    case 'PlanStatusChanged':
      return `plan status changed from ${change.from} to ${change.to}`;
    case 'PlanOwnerChanged':
      return `plan owner changed from ${orNone(change.from)} to ${orNone(change.to)}`;
    case 'PlanCurrencyChanged':
      return `plan currency changed from ${orNone(change.from)} to ${orNone(change.to)}`;
    case 'BudgetChanged':
      return `budget changed from ${money(change.from, change.currency)} to ${money(change.to, change.currency)}`;
    case 'PlanStartChanged':
      return `plan start moved from ${orNone(change.from)} to ${orNone(change.to)}`;
    case 'PlanCalendarChanged':
      return `plan calendar changed from ${orNone(change.from)} to ${orNone(change.to)}`;
    case 'PhaseAdded':
      return `${who} added: ${quote(change.phase.title)}`;
    case 'PhaseRemoved':
      return `${who} removed: ${quote(change.phase.title)}`;
    case 'PhaseRenamed':
    case 'TaskRenamed':
    case 'MilestoneRenamed':
    case 'RiskRenamed':
      return `${who} renamed from ${quote(change.from)} to ${quote(change.to)}`;
    case 'PhaseReordered':
      return `${who} moved from position ${change.from} to ${change.to}`;
    case 'TaskAdded':
      return `${who} added: ${quote(change.task.title)}, ${change.task.durationDays} days`;
    case 'TaskRemoved':
      return `${who} removed: ${quote(change.task.title)}`;
    case 'TaskMoved':
    case 'MilestonePhaseChanged':
      return `${who} moved from phase ${orNone(change.from)} to ${orNone(change.to)}`;
    case 'TaskRescheduled':
      return `${who} rescheduled from ${window(change.from)} to ${window(change.to)}`;
    case 'TaskStatusChanged':
    case 'MilestoneStatusChanged':
    case 'RiskStatusChanged':
      return `${who} status changed from ${change.from} to ${change.to}`;
    case 'TaskProgressed':
      return `${who} progressed from ${change.from}% to ${change.to}%`;
    case 'TaskCostChanged':
      return `${who} cost changed from ${change.from} to ${change.to}`;
    case 'ResourceAssigned':
      return `resource ${change.resourceId} assigned to ${who}`;
    case 'ResourceUnassigned':
      return `resource ${change.resourceId} unassigned from ${who}`;
    case 'AssigneeAdded':
      return `${change.assignee} assigned to ${who}`;
    case 'AssigneeRemoved':
      return `${change.assignee} unassigned from ${who}`;
    case 'DependencyAdded':
      return `${who} now depends on ${link(change.dependsOn)}`;
    case 'DependencyRemoved':
      return `${who} no longer depends on ${change.dependsOn.taskId}`;
    case 'DependencyChanged':
      return `${who} dependency on ${change.to.taskId} changed from ${link(change.from)} to ${link(change.to)}`;
    case 'MilestoneAdded':
      return `${who} added: ${quote(change.milestone.title)}`;
    case 'MilestoneRemoved':
      return `${who} removed: ${quote(change.milestone.title)}`;
    case 'MilestoneMoved':
      return `${who} moved from ${orNone(change.from)} to ${orNone(change.to)}`;
    case 'RiskAdded':
      return `${who} added: ${quote(change.risk.title)}, score ${riskScore(change.risk)}`;
    case 'RiskRemoved':
      return `${who} removed: ${quote(change.risk.title)}`;
    case 'RiskScoreChanged':
      return `${who} score changed from ${change.from.score} (P${change.from.probability}×I${change.from.impact}) to ${change.to.score} (P${change.to.probability}×I${change.to.impact})`;
    case 'RiskMitigationChanged':
      return `${who} response changed from ${change.from.response} to ${change.to.response}${
        change.from.mitigation === change.to.mitigation
          ? ''
          : `, mitigation ${quote(change.to.mitigation)}`
      }`;
    case 'RiskOwnerChanged':
      return `${who} owner changed from ${orNone(change.from)} to ${orNone(change.to)}`;
    case 'RiskCategoryChanged':
      return `${who} category changed from ${orNone(change.from)} to ${orNone(change.to)}`;
    case 'RiskReviewRescheduled':
      return `${who} review moved from ${orNone(change.from)} to ${orNone(change.to)}`;
    case 'RiskTaskLinked':
      return `${who} linked to ${change.taskId}`;
    case 'RiskTaskUnlinked':
      return `${who} unlinked from ${change.taskId}`;
    case 'ResourceAdded':
      return `${who} added: ${quote(change.resource.name)} (${change.resource.kind})`;
    case 'ResourceRemoved':
      return `${who} removed: ${quote(change.resource.name)}`;
    case 'StakeholderAdded':
      return `${who} added: ${quote(change.stakeholder.name)}`;
    case 'StakeholderRemoved':
      return `${who} removed: ${quote(change.stakeholder.name)}`;
    case 'ObjectiveAdded':
      return `${who} added: ${quote(change.objective.title)}`;
    case 'ObjectiveRemoved':
      return `${who} removed: ${quote(change.objective.title)}`;
    case 'ObjectiveTargetChanged':
      return `${who} target changed from ${change.from} to ${change.to}`;
    case 'KpiCurrentChanged':
      return `${who} KPI moved from ${orNone(change.from)} to ${orNone(change.to)}`;
    case 'ResourceChanged':
    case 'StakeholderChanged':
    case 'ObjectiveChanged':
    case 'FieldsChanged':
      return `${who} changed: ${change.fields.map(field).join(', ')}`;
    default:
      return assertNever(change);
  }
}

function quote(text: unknown): string {
  return JSON.stringify(text) ?? String(text);
}

function orNone(value: string | number | null): string {
  return value === null || value === '' ? '(none)' : String(value);
}

function money(amount: number, currency: string): string {
  return currency === '' ? String(amount) : `${amount} ${currency}`;
}

function window(schedule: TaskWindow): string {
  return `${schedule.start ?? 'as soon as possible'} for ${schedule.durationDays} days`;
}

function link(dependency: Dependency): string {
  const lag =
    dependency.lagDays === 0 ? '' : ` ${dependency.lagDays > 0 ? '+' : ''}${dependency.lagDays}d`;
  return `${dependency.taskId} (${dependency.type}${lag})`;
}

function field(change: FieldChange): string {
  // JSON.stringify throws on bigint, which a Yjs client can store; a log line must not throw.
  const show = (value: unknown): string =>
    JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) ??
    String(value);
  return `${change.field} ${show(change.from)} → ${show(change.to)}`;
}

function assertNever(change: never): never {
  throw new Error(`unhandled plan change ${JSON.stringify(change)}`);
}
