/** Stakeholders with their influence and interest (1–5), and where that puts them on the grid. */
import { useMemo } from 'react';
import {
  STAKEHOLDER_CADENCES,
  type PlanDoc,
  type PlanJson,
  type Stakeholder,
} from '@lib/plan-domain';
import type { Peer } from '../collab/presence';
import { CollectionSection } from '../grid/collection-section';
import type { GridCursor } from '../grid/editable-grid';
import { parseWholeNumber, selectColumn, textColumn, type GridColumn } from '../grid/grid-column';

interface Props {
  readonly plan: PlanJson;
  readonly editor: PlanDoc;
  readonly readOnly: boolean;
  readonly peers: ReadonlyMap<string, readonly Peer[]>;
  readonly onCursor: (cursor: GridCursor | null) => void;
}

/** The power/interest grid's advice for one stakeholder. */
export function engagement(s: Pick<Stakeholder, 'influence' | 'interest'>): string {
  const powerful = s.influence >= 3;
  const interested = s.interest >= 3;
  if (powerful && interested) return 'manage closely';
  if (powerful) return 'keep satisfied';
  if (interested) return 'keep informed';
  return 'monitor';
}

export function StakeholdersView({ plan, editor, readOnly, peers, onCursor }: Props) {
  const columns = useMemo(() => stakeholderColumns(editor), [editor]);
  return (
    <CollectionSection
      name="stakeholders"
      title="Stakeholders"
      label="Stakeholders"
      addLabel="Add stakeholder"
      onAdd={() =>
        editor.addStakeholder({ name: 'New stakeholder', influence: 3, interest: 3 }, 'ui')
      }
      rows={plan.stakeholders}
      columns={columns}
      rowLabel={(s) => `stakeholder ${s.name}`}
      emptyText="No stakeholders yet."
      readOnly={readOnly}
      peers={peers}
      onCursor={onCursor}
    />
  );
}

function stakeholderColumns(editor: PlanDoc): GridColumn<Stakeholder>[] {
  const update = (s: Stakeholder, patch: Record<string, unknown>): void => {
    editor.updateStakeholder(s.id, patch, 'ui');
  };
  return [
    textColumn('name', 'Name', update, { required: 'a name', width: '20%' }),
    textColumn('role', 'Role', update, { width: '18%' }),
    {
      key: 'influence',
      header: 'Influence',
      kind: 'number',
      value: (s) => String(s.influence),
      commit: (s, t) => update(s, { influence: parseWholeNumber(t, 'influence', 1, 5) }),
    },
    {
      key: 'interest',
      header: 'Interest',
      kind: 'number',
      value: (s) => String(s.interest),
      commit: (s, t) => update(s, { interest: parseWholeNumber(t, 'interest', 1, 5) }),
    },
    { key: 'engagement', header: 'Engagement', value: (s) => engagement(s) },
    textColumn('channel', 'Channel', update),
    selectColumn('cadence', 'Cadence', STAKEHOLDER_CADENCES, update),
  ];
}
