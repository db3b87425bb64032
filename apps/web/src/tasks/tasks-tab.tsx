/** Tasks and timeline together: the editable task table above the Gantt chart it drives. */
import { useRef, useState } from 'react';
import type { PlanDoc, PlanJson } from '@lib/plan-domain';
import type { Peer } from '../collab/presence';
import { editErrorMessage } from '../grid/grid-column';
import type { GridCursor } from '../grid/editable-grid';
import type { Api } from '../api/api-client';
import { GanttChart, type GhostBar } from '../timeline/gantt-chart';
import { SchedulingPanel } from '../timeline/scheduling-panel';
import type { TimelineView } from '../timeline/timeline-view';
import { TaskTable } from './task-table';

interface TasksTabProps {
  readonly api: Api;
  readonly planId: string;
  readonly plan: PlanJson;
  readonly editor: PlanDoc;
  readonly timeline: TimelineView;
  readonly readOnly: boolean;
  readonly peers: ReadonlyMap<string, readonly Peer[]>;
  readonly onCursor: (cursor: GridCursor | null) => void;
}

export function TasksTab({
  api,
  planId,
  plan,
  editor,
  timeline,
  readOnly,
  peers,
  onCursor,
}: TasksTabProps) {
  const [ghosts, setGhosts] = useState<ReadonlyMap<string, GhostBar>>();
  // the row last selected in the table: the one "Remove" acts on after focus moved to the button
  const selectedRow = useRef<string | undefined>(undefined);
  const lastPhase = plan.phases.at(-1)?.id;
  const run = (action: () => void): void => {
    try {
      action();
    } catch (error) {
      alert(editErrorMessage(error));
    }
  };

  return (
    <>
      <section className="card" aria-labelledby="tasks-title">
        <div className="section-head">
          <h2 id="tasks-title">Tasks</h2>
          {!readOnly && (
            <div className="toolbar" role="toolbar" aria-label="Task actions">
              <button
                type="button"
                onClick={() =>
                  run(() =>
                    editor.addTask(
                      { title: 'New task', durationDays: 1, phaseId: lastPhase },
                      'ui',
                    ),
                  )
                }
              >
                Add task
              </button>
              <button
                type="button"
                onClick={() =>
                  run(() =>
                    editor.addMilestone({ title: 'New milestone', phaseId: lastPhase }, 'ui'),
                  )
                }
              >
                Add milestone
              </button>
              <button
                type="button"
                onClick={() =>
                  run(() => editor.addPhase({ title: `Phase ${plan.phases.length + 1}` }, 'ui'))
                }
              >
                Add phase
              </button>
              <button
                type="button"
                onClick={() =>
                  run(() => {
                    const id = selectedRow.current;
                    if (!id) return;
                    if (plan.tasks.some((t) => t.id === id)) editor.removeTask(id, 'ui');
                    else if (plan.milestones.some((m) => m.id === id))
                      editor.removeMilestone(id, 'ui');
                    selectedRow.current = undefined;
                  })
                }
              >
                Remove selected
              </button>
            </div>
          )}
        </div>
        <TaskTable
          plan={plan}
          editor={editor}
          timeline={timeline}
          readOnly={readOnly}
          peers={peers}
          onCursor={(cursor) => {
            if (cursor) selectedRow.current = cursor.rowId;
            onCursor(cursor);
          }}
        />
      </section>
      <section className="card" aria-label="Timeline">
        <GanttChart timeline={timeline} plan={plan} title="Timeline" ghosts={ghosts} />
        <SchedulingPanel
          api={api}
          planId={planId}
          planStart={timeline.planStart}
          titles={new Map(timeline.bars.map((b) => [b.id, b.title]))}
          readOnly={readOnly}
          refreshKey={`${timeline.projectFinish}:${timeline.bars.length}:${plan.meta.statusDate ?? ''}`}
          onGhosts={setGhosts}
        />
      </section>
    </>
  );
}
