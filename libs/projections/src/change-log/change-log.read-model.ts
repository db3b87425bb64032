/**
 * Queries over the change log: one plan's history, paged by cursor, and every plan's entries
 * after a global position (what a change feed catches up from).
 *
 * Cursors (the `from` of a history query, the `next` of a page):
 *   `1234`    after every entry of the event at global position 1234 (like `$all`: exclusive)
 *   `1234:2`  after entry 2 of that event (what `next` returns, so a page may end mid-event)
 *   `v17`     from the plan's stream version 17 on (inclusive), for "the history since version N"
 * Read backwards, the position cursors mean "before" instead of "after", and `v17` "up to 17".
 */
import type { ReadModelStore, SqlValue } from '../store/read-model-store.port';
import type { ChangeLogEntry } from './change-log-entry';
import { CHANGE_LOG_TABLE, fromRow, type ChangeLogRow } from './change-log.projection';

export type HistoryCursor =
  { readonly position: number; readonly seq?: number } | { readonly version: number };

export type HistoryDirection = 'forwards' | 'backwards';

export interface HistoryQuery {
  readonly from?: HistoryCursor | string;
  /** 1–1000, default 100 */
  readonly limit?: number;
  readonly direction?: HistoryDirection;
}

export interface ChangeLogPage {
  readonly planId: string;
  readonly entries: readonly ChangeLogEntry[];
  /** cursor for the next page in the same direction; null when this page is the last */
  readonly next: string | null;
}

export const DEFAULT_HISTORY_LIMIT = 100;
export const MAX_HISTORY_LIMIT = 1000;
export const HISTORY_CURSOR_PATTERN = /^(?:\d+(?::\d+)?|v\d+)$/;

/** A cursor or limit a caller got wrong; names the field, for a 400. */
export class InvalidHistoryQueryError extends Error {
  readonly code = 'INVALID_HISTORY_QUERY';
  constructor(
    readonly field: 'from' | 'limit',
    readonly value: unknown,
    reason: string,
  ) {
    super(`${field} ${reason}, got ${JSON.stringify(value)}`);
    this.name = 'InvalidHistoryQueryError';
  }
}

export const isInvalidHistoryQuery = (error: unknown): error is InvalidHistoryQueryError =>
  typeof error === 'object' &&
  error !== null &&
  (error as { code?: unknown }).code === 'INVALID_HISTORY_QUERY';

export function parseHistoryCursor(text: string): HistoryCursor {
  if (!HISTORY_CURSOR_PATTERN.test(text)) {
    throw new InvalidHistoryQueryError(
      'from',
      text,
      'must be a position (1234), an entry cursor (1234:2) or a stream version (v17)',
    );
  }
  if (text.startsWith('v')) return { version: Number(text.slice(1)) };
  const [position, seq] = text.split(':');
  return seq === undefined
    ? { position: Number(position) }
    : { position: Number(position), seq: Number(seq) };
}

export const formatHistoryCursor = (entry: Pick<ChangeLogEntry, 'position' | 'seq'>): string =>
  `${entry.position}:${entry.seq}`;

const SELECT = `SELECT position, seq, plan_id, version, event_id, event_type, actor, at, change_type, entity_type, entity_id, payload, summary FROM ${CHANGE_LOG_TABLE}`;

export class ChangeLogReadModel {
  constructor(private readonly store: ReadModelStore) {}

  async history(planId: string, query: HistoryQuery = {}): Promise<ChangeLogPage> {
    const limit = query.limit ?? DEFAULT_HISTORY_LIMIT;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_HISTORY_LIMIT) {
      throw new InvalidHistoryQueryError(
        'limit',
        limit,
        `must be an integer from 1 to ${MAX_HISTORY_LIMIT}`,
      );
    }
    const backwards = query.direction === 'backwards';
    const from = typeof query.from === 'string' ? parseHistoryCursor(query.from) : query.from;
    // "after" reading forwards is "before" reading backwards
    const beyond = backwards ? '<' : '>';
    const conditions = ['plan_id = ?'];
    const params: SqlValue[] = [planId];
    if (from && 'version' in from) {
      conditions.push(`version ${backwards ? '<=' : '>='} ?`);
      params.push(from.version);
    } else if (from && from.seq !== undefined) {
      conditions.push(`(position ${beyond} ? OR (position = ? AND seq ${beyond} ?))`);
      params.push(from.position, from.position, from.seq);
    } else if (from) {
      conditions.push(`position ${beyond} ?`);
      params.push(from.position);
    }
    const order = backwards ? 'position DESC, seq DESC' : 'position ASC, seq ASC';
    const rows = await this.store.all<ChangeLogRow>(
      `${SELECT} WHERE ${conditions.join(' AND ')} ORDER BY ${order} LIMIT ?`,
      [...params, limit],
    );
    const entries = rows.map(fromRow);
    const last = entries[entries.length - 1];
    return {
      planId,
      entries,
      next: entries.length === limit && last ? formatHistoryCursor(last) : null,
    };
  }

  /** the position of the newest entry (0 when the log is empty): the feed's live start */
  async headPosition(): Promise<number> {
    const [row] = await this.store.all<{ position: number | string | null }>(
      `SELECT MAX(position) AS position FROM ${CHANGE_LOG_TABLE}`,
    );
    return Number(row?.position ?? 0);
  }

  /**
   * Entries of all plans (or of `planIds`) after a global position, in log order. `limit`
   * counts entries, but an event is never split: the last event's remaining entries come too.
   */
  async entriesAfter(
    afterPosition: number,
    options: { readonly planIds?: readonly string[]; readonly limit?: number } = {},
  ): Promise<ChangeLogEntry[]> {
    const limit = options.limit ?? 1000;
    const planIds = options.planIds;
    if (planIds && planIds.length === 0) return [];
    const planFilter = planIds ? ` AND plan_id IN (${planIds.map(() => '?').join(', ')})` : '';
    const rows = await this.store.all<ChangeLogRow>(
      `${SELECT} WHERE position > ?${planFilter} ORDER BY position ASC, seq ASC LIMIT ?`,
      [afterPosition, ...(planIds ?? []), limit],
    );
    const last = rows[rows.length - 1];
    if (last && rows.length === limit) {
      rows.push(
        ...(await this.store.all<ChangeLogRow>(
          `${SELECT} WHERE position = ? AND seq > ? ORDER BY seq ASC`,
          [last.position, last.seq],
        )),
      );
    }
    return rows.map(fromRow);
  }
}
