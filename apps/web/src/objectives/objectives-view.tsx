/** Objectives and their KPIs: baseline, current and target, and how far along the way it is. */
import { useMemo } from 'react';
import type { Objective, PlanDoc, PlanJson } from '@lib/plan-domain';
import type { Peer } from '../collab/presence';
import { CollectionSection } from '../grid/collection-section';
import type { GridCursor } from '../grid/editable-grid';
import {
  optionalNumberColumn,
  parseOptionalDate,
  parseOptionalNumber,
  textColumn,
  type GridColumn,
} from '../grid/grid-column';

interface Props {
  readonly plan: PlanJson;
  readonly editor: PlanDoc;
  readonly readOnly: boolean;
  readonly peers: ReadonlyMap<string, readonly Peer[]>;
  readonly onCursor: (cursor: GridCursor | null) => void;
}

/** Share of the way from baseline (or 0) to target that `current` has covered, 0–100. */
export function kpiProgress(
  o: Pick<Objective, 'baseline' | 'current' | 'target'>,
): number | undefined {
  if (o.current === undefined) return undefined;
  const from = o.baseline ?? 0;
  if (o.target === from) return o.current === o.target ? 100 : 0;
  return Math.max(0, Math.min(100, ((o.current - from) / (o.target - from)) * 100));
}

export function ObjectivesView({ plan, editor, readOnly, peers, onCursor }: Props) {
  const columns = useMemo(() => objectiveColumns(editor), [editor]);
  return (
    <CollectionSection
      name="objectives"
      title="Objectives and KPIs"
      label="Objectives"
      addLabel="Add objective"
      onAdd={() => editor.addObjective({ title: 'New objective', target: 100 }, 'ui')}
      rows={plan.objectives}
      columns={columns}
      rowLabel={(o) => `objective ${o.title}`}
      emptyText="No objectives yet."
      readOnly={readOnly}
      peers={peers}
      onCursor={onCursor}
    />
  );
}

function objectiveColumns(editor: PlanDoc): GridColumn<Objective>[] {
  const update = (o: Objective, patch: Record<string, unknown>): void => {
    editor.updateObjective(o.id, patch, 'ui');
  };
  return [
    textColumn('title', 'Objective', update, { required: 'a title', width: '24%' }),
    textColumn('kpi', 'KPI', update, { width: '18%' }),
    textColumn('unit', 'Unit', update),
    optionalNumberColumn('baseline', 'Baseline', update),
    optionalNumberColumn('current', 'Current', update),
    {
      key: 'target',
      header: 'Target',
      kind: 'number',
      value: (o) => String(o.target),
      commit: (o, t) => {
        const target = parseOptionalNumber(t, 'target');
        if (target === null) throw new Error('a target is required');
        update(o, { target });
      },
    },
    {
      key: 'progress',
      header: 'Progress',
      value: (o) => {
        const progress = kpiProgress(o);
        return progress === undefined ? '—' : `${Math.round(progress)}%`;
      },
      decorate: (o) => (
        <span className="progress" aria-hidden="true">
          <span style={{ width: `${kpiProgress(o) ?? 0}%` }} />
        </span>
      ),
    },
    {
      key: 'due',
      header: 'Due',
      value: (o) => o.due ?? '',
      placeholder: () => 'YYYY-MM-DD',
      commit: (o, t) => update(o, { due: parseOptionalDate(t) }),
    },
  ];
}
