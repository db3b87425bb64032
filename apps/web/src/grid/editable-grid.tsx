/**
 * A keyboard-driven table for plan items (ARIA grid pattern): arrow keys move between cells,
 * Enter or typing starts editing, Enter commits, Escape cancels, Tab commits and moves on.
 * Cells are always inputs, read-only unless being edited, so screen readers announce them
 * with their labels; for viewers they stay read-only. Other people's cursors are drawn on the
 * cells they are on.
 */
import {
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type HTMLAttributes,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import type { Peer } from '../collab/presence';
import { editErrorMessage, type GridColumn } from './grid-column';

export interface GridCursor {
  readonly rowId: string;
  readonly field: string;
  readonly editing: boolean;
}

interface EditableGridProps<Row extends { readonly id: string }> {
  readonly label: string;
  readonly rows: readonly Row[];
  readonly columns: readonly GridColumn<Row>[];
  readonly rowLabel: (row: Row) => string;
  readonly readOnly: boolean;
  /** other people's cursors by `rowId/field` */
  readonly peers?: ReadonlyMap<string, readonly Peer[]>;
  readonly onCursor?: (cursor: GridCursor | null) => void;
  /** a row header cell before the columns (row number, kind icon) */
  readonly rowHeader?: (row: Row, index: number) => ReactNode;
  readonly rowHeaderLabel?: string;
  readonly rowProps?: (
    row: Row,
  ) => HTMLAttributes<HTMLTableRowElement> & Record<`data-${string}`, string>;
  readonly emptyText?: string;
}

interface Active {
  readonly rowId: string;
  readonly key: string;
}

type Control = HTMLInputElement | HTMLSelectElement;

export function EditableGrid<Row extends { readonly id: string }>(props: EditableGridProps<Row>) {
  const { rows, columns, readOnly, peers, onCursor } = props;
  const [active, setActive] = useState<Active>();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<{ readonly at: Active; readonly message: string }>();
  const controls = useRef(new Map<string, Control>());
  const tableRef = useRef<HTMLTableElement>(null);
  const focusPending = useRef(false);

  const rowIndex = active ? rows.findIndex((r) => r.id === active.rowId) : -1;
  const colIndex = active ? columns.findIndex((c) => c.key === active.key) : -1;
  const current = rowIndex >= 0 && colIndex >= 0 ? active : undefined;
  const tabStop: Active | undefined =
    current ?? (rows[0] && columns[0] ? { rowId: rows[0].id, key: columns[0].key } : undefined);

  // in the same commit as the move, so a key pressed right after lands on the new cell
  useLayoutEffect(() => {
    if (!focusPending.current || !current) return;
    focusPending.current = false;
    controls.current.get(cellKey(current))?.focus();
  });

  useEffect(() => {
    onCursor?.(current ? { rowId: current.rowId, field: current.key, editing } : null);
  }, [current?.rowId, current?.key, editing]);

  const canEdit = (row: Row, column: GridColumn<Row>): boolean =>
    !readOnly && column.commit !== undefined && (column.editable?.(row) ?? true);

  const moveTo = (r: number, c: number): void => {
    const row = rows[Math.max(0, Math.min(rows.length - 1, r))];
    const column = columns[Math.max(0, Math.min(columns.length - 1, c))];
    if (!row || !column) return;
    focusPending.current = true;
    setActive({ rowId: row.id, key: column.key });
  };

  const startEditing = (row: Row, column: GridColumn<Row>, initial: string): void => {
    if (!canEdit(row, column)) return;
    setDraft(initial);
    setEditing(true);
    setError(undefined);
  };

  /** false when the text was refused (the cell stays in editing) */
  const commit = (row: Row, column: GridColumn<Row>): boolean => {
    if (!editing) return true;
    if (draft !== column.value(row)) {
      try {
        column.commit?.(row, draft);
      } catch (e) {
        setError({ at: { rowId: row.id, key: column.key }, message: editErrorMessage(e) });
        return false;
      }
    }
    setEditing(false);
    setError(undefined);
    return true;
  };

  const cancel = (): void => {
    setEditing(false);
    setError(undefined);
  };

  const onKeyDown = (
    event: KeyboardEvent<Control>,
    row: Row,
    column: GridColumn<Row>,
    r: number,
    c: number,
  ): void => {
    const key = event.key;
    if (editing) {
      if (key === 'Escape') {
        event.preventDefault();
        cancel();
      } else if (key === 'Enter' && column.kind !== 'select') {
        event.preventDefault();
        commit(row, column);
      } else if (key === 'Tab') {
        event.preventDefault();
        if (commit(row, column)) moveTo(r, c + (event.shiftKey ? -1 : 1));
      }
      return;
    }
    const moves: Record<string, () => void> = {
      ArrowUp: () => moveTo(r - 1, c),
      ArrowDown: () => moveTo(r + 1, c),
      ArrowLeft: () => moveTo(r, c - 1),
      ArrowRight: () => moveTo(r, c + 1),
      Home: () => (event.ctrlKey ? moveTo(0, 0) : moveTo(r, 0)),
      End: () =>
        event.ctrlKey ? moveTo(rows.length - 1, columns.length - 1) : moveTo(r, columns.length - 1),
      PageUp: () => moveTo(r - 10, c),
      PageDown: () => moveTo(r + 10, c),
    };
    if (moves[key]) {
      event.preventDefault();
      moves[key]();
    } else if (key === 'Enter' || key === 'F2') {
      event.preventDefault();
      startEditing(row, column, column.value(row));
    } else if (
      column.kind !== 'select' &&
      key.length === 1 &&
      !event.ctrlKey &&
      !event.metaKey &&
      !event.altKey
    ) {
      if (!canEdit(row, column)) return;
      event.preventDefault();
      startEditing(row, column, key);
    }
  };

  return (
    <div className="grid-wrap">
      <table
        ref={tableRef}
        role="grid"
        className="data-table editable-grid"
        aria-label={props.label}
        aria-readonly={readOnly || undefined}
        onBlur={(event) => {
          if (!tableRef.current?.contains(event.relatedTarget as Node | null)) onCursor?.(null);
        }}
      >
        <thead>
          <tr>
            {props.rowHeader && (
              <th scope="col" className="row-header-col">
                {props.rowHeaderLabel ?? ''}
              </th>
            )}
            {columns.map((column) => (
              <th
                key={column.key}
                scope="col"
                style={column.width ? { width: column.width } : undefined}
              >
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colSpan={columns.length + (props.rowHeader ? 1 : 0)} className="empty">
                {props.emptyText ?? 'Nothing here yet.'}
              </td>
            </tr>
          )}
          {rows.map((row, r) => {
            const label = props.rowLabel(row);
            const rowPeers = columns.flatMap(
              (column) => peers?.get(`${row.id}/${column.key}`) ?? [],
            );
            const extra = props.rowProps?.(row) ?? {};
            return (
              <tr
                key={row.id}
                {...extra}
                data-row-id={row.id}
                className={[extra.className, rowPeers.length ? 'has-peer' : '']
                  .filter(Boolean)
                  .join(' ')}
                style={
                  rowPeers[0] ? { boxShadow: `inset 3px 0 0 ${rowPeers[0].user.color}` } : undefined
                }
              >
                {props.rowHeader && (
                  <th scope="row" className="row-header">
                    {props.rowHeader(row, r)}
                  </th>
                )}
                {columns.map((column, c) => {
                  const at: Active = { rowId: row.id, key: column.key };
                  const isActive = current?.rowId === row.id && current.key === column.key;
                  const isEditing = isActive && editing;
                  const editable = canEdit(row, column);
                  const cellPeers = peers?.get(cellKey(at)) ?? [];
                  const cellError =
                    error && cellKey(error.at) === cellKey(at) ? error.message : undefined;
                  const common = {
                    ref: (element: Control | null) => {
                      if (element) controls.current.set(cellKey(at), element);
                      else controls.current.delete(cellKey(at));
                    },
                    'aria-label': `${column.header}, ${label}`,
                    'aria-readonly': !editable || undefined,
                    'aria-invalid': cellError ? true : undefined,
                    tabIndex: tabStop && cellKey(tabStop) === cellKey(at) ? 0 : -1,
                    onFocus: () => {
                      if (!isActive) {
                        if (editing && current) setEditing(false);
                        setActive(at);
                      }
                    },
                    onKeyDown: (event: KeyboardEvent<Control>) =>
                      onKeyDown(event, row, column, r, c),
                  };
                  return (
                    <td
                      key={column.key}
                      role="gridcell"
                      data-field={column.key}
                      data-peer={cellPeers.map((p) => p.user.name).join(', ') || undefined}
                      className={[
                        'cell',
                        isActive ? 'active' : '',
                        isEditing ? 'editing' : '',
                        column.kind === 'number' ? 'numeric' : '',
                      ].join(' ')}
                      style={
                        cellPeers[0]
                          ? { outline: `2px solid ${cellPeers[0].user.color}` }
                          : undefined
                      }
                    >
                      {column.kind === 'select' && editable ? (
                        <select
                          {...common}
                          value={column.value(row)}
                          onChange={(event) => {
                            try {
                              column.commit?.(row, event.target.value);
                              setError(undefined);
                            } catch (e) {
                              setError({ at, message: editErrorMessage(e) });
                            }
                          }}
                        >
                          {(column.options?.(row) ?? []).map((option) => (
                            <option key={option.value} value={option.value}>
                              {option.label}
                            </option>
                          ))}
                        </select>
                      ) : (
                        <input
                          {...common}
                          className="cell-input"
                          readOnly={!isEditing}
                          inputMode={column.kind === 'number' ? 'numeric' : undefined}
                          value={
                            isEditing
                              ? draft
                              : column.kind === 'select'
                                ? (column.options?.(row).find((o) => o.value === column.value(row))
                                    ?.label ?? column.value(row))
                                : column.value(row)
                          }
                          placeholder={column.placeholder?.(row)}
                          onChange={(event) => {
                            if (isEditing) setDraft(event.target.value);
                          }}
                          onDoubleClick={() => startEditing(row, column, column.value(row))}
                          onBlur={() => {
                            // a refused edit is dropped when focus leaves; its message stays shown
                            if (isEditing && !commit(row, column)) setEditing(false);
                          }}
                        />
                      )}
                      {column.decorate?.(row)}
                      {cellPeers.map((peer) => (
                        <span
                          key={peer.clientId}
                          className="cell-peer"
                          style={{ background: peer.user.color }}
                        >
                          {peer.user.name}
                        </span>
                      ))}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
      {error && (
        <p role="alert" className="error grid-error">
          {rows.find((r) => r.id === error.at.rowId)
            ? `${props.rowLabel(rows.find((r) => r.id === error.at.rowId)!)}: `
            : ''}
          {error.message}
        </p>
      )}
      {!readOnly && rows.length > 0 && (
        <p className="hint grid-hint">Arrow keys move · Enter edits and saves · Escape cancels</p>
      )}
    </div>
  );
}

function cellKey(at: Active): string {
  return `${at.rowId}/${at.key}`;
}
