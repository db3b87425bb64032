/**
 * Resources (people, equipment, budget lines) and the budget against the planned cost: task
 * costs plus, for tasks with resources assigned, each resource's day rate over the duration.
 */
import { useMemo } from 'react';
import { RESOURCE_KINDS, type PlanDoc, type PlanJson, type Resource } from '@lib/plan-domain';
import type { Peer } from '../collab/presence';
import { CollectionSection } from '../grid/collection-section';
import type { GridCursor } from '../grid/editable-grid';
import {
  optionalNumberColumn,
  selectColumn,
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

export function ResourcesBudgetView({ plan, editor, readOnly, peers, onCursor }: Props) {
  const columns = useMemo(() => resourceColumns(editor), [editor]);
  const costs = useMemo(() => plannedCosts(plan), [plan]);
  const money = (amount: number): string =>
    new Intl.NumberFormat(undefined, {
      style: 'currency',
      currency: plan.meta.currency || 'EUR',
      maximumFractionDigits: 0,
    }).format(amount);
  const budget = plan.meta.budget || 0;
  const used = budget > 0 ? Math.min(100, (costs.total / budget) * 100) : 0;

  return (
    <div className="split">
      <CollectionSection
        className="card grow"
        name="resources"
        title="Resources"
        label="Resources"
        addLabel="Add resource"
        onAdd={() => editor.addResource({ name: 'New resource', kind: 'person' }, 'ui')}
        rows={plan.resources}
        columns={columns}
        rowLabel={(r) => `resource ${r.name}`}
        emptyText="No resources yet."
        readOnly={readOnly}
        peers={peers}
        onCursor={onCursor}
      />
      <aside className="card side" aria-labelledby="budget-title">
        <h2 id="budget-title">Budget</h2>
        <dl className="facts">
          <dt>Budget</dt>
          <dd>{money(budget)}</dd>
          <dt>Planned cost</dt>
          <dd data-testid="planned-cost">{money(costs.total)}</dd>
          <dt>Task costs</dt>
          <dd>{money(costs.taskCosts)}</dd>
          <dt>Resource time</dt>
          <dd>{money(costs.resourceCosts)}</dd>
        </dl>
        <div
          className={`meter${costs.total > budget && budget > 0 ? ' over' : ''}`}
          role="meter"
          aria-label="Planned cost against budget"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(used)}
        >
          <span style={{ width: `${used}%` }} />
        </div>
        <p className="muted">
          {budget > 0
            ? `${Math.round((costs.total / budget) * 100)}% of the budget is planned`
            : 'No budget set for this plan.'}
        </p>
        <h3>Cost by phase</h3>
        <table className="data-table compact">
          <tbody>
            {costs.byPhase.map((phase) => (
              <tr key={phase.id}>
                <th scope="row">{phase.title}</th>
                <td className="numeric">{money(phase.amount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </aside>
    </div>
  );
}

function resourceColumns(editor: PlanDoc): GridColumn<Resource>[] {
  const update = (r: Resource, patch: Record<string, unknown>): void => {
    editor.updateResource(r.id, patch, 'ui');
  };
  return [
    textColumn('name', 'Name', update, { required: 'a name', width: '30%' }),
    selectColumn('kind', 'Kind', RESOURCE_KINDS, update),
    optionalNumberColumn('capacityHoursPerDay', 'Hours/day', update, 'hours per day'),
    optionalNumberColumn('costRatePerDay', 'Rate/day', update, 'rate per day'),
    optionalNumberColumn('amount', 'Amount', update),
  ];
}

function plannedCosts(plan: PlanJson) {
  const rates = new Map(plan.resources.map((r) => [r.id, r.costRatePerDay ?? 0]));
  const byPhase = new Map<string, number>();
  let taskCosts = 0;
  let resourceCosts = 0;
  for (const task of plan.tasks) {
    const cost = typeof task.cost === 'number' ? task.cost : 0;
    const time = (Array.isArray(task.resourceIds) ? task.resourceIds : []).reduce(
      (sum, id) => sum + (rates.get(id) ?? 0) * (task.durationDays || 0),
      0,
    );
    taskCosts += cost;
    resourceCosts += time;
    const phase = task.phaseId ?? '';
    byPhase.set(phase, (byPhase.get(phase) ?? 0) + cost + time);
  }
  const titles = new Map(plan.phases.map((p) => [p.id, p.title]));
  return {
    taskCosts,
    resourceCosts,
    total: taskCosts + resourceCosts,
    byPhase: [...plan.phases.map((p) => p.id), '']
      .filter((id) => byPhase.has(id))
      .map((id) => ({
        id: id || 'none',
        title: id ? (titles.get(id) ?? id) : 'No phase',
        amount: byPhase.get(id) ?? 0,
      })),
  };
}
