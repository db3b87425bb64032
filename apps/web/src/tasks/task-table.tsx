/**
 * The plan's tasks and milestones as an editable table. Every edit is a `PlanDoc` command on
 * the live Y.Doc, so it is a CRDT edit the others see at once and the server stores before it
 * acknowledges; PlanDoc refuses edits that would add problems (unknown phase, a cycle).
 */
import { useMemo } from 'react';
import {
  isMergeProblem,
  problemsByItem,
  validatePlan,
  type PlanDoc,
  type PlanJson,
} from '@lib/plan-domain';
import type { Peer } from '../collab/presence';
import { EditableGrid, type GridCursor } from '../grid/editable-grid';
import {
  parseList,
  parseOptionalDate,
  parseWholeNumber,
  type GridColumn,
} from '../grid/grid-column';
import type { TimelineView } from '../timeline/timeline-view';
import {
  formatDependencies,
  parseDependencies,
  workItemRows,
  type WorkItemRow,
} from './work-items';

interface TaskTableProps {
  readonly plan: PlanJson;
  /** absent when the table shows a past version */
  readonly editor?: PlanDoc;
  readonly timeline: TimelineView | undefined;
  readonly readOnly: boolean;
  readonly peers?: ReadonlyMap<string, readonly Peer[]>;
  readonly onCursor?: (cursor: GridCursor | null) => void;
  readonly label?: string;
}

export function TaskTable({
  plan,
  editor,
  timeline,
  readOnly,
  peers,
  onCursor,
  label,
}: TaskTableProps) {
  const rows = useMemo(() => workItemRows(plan, timeline), [plan, timeline]);
  // what merged edits broke (a cycle, a link to a deleted item), marked on the rows involved
  const problems = useMemo(() => problemsByItem(validatePlan(plan).filter(isMergeProblem)), [plan]);
  const columns = useMemo(
    () => taskColumns(plan, rows, readOnly ? undefined : editor),
    [plan, rows, readOnly, editor],
  );
  return (
    <EditableGrid
      label={label ?? 'Tasks and milestones'}
      rows={rows}
      columns={columns}
      rowLabel={(row) => `${row.kind} ${row.number} ${row.title}`}
      readOnly={readOnly || !editor}
      peers={peers}
      onCursor={onCursor}
      rowHeaderLabel="#"
      rowHeader={(row) => {
        const rowProblems = problems.get(row.id);
        return (
          <span className="row-number" title={row.critical ? 'on the critical path' : undefined}>
            {rowProblems ? (
              <span
                className="row-problem"
                role="img"
                aria-label={rowProblems.map((p) => p.message).join('; ')}
                title={rowProblems.map((p) => p.message).join('\n')}
              >
                ⚠{' '}
              </span>
            ) : null}
            {row.kind === 'milestone' ? '◆ ' : ''}
            {row.number}
          </span>
        );
      }}
      rowProps={(row) => ({
        className: [row.critical ? 'critical-row' : '', problems.has(row.id) ? 'problem-row' : '']
          .filter(Boolean)
          .join(' '),
        'data-critical': String(row.critical),
        'data-kind': row.kind,
        ...(problems.has(row.id)
          ? { 'data-problem': (problems.get(row.id) ?? []).map((p) => p.code).join(' ') }
          : {}),
      })}
      emptyText="No tasks yet."
    />
  );
}

function taskColumns(
  plan: PlanJson,
  rows: readonly WorkItemRow[],
  editor: PlanDoc | undefined,
): GridColumn<WorkItemRow>[] {
  const update = (row: WorkItemRow, patch: Record<string, unknown>): void => {
    if (!editor) return;
    if (row.kind === 'task') editor.updateTask(row.id, patch, 'ui');
    else editor.updateMilestone(row.id, patch, 'ui');
  };
  const phaseOptions = [
    { value: '', label: '—' },
    ...plan.phases.map((p) => ({ value: p.id, label: p.title })),
  ];
  return [
    {
      key: 'title',
      header: 'Title',
      width: '24%',
      value: (row) => row.title,
      commit: (row, text) => {
        if (!text.trim()) throw new Error('a title is required');
        update(row, { title: text.trim() });
      },
    },
    {
      key: 'phaseId',
      header: 'Phase',
      kind: 'select',
      width: '12%',
      value: (row) => row.phaseId ?? '',
      options: () => phaseOptions,
      commit: (row, value) => update(row, { phaseId: value || null }),
    },
    {
      key: 'assignees',
      header: 'Assignees',
      width: '12%',
      value: (row) => row.assignees.join(', '),
      commit: (row, text) => update(row, { assignees: parseList(text) }),
    },
    {
      key: 'start',
      header: 'Start',
      width: '10%',
      value: (row) => row.start ?? '',
      placeholder: (row) => row.scheduledStart,
      commit: (row, text) =>
        update(row, { [row.kind === 'task' ? 'start' : 'date']: parseOptionalDate(text) }),
    },
    {
      key: 'durationDays',
      header: 'Days',
      kind: 'number',
      width: '6%',
      value: (row) => String(row.durationDays),
      editable: (row) => row.kind === 'task',
      commit: (row, text) => update(row, { durationDays: parseWholeNumber(text, 'duration', 0) }),
    },
    {
      key: 'dependsOn',
      header: 'Depends on',
      width: '11%',
      value: (row) => formatDependencies(row.dependsOn, rows),
      placeholder: () => (editor ? 'e.g. 3, 4SS+2' : undefined),
      commit: (row, text) => update(row, { dependsOn: parseDependencies(text, rows, row.id) }),
    },
    {
      key: 'percentComplete',
      header: 'Progress %',
      kind: 'number',
      width: '9%',
      value: (row) => String(row.percentComplete),
      editable: (row) => row.kind === 'task',
      commit: (row, text) =>
        update(row, { percentComplete: parseWholeNumber(text, 'progress', 0, 100) }),
      decorate: (row) => (
        <span className="progress" aria-hidden="true">
          <span style={{ width: `${Math.min(100, Math.max(0, row.percentComplete))}%` }} />
        </span>
      ),
    },
    {
      key: 'finish',
      header: 'Finish',
      width: '10%',
      value: (row) => row.scheduledFinish ?? '',
    },
  ];
}
