/**
 * What a read model gives the projector: its tables, and how a batch of plan events changes
 * their rows. The projector owns ordering, documents, transactions and checkpoints; a
 * projection only turns events into rows, inside the transaction it is handed.
 */
import type { ChangeLogEntry } from '../change-log/change-log-entry';
import type { MentionNotice } from '../comments/mention-notice';
import type { PlanEvent } from '../plan-stream';
import type { PlanProblemNotice } from '../plan-summary/plan-problem-notice';
import type { ScopeCreepNotice } from '../scope/scope-creep-notice';
import type { SqlSession } from '../store/read-model-store.port';
import type { PlanDocuments } from './plan-documents';

export const READ_MODELS = [
  'change-log',
  'timeline',
  'risk-register',
  'plan-summary',
  'comments',
  'objectives',
  'scope',
  'resources',
  'status-reports',
] as const;
export type ReadModelName = (typeof READ_MODELS)[number];

export const isReadModelName = (value: unknown): value is ReadModelName =>
  (READ_MODELS as readonly unknown[]).includes(value);

/** What one batch changed, for listeners (the live feed). */
export interface ProjectedChanges {
  /** plans whose rows changed, sorted */
  readonly planIds: readonly string[];
  /** change-log entries written by the batch, in log order; empty for other read models */
  readonly entries: readonly ChangeLogEntry[];
  /**
   * Things a particular person should hear about (a mention, scope creep), in log order.
   * Projected again by a rebuild, like everything else: listeners that notify people should
   * expect them again then.
   */
  readonly notices?: readonly ProjectionNotice[];
}

export type ProjectionNotice = MentionNotice | ScopeCreepNotice | PlanProblemNotice;

export interface Projection {
  readonly readModel: ReadModelName;
  /**
   * Bump when rows change shape or meaning: a read model stored by another version is dropped
   * and replayed from position 0 at start-up.
   */
  readonly version: number;
  /** CREATE TABLE / INDEX IF NOT EXISTS statements valid in SQLite and PostgreSQL */
  readonly ddl: readonly string[];
  /** every table holding this read model's rows, dropped by a rebuild */
  readonly tables: readonly string[];
  /**
   * Writes the rows for `events` (plan events in position order). Every event must be passed
   * to `documents.apply` exactly once, in order, whether or not the projection needs the
   * document: the projector checks that each plan's document ends at its last event.
   */
  project(
    events: readonly PlanEvent[],
    documents: PlanDocuments,
    session: SqlSession,
  ): Promise<ProjectedChanges>;
}

/** Where the projector reports what an operator must see; Nest's Logger fits. */
export interface ProjectionLog {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const STDERR_PROJECTION_LOG: ProjectionLog = {
  log: (message) => process.stderr.write(`${message}\n`),
  warn: (message) => process.stderr.write(`warn: ${message}\n`),
  error: (message) => process.stderr.write(`error: ${message}\n`),
};

export const SILENT_PROJECTION_LOG: ProjectionLog = {
  log: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
