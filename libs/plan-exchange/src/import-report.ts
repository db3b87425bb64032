/**
 * What an import tells its caller besides the plan: how many items arrived, and every piece of
 * the source the plan model could not hold or held only approximately — never dropped silently.
 */

export const EXCHANGE_FORMATS = ['mspdi', 'csv', 'json'] as const;
export type ExchangeFormat = (typeof EXCHANGE_FORMATS)[number];

export const isExchangeFormat = (value: unknown): value is ExchangeFormat =>
  typeof value === 'string' && (EXCHANGE_FORMATS as readonly string[]).includes(value);

/**
 * `not-held`: the value is in the source but not in the plan; `approximated`: the plan holds a
 * nearby value (a 4-hour task became 1 day).
 */
export type ImportNoteKind = 'not-held' | 'approximated';

export interface ImportNote {
  readonly kind: ImportNoteKind;
  /** Where in the source: `Task UID=7 (Build API)`, `line 4`, `Calendar UID=1 (Standard)`. */
  readonly at: string;
  /** The element or column, as the source names it: `ConstraintType`, `Notes`, `predecessors`. */
  readonly field: string;
  readonly message: string;
}

export interface ImportReport {
  readonly format: ExchangeFormat;
  readonly counts: {
    readonly phases: number;
    readonly tasks: number;
    readonly milestones: number;
    readonly resources: number;
    readonly risks: number;
    readonly stakeholders: number;
    readonly objectives: number;
  };
  readonly notes: readonly ImportNote[];
}

/** A source line or element the importer cannot read at all: the whole import is refused. */
export interface ImportProblem {
  /** `line 7`, `line 3, column 12`, `Task UID=4`, `tasks.t9.dependsOn.0.taskId`. */
  readonly at: string;
  readonly message: string;
}

/** The source cannot be imported; every problem found is listed (HTTP 400 at the edge). */
export class ImportRefusedError extends Error {
  readonly code = 'IMPORT_REFUSED';
  constructor(
    readonly format: ExchangeFormat,
    readonly problems: readonly ImportProblem[],
  ) {
    super(
      `${format} import refused: ${problems
        .slice(0, 20)
        .map((p) => `${p.at}: ${p.message}`)
        .join('; ')}${problems.length > 20 ? `; and ${problems.length - 20} more` : ''}`,
    );
    this.name = 'ImportRefusedError';
  }
}

export function isImportRefusedError(error: unknown): error is ImportRefusedError {
  return (
    error instanceof Error &&
    'code' in error &&
    (error as { code: unknown }).code === 'IMPORT_REFUSED'
  );
}

/** Collects notes while a converter walks its source. */
export class ImportNotes {
  private readonly list: ImportNote[] = [];

  notHeld(at: string, field: string, message: string): void {
    this.list.push({ kind: 'not-held', at, field, message });
  }

  approximated(at: string, field: string, message: string): void {
    this.list.push({ kind: 'approximated', at, field, message });
  }

  get all(): readonly ImportNote[] {
    return this.list;
  }
}
