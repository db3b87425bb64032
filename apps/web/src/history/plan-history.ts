/**
 * The plan's change log with actor and time. From the server's change-log read model
 * (`GET /plans/:id/history`) where the server has it; otherwise rebuilt here from the raw
 * event log (`GET /plans/:id/events`): each PlanUpdated is applied to a scratch Y.Doc and the
 * plan before and after it is diffed with plan-domain's `diffPlans`, as the projection does.
 */
import { describeChange, diffPlans, readPlan, type PlanJson } from '@lib/plan-domain';
import * as Y from 'yjs';
import { isApiError, type Api } from '../api/api-client';

export interface HistoryEntry {
  readonly key: string;
  readonly version: number;
  readonly at: string;
  readonly actor: string;
  readonly kind: string;
  readonly summary: string;
  readonly entity?: { readonly type: string; readonly id: string };
}

export interface PlanHistoryData {
  readonly source: 'server' | 'events';
  /** newest first */
  readonly entries: readonly HistoryEntry[];
  /** the plan stream's current version: the slider's right end */
  readonly latestVersion: number;
}

interface RawEvent {
  readonly id: string;
  readonly type: string;
  readonly version: number;
  readonly metadata: { readonly actor?: unknown; readonly at?: unknown };
  readonly data: unknown;
  readonly dataEncoding: 'json' | 'base64' | 'omitted';
}

const PAGE = 1000;

export async function loadPlanHistory(
  api: Api,
  planId: string,
  signal: AbortSignal,
): Promise<PlanHistoryData> {
  const base = `/plans/${encodeURIComponent(planId)}`;
  const current = api.get<{ version: number }>(base, signal);
  try {
    const body = await api.get<unknown>(`${base}/history`, signal);
    const entries = serverEntries(body);
    const latestVersion = Math.max((await current).version, ...entries.map((e) => e.version));
    return { source: 'server', entries: entries.sort(newestFirst), latestVersion };
  } catch (error) {
    if (!isApiError(error) || !error.routeMissing) throw error;
  }
  const entries = await replayEvents(api, base, signal);
  const latestVersion = Math.max((await current).version, ...entries.map((e) => e.version));
  return { source: 'events', entries: entries.sort(newestFirst), latestVersion };
}

function newestFirst(a: HistoryEntry, b: HistoryEntry): number {
  return b.version - a.version || b.key.localeCompare(a.key);
}

function serverEntries(body: unknown): HistoryEntry[] {
  const list = Array.isArray(body)
    ? body
    : (Object.values(body as Record<string, unknown>).find(Array.isArray) ?? []);
  return (list as Record<string, unknown>[]).map((row, index) => {
    const entity = row.entity as { type?: unknown; id?: unknown } | undefined;
    return {
      key: `${String(row.position ?? row.version)}-${String(row.seq ?? index)}`,
      version: Number(row.version),
      at: String(row.at ?? ''),
      actor: String(row.actor ?? ''),
      kind: String(row.changeType ?? row.type ?? row.eventType ?? ''),
      summary: String(row.summary ?? row.changeType ?? row.eventType ?? ''),
      entity:
        entity && typeof entity.id === 'string'
          ? { type: String(entity.type), id: entity.id }
          : undefined,
    };
  });
}

async function replayEvents(api: Api, base: string, signal: AbortSignal): Promise<HistoryEntry[]> {
  const doc = new Y.Doc();
  const entries: HistoryEntry[] = [];
  let before: PlanJson = readPlan(doc);
  let fromVersion: number | null = 0;
  try {
    while (fromVersion !== null) {
      const page: { events: RawEvent[]; nextFromVersion: number | null } = await api.get(
        `${base}/events?fromVersion=${fromVersion}&limit=${PAGE}&binary=base64`,
        signal,
      );
      for (const event of page.events) {
        const common = {
          version: event.version,
          at: typeof event.metadata.at === 'string' ? event.metadata.at : '',
          actor: typeof event.metadata.actor === 'string' ? event.metadata.actor : '',
        };
        if (event.dataEncoding === 'base64' && typeof event.data === 'string') {
          Y.applyUpdate(doc, base64Bytes(event.data));
          const after = readPlan(doc);
          diffPlans(before, after).forEach((change, seq) =>
            entries.push({
              ...common,
              key: `${event.version}-${seq}`,
              kind: change.type,
              summary: describeChange(change),
              entity: { type: change.entity.type, id: change.entity.id },
            }),
          );
          before = after;
        } else {
          entries.push({
            ...common,
            key: `${event.version}-0`,
            kind: event.type,
            summary: describeJsonEvent(event),
          });
        }
      }
      fromVersion = page.nextFromVersion;
    }
  } finally {
    doc.destroy();
  }
  return entries;
}

function describeJsonEvent(event: RawEvent): string {
  const data = (typeof event.data === 'object' && event.data !== null ? event.data : {}) as Record<
    string,
    unknown
  >;
  switch (event.type) {
    case 'PlanCreated':
      return `plan created: "${String(data.title ?? '')}"`;
    case 'MemberGranted':
      return `member ${String(data.userId)} granted ${String(data.role)}`;
    case 'MemberRevoked':
      return `member ${String(data.userId)} revoked`;
    default:
      return `${event.type} recorded`;
  }
}

function base64Bytes(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}
