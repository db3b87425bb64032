/**
 * Checkpoints: how far each read model has projected `$all`, and per plan which stream version
 * it has reached (to rebuild a plan's document after a restart). Both are written in the same
 * transaction as the read model's rows, so rows and checkpoint can never disagree.
 */
import type { SqlSession } from '../store/read-model-store.port';

export const CHECKPOINT_DDL: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS projection_checkpoints (
    projection TEXT PRIMARY KEY,
    position BIGINT NOT NULL,
    projection_version INTEGER NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS projection_plan_versions (
    projection TEXT NOT NULL,
    plan_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    position BIGINT NOT NULL,
    PRIMARY KEY (projection, plan_id)
  )`,
];

export interface Checkpoint {
  readonly position: number;
  readonly projectionVersion: number;
}

/**
 * The stored checkpoint moved under this projector: another process projects the same read
 * model (SQLite has no leases), a rebuild reset it, or a process running another version of
 * the projection owns it. The batch was rolled back; the projector reloads and resumes.
 */
export class CheckpointMovedError extends Error {
  readonly code = 'CHECKPOINT_MOVED';
  constructor(
    readonly readModel: string,
    readonly expected: Checkpoint,
    readonly actual: Checkpoint | undefined,
  ) {
    super(
      `read model ${readModel}: checkpoint expected at position ${expected.position} (projection version ${expected.projectionVersion}), ` +
        (actual
          ? `found position ${actual.position} (projection version ${actual.projectionVersion})`
          : 'found none'),
    );
    this.name = 'CheckpointMovedError';
  }
}

export const isCheckpointMoved = (error: unknown): error is CheckpointMovedError =>
  typeof error === 'object' &&
  error !== null &&
  (error as { code?: unknown }).code === 'CHECKPOINT_MOVED';

interface CheckpointRow {
  position: number;
  projection_version: number;
}

export async function readCheckpoint(
  session: SqlSession,
  readModel: string,
): Promise<Checkpoint | undefined> {
  const [row] = await session.all<CheckpointRow>(
    'SELECT position, projection_version FROM projection_checkpoints WHERE projection = ?',
    [readModel],
  );
  return row ? { position: row.position, projectionVersion: row.projection_version } : undefined;
}

/** Starts a read model at position 0, or moves it back there (rebuild), at `projectionVersion`. */
export async function resetCheckpoint(
  session: SqlSession,
  readModel: string,
  projectionVersion: number,
): Promise<void> {
  await session.run(
    `INSERT INTO projection_checkpoints (projection, position, projection_version) VALUES (?, 0, ?)
     ON CONFLICT (projection) DO UPDATE SET position = 0, projection_version = excluded.projection_version`,
    [readModel, projectionVersion],
  );
  await session.run('DELETE FROM projection_plan_versions WHERE projection = ?', [readModel]);
}

/** Compare-and-set: throws CheckpointMovedError unless the stored checkpoint is `from`. */
export async function advanceCheckpoint(
  session: SqlSession,
  readModel: string,
  from: Checkpoint,
  toPosition: number,
): Promise<void> {
  const changed = await session.run(
    'UPDATE projection_checkpoints SET position = ? WHERE projection = ? AND position = ? AND projection_version = ?',
    [toPosition, readModel, from.position, from.projectionVersion],
  );
  if (changed !== 1)
    throw new CheckpointMovedError(readModel, from, await readCheckpoint(session, readModel));
}

export interface PlanVersion {
  readonly version: number;
  readonly position: number;
}

export async function writePlanVersions(
  session: SqlSession,
  readModel: string,
  versions: ReadonlyMap<string, PlanVersion>,
): Promise<void> {
  for (const [planId, { version, position }] of versions) {
    await session.run(
      `INSERT INTO projection_plan_versions (projection, plan_id, version, position) VALUES (?, ?, ?, ?)
       ON CONFLICT (projection, plan_id) DO UPDATE SET version = excluded.version, position = excluded.position`,
      [readModel, planId, version, position],
    );
  }
}

/** The stream version of the plan's last projected event; -1 when none was projected. */
export async function projectedPlanVersion(
  session: SqlSession,
  readModel: string,
  planId: string,
): Promise<number> {
  const [row] = await session.all<{ version: number }>(
    'SELECT version FROM projection_plan_versions WHERE projection = ? AND plan_id = ?',
    [readModel, planId],
  );
  return row?.version ?? -1;
}
