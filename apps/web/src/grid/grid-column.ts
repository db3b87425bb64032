/**
 * How a table of plan items is edited: one column per field, each saying how to show the
 * field as text and how to write text back (through PlanDoc, which validates). A column
 * without `commit` is read-only.
 */
import type { ReactNode } from 'react';
import { isPlanValidationError } from '@lib/plan-domain';

export interface SelectOption {
  readonly value: string;
  readonly label: string;
}

export interface GridColumn<Row> {
  /** the document field, also what presence reports */
  readonly key: string;
  readonly header: string;
  readonly kind?: 'text' | 'number' | 'select';
  /** CSS width of the column */
  readonly width?: string;
  readonly value: (row: Row) => string;
  readonly options?: (row: Row) => readonly SelectOption[];
  /** writes the edited text; throws with a message for the user when it cannot */
  readonly commit?: (row: Row, text: string) => void;
  readonly editable?: (row: Row) => boolean;
  readonly placeholder?: (row: Row) => string | undefined;
  /** shown next to the value: badges, bars */
  readonly decorate?: (row: Row) => ReactNode;
}

/** A message for the person editing: PlanDoc's problems without the document paths. */
export function editErrorMessage(error: unknown): string {
  if (isPlanValidationError(error)) return error.problems.map((p) => p.message).join('; ');
  return error instanceof Error ? error.message : String(error);
}

export function parseWholeNumber(text: string, what: string, min: number, max = Infinity): number {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
    throw new Error(
      `${what} must be a whole number ${max === Infinity ? `of at least ${min}` : `from ${min} to ${max}`}`,
    );
  }
  return value;
}

export function parseOptionalNumber(text: string, what: string): number | null {
  if (text.trim() === '') return null;
  const value = Number(text.trim());
  if (!Number.isFinite(value)) throw new Error(`${what} must be a number`);
  return value;
}

export function parseOptionalDate(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(trimmed)) throw new Error('dates are written YYYY-MM-DD');
  return trimmed;
}

export function parseList(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** Writes a patch of fields to the row's entity through PlanDoc. */
export type RowWriter<Row> = (row: Row, patch: Record<string, unknown>) => void;

/** A free-text field; with `required` (e.g. 'a name') an empty value is refused. */
export function textColumn<Row>(
  field: keyof Row & string,
  header: string,
  write: RowWriter<Row>,
  options: { readonly required?: string; readonly width?: string } = {},
): GridColumn<Row> {
  return {
    key: field,
    header,
    width: options.width,
    value: (row) => String(row[field] ?? ''),
    commit: (row, text) => {
      const value = text.trim();
      if (options.required && !value) throw new Error(`${options.required} is required`);
      write(row, { [field]: value });
    },
  };
}

/** A field holding a plain list of choices (status, cadence, kind). */
export function selectColumn<Row>(
  field: keyof Row & string,
  header: string,
  choices: readonly string[],
  write: RowWriter<Row>,
): GridColumn<Row> {
  return {
    key: field,
    header,
    kind: 'select',
    value: (row) => String(row[field] ?? ''),
    options: () => choices.map((c) => ({ value: c, label: c })),
    commit: (row, value) => write(row, { [field]: value }),
  };
}

/** An optional number: empty text clears it. */
export function optionalNumberColumn<Row>(
  field: keyof Row & string,
  header: string,
  write: RowWriter<Row>,
  what: string = header.toLowerCase(),
): GridColumn<Row> {
  return {
    key: field,
    header,
    kind: 'number',
    value: (row) => (row[field] === undefined || row[field] === null ? '' : String(row[field])),
    commit: (row, text) => write(row, { [field]: parseOptionalNumber(text, what) }),
  };
}
