/**
 * Presence over Yjs awareness (relayed by the server, never stored): who has the plan open
 * and which cell each of them is on. Local state is `{user, cursor}`.
 */
import { useEffect, useState } from 'react';
import type { PlanConnection } from './plan-connection';

export interface PresenceUser {
  readonly id: string;
  readonly name: string;
  readonly color: string;
}

/** Where someone is: a cell of one of the plan's tables. */
export interface PresenceCursor {
  readonly view: string;
  readonly rowId: string;
  readonly field: string;
  readonly editing: boolean;
}

export interface Peer {
  readonly clientId: number;
  readonly user: PresenceUser;
  readonly cursor: PresenceCursor | null;
  readonly isMe: boolean;
}

const COLORS = [
  '#2563eb',
  '#db2777',
  '#059669',
  '#d97706',
  '#7c3aed',
  '#0891b2',
  '#dc2626',
  '#4d7c0f',
];

export function colorFor(userId: string): string {
  let hash = 0;
  for (const char of userId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return COLORS[hash % COLORS.length];
}

export function usePeers(connection: PlanConnection): readonly Peer[] {
  const [peers, setPeers] = useState<readonly Peer[]>(() => readPeers(connection));
  useEffect(() => {
    const awareness = connection.provider.awareness;
    const onChange = (): void => setPeers(readPeers(connection));
    awareness.on('change', onChange);
    onChange();
    return () => awareness.off('change', onChange);
  }, [connection]);
  return peers;
}

function readPeers(connection: PlanConnection): Peer[] {
  const awareness = connection.provider.awareness;
  const peers: Peer[] = [];
  for (const [clientId, state] of awareness.getStates()) {
    const user = (state as { user?: PresenceUser }).user;
    if (!user || typeof user.name !== 'string') continue;
    const cursor = (state as { cursor?: PresenceCursor | null }).cursor ?? null;
    peers.push({ clientId, user, cursor, isMe: clientId === awareness.clientID });
  }
  return peers.sort(
    (a, b) => Number(b.isMe) - Number(a.isMe) || a.user.name.localeCompare(b.user.name),
  );
}

export function setCursor(connection: PlanConnection, cursor: PresenceCursor | null): void {
  const awareness = connection.provider.awareness;
  const current =
    (awareness.getLocalState() as { cursor?: PresenceCursor | null } | null)?.cursor ?? null;
  if (sameCursor(current, cursor)) return;
  awareness.setLocalStateField('cursor', cursor);
}

function sameCursor(a: PresenceCursor | null, b: PresenceCursor | null): boolean {
  if (a === null || b === null) return a === b;
  return a.view === b.view && a.rowId === b.rowId && a.field === b.field && a.editing === b.editing;
}

/** The other people on a cell of `view`, keyed `rowId/field`. */
export function peersByCell(peers: readonly Peer[], view: string): Map<string, Peer[]> {
  const cells = new Map<string, Peer[]>();
  for (const peer of peers) {
    if (peer.isMe || !peer.cursor || peer.cursor.view !== view) continue;
    const key = `${peer.cursor.rowId}/${peer.cursor.field}`;
    cells.set(key, [...(cells.get(key) ?? []), peer]);
  }
  return cells;
}
