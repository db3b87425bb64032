/**
 * Tasks and milestones as the rows of one table: ordered by phase, then by scheduled start,
 * and numbered so dependencies can be written the way planning tools do — `3`, `3FS+2`,
 * `5SS-1` name row 3 or 5 with a link type and a lag in days.
 */
import {
  DEPENDENCY_TYPES,
  type Dependency,
  type DependencyType,
  type PlanJson,
  type WorkStatus,
} from '@lib/plan-domain';
import type { TimelineView } from '../timeline/timeline-view';

export interface WorkItemRow {
  readonly id: string;
  readonly kind: 'task' | 'milestone';
  readonly number: number;
  readonly title: string;
  readonly phaseId?: string;
  readonly assignees: readonly string[];
  /** a task's "not before" start, or a milestone's date */
  readonly start?: string;
  readonly durationDays: number;
  readonly dependsOn: readonly Dependency[];
  readonly percentComplete: number;
  readonly status: WorkStatus;
  readonly scheduledStart?: string;
  readonly scheduledFinish?: string;
  readonly critical: boolean;
  readonly totalFloat?: number;
}

export function workItemRows(plan: PlanJson, timeline: TimelineView | undefined): WorkItemRow[] {
  const bars = new Map(timeline?.bars.map((b) => [b.id, b]) ?? []);
  const phaseOrder = new Map(plan.phases.map((p, i) => [p.id, i]));
  const items = [
    ...plan.tasks.map((t) => ({
      id: t.id,
      kind: 'task' as const,
      title: t.title,
      phaseId: t.phaseId,
      assignees: Array.isArray(t.assignees) ? t.assignees : [],
      start: t.start,
      durationDays: t.durationDays,
      dependsOn: Array.isArray(t.dependsOn) ? t.dependsOn : [],
      percentComplete: t.percentComplete,
      status: t.status,
    })),
    ...plan.milestones.map((m) => ({
      id: m.id,
      kind: 'milestone' as const,
      title: m.title,
      phaseId: m.phaseId,
      assignees: Array.isArray(m.assignees) ? m.assignees : [],
      start: m.date,
      durationDays: 0,
      dependsOn: Array.isArray(m.dependsOn) ? m.dependsOn : [],
      percentComplete: m.status === 'done' ? 100 : 0,
      status: m.status,
    })),
  ];
  const rank = (phaseId: string | undefined): number =>
    phaseId === undefined
      ? Number.MAX_SAFE_INTEGER
      : (phaseOrder.get(phaseId) ?? Number.MAX_SAFE_INTEGER - 1);
  items.sort(
    (a, b) =>
      rank(a.phaseId) - rank(b.phaseId) ||
      (bars.get(a.id)?.es ?? Infinity) - (bars.get(b.id)?.es ?? Infinity) ||
      Number(a.kind === 'milestone') - Number(b.kind === 'milestone') ||
      a.title.localeCompare(b.title) ||
      a.id.localeCompare(b.id),
  );
  return items.map((item, index) => {
    const bar = bars.get(item.id);
    return {
      ...item,
      number: index + 1,
      scheduledStart: bar?.start,
      scheduledFinish: bar?.finish,
      critical: bar?.critical ?? false,
      totalFloat: bar?.totalFloat,
    };
  });
}

export function formatDependencies(
  dependsOn: readonly Dependency[],
  rows: readonly WorkItemRow[],
): string {
  const numbers = new Map(rows.map((r) => [r.id, r.number]));
  return dependsOn
    .map((d) => {
      const ref = numbers.has(d.taskId) ? String(numbers.get(d.taskId)) : `?${d.taskId}`;
      const lag = d.lagDays === 0 ? '' : d.lagDays > 0 ? `+${d.lagDays}` : String(d.lagDays);
      return d.type === 'FS' && lag === '' ? ref : `${ref}${d.type}${lag}`;
    })
    .join(', ');
}

const DEPENDENCY_PATTERN = /^(\?\S+?|\d+)\s*(FS|SS|FF|SF)?\s*([+-]\s*\d+)?\s*d?$/i;

/** Parses `3, 4SS+2, 7FF-1` against the row numbers; throws naming the part it cannot read. */
export function parseDependencies(
  text: string,
  rows: readonly WorkItemRow[],
  selfId: string,
): Dependency[] {
  const byNumber = new Map(rows.map((r) => [r.number, r.id]));
  const parts = text
    .split(/[,;]/)
    .map((p) => p.trim())
    .filter(Boolean);
  return parts.map((part) => {
    const match = DEPENDENCY_PATTERN.exec(part);
    if (!match)
      throw new Error(`"${part}" is not a dependency: write a row number, e.g. 3 or 3FS+2`);
    const [, ref, type, lag] = match;
    const taskId = ref.startsWith('?') ? ref.slice(1) : byNumber.get(Number(ref));
    if (taskId === undefined) throw new Error(`there is no row ${ref}`);
    if (taskId === selfId) throw new Error('a task cannot depend on itself');
    const linkType = (type?.toUpperCase() ?? 'FS') as DependencyType;
    if (!DEPENDENCY_TYPES.includes(linkType)) throw new Error(`unknown link type ${type}`);
    return { taskId, type: linkType, lagDays: lag ? Number(lag.replace(/\s/g, '')) : 0 };
  });
}
