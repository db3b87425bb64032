/** A titled card holding one plan collection's editable grid, with its "Add …" button for editors. */
import type { ReactNode } from 'react';
import { EditableGrid, type GridCursor } from './editable-grid';
import type { GridColumn } from './grid-column';
import type { Peer } from '../collab/presence';

interface Props<Row extends { readonly id: string }> {
  /** used for the heading's id, e.g. `objectives` */
  readonly name: string;
  readonly title: string;
  /** the grid's accessible label */
  readonly label: string;
  readonly addLabel: string;
  readonly onAdd: () => void;
  readonly rows: readonly Row[];
  readonly columns: readonly GridColumn<Row>[];
  readonly rowLabel: (row: Row) => string;
  readonly emptyText: string;
  readonly readOnly: boolean;
  readonly peers: ReadonlyMap<string, readonly Peer[]>;
  readonly onCursor: (cursor: GridCursor | null) => void;
  readonly className?: string;
  readonly children?: ReactNode;
}

export function CollectionSection<Row extends { readonly id: string }>(props: Props<Row>) {
  const headingId = `${props.name}-title`;
  return (
    <section className={props.className ?? 'card'} aria-labelledby={headingId}>
      <div className="section-head">
        <h2 id={headingId}>{props.title}</h2>
        {!props.readOnly && (
          <button type="button" onClick={props.onAdd}>
            {props.addLabel}
          </button>
        )}
      </div>
      <EditableGrid
        label={props.label}
        rows={props.rows}
        columns={props.columns}
        rowLabel={props.rowLabel}
        readOnly={props.readOnly}
        peers={props.peers}
        onCursor={props.onCursor}
        emptyText={props.emptyText}
      />
      {props.children}
    </section>
  );
}
