/**
 * The plan's change log with actor and time, newest first: pages of the server's change-log
 * read model (`GET /plans/:id/history?direction=backwards`), plus the entries the change feed
 * delivers while the view is open. Both name an entry by (global position, index within its
 * event), so an entry seen both ways is shown once.
 */
import type { FeedChange } from '@lib/feed';
import type { Api } from '../api/api-client';

export interface HistoryEntry {
  /** `${position}-${seq}`: unique, and ordered like the log */
  readonly key: string;
  readonly position: number;
  readonly seq: number;
  readonly version: number;
  readonly at: string;
  readonly actor: string;
  readonly kind: string;
  readonly summary: string;
  readonly entity?: { readonly type: string; readonly id: string };
}

export interface HistoryPage {
  /** newest first */
  readonly entries: readonly HistoryEntry[];
  /** cursor for the next older page; null at the plan's first entry */
  readonly older: string | null;
}

interface ServerEntry {
  readonly position: number;
  readonly seq: number;
  readonly version: number;
  readonly at: string;
  readonly actor: string;
  readonly changeType: string;
  readonly summary: string;
  readonly entity: { readonly type: string; readonly id: string };
}

export const HISTORY_PAGE = 200;

/**
 * One page, newest first: the first (no `older` cursor) as of at least `minPosition`, the feed's
 * start, so that together with the feed no entry is missed; then older ones by cursor.
 */
export async function loadHistoryPage(
  api: Api,
  planId: string,
  page: { readonly older: string } | { readonly minPosition: number },
  signal?: AbortSignal,
): Promise<HistoryPage> {
  const params = new URLSearchParams({ direction: 'backwards', limit: String(HISTORY_PAGE) });
  if ('older' in page) params.set('from', page.older);
  else params.set('minPosition', String(page.minPosition));
  const body = await api.get<{ entries: ServerEntry[]; next: string | null }>(
    `/plans/${encodeURIComponent(planId)}/history?${params}`,
    signal,
  );
  return {
    entries: body.entries.map((row) =>
      entry(row.position, row.seq, row, row.changeType, row.summary, row.entity),
    ),
    older: body.next,
  };
}

/** the change log entries one feed change carries, newest first */
export function entriesOf(change: FeedChange): HistoryEntry[] {
  return change.changes
    .map((item, seq) =>
      entry(change.position, seq, change, item.changeType, item.summary, item.entity),
    )
    .reverse();
}

/** newest first, each entry once */
export function mergeEntries(
  newer: readonly HistoryEntry[],
  older: readonly HistoryEntry[],
): HistoryEntry[] {
  const byKey = new Map<string, HistoryEntry>();
  for (const e of [...newer, ...older]) byKey.set(e.key, e);
  return [...byKey.values()].sort((a, b) => b.position - a.position || b.seq - a.seq);
}

function entry(
  position: number,
  seq: number,
  facts: { readonly version: number; readonly at: string; readonly actor: string },
  kind: string,
  summary: string,
  entity: { readonly type: string; readonly id: string } | undefined,
): HistoryEntry {
  return {
    key: `${position}-${seq}`,
    position,
    seq,
    version: facts.version,
    at: facts.at,
    actor: facts.actor,
    kind,
    summary,
    entity,
  };
}
