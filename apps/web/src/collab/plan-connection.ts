/**
 * One live plan: a Y.Doc kept in sync over the standard y-websocket protocol on `/collab`,
 * with the server's durable acknowledgements (`ack=1`) telling when every local edit is stored.
 * Edits go straight into the Y.Doc through `PlanDoc`, so they are CRDT edits like any other
 * client's; the provider sends them and the server appends them before it acknowledges.
 */
import { ackCountingWebSocket, trackDurableAcks, type DurableAcks } from '@lib/collab/client';
import { PlanDoc, type PlanJson } from '@lib/plan-domain';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { collabParams, type Session } from '../session/session';
import { colorFor, type PresenceUser } from './presence';

export type LinkStatus = 'connecting' | 'connected' | 'disconnected' | 'closed';

export interface ConnectionState {
  readonly link: LinkStatus;
  /** the first sync with the server is done: the document shows the stored plan */
  readonly synced: boolean;
  /** every local edit sent on the current socket is durable on the server */
  readonly saved: boolean;
  /** local edits sent and not yet acknowledged */
  readonly unsaved: number;
  /** plan stream version of the newest acknowledged local edit */
  readonly streamVersion?: number;
  /** why the server ended the connection for good (close codes 4400–4499) */
  readonly closedReason?: string;
}

const CLOSE_REASONS: Readonly<Record<number, string>> = {
  4400: 'the server could not read a message from this editor',
  4401: 'your sign-in is missing, invalid or expired',
  4403: 'you have no role on this plan (or it was revoked)',
  4404: 'there is no plan with this id',
  4429: 'too many edits were waiting; reload to continue',
};

export function collabUrl(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/collab`;
}

export class PlanConnection {
  readonly doc = new Y.Doc();
  readonly plan: PlanDoc;
  readonly provider: WebsocketProvider;
  readonly me: PresenceUser;
  private readonly acks: DurableAcks;
  private state: ConnectionState = { link: 'connecting', synced: false, saved: true, unsaved: 0 };
  private readonly listeners = new Set<() => void>();
  private planJson: PlanJson | undefined;
  private readonly planListeners = new Set<() => void>();

  constructor(planId: string, session: Session) {
    this.plan = new PlanDoc(this.doc);
    this.me = { id: session.userId, name: session.displayName, color: colorFor(session.userId) };
    this.provider = new WebsocketProvider(collabUrl(), planId, this.doc, {
      params: collabParams(session),
      WebSocketPolyfill: ackCountingWebSocket(WebSocket),
      // every edit goes through the server, so "saved" always means stored
      disableBc: true,
      maxBackoffTime: 2500,
    });
    this.acks = trackDurableAcks(this.provider);
    this.provider.awareness.setLocalStateField('user', this.me);

    this.provider.on('status', ({ status }) => {
      if (this.state.link !== 'closed') this.update({ link: status });
    });
    this.provider.on('sync', (synced) => this.update({ synced }));
    this.provider.on('closed', ({ code, reason }) =>
      this.update({
        link: 'closed',
        closedReason: CLOSE_REASONS[code] ?? (reason || `closed with code ${code}`),
      }),
    );
    this.acks.onChange(() => this.update({}));
    // registered after the provider's own handler, so the update is already counted as sent
    this.doc.on('update', (_update: Uint8Array, origin: unknown) => {
      this.planJson = undefined;
      if (origin !== this.provider) this.update({});
      for (const listener of this.planListeners) listener();
    });
  }

  getState = (): ConnectionState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The plan as plain JSON, recomputed once per document change. */
  getPlan = (): PlanJson => (this.planJson ??= this.plan.toJSON());

  subscribePlan = (listener: () => void): (() => void) => {
    this.planListeners.add(listener);
    return () => this.planListeners.delete(listener);
  };

  destroy(): void {
    this.listeners.clear();
    this.planListeners.clear();
    this.provider.awareness.setLocalState(null);
    this.provider.destroy();
    this.doc.destroy();
  }

  private update(patch: Partial<ConnectionState>): void {
    const acks = this.acks.state();
    const next: ConnectionState = {
      ...this.state,
      ...patch,
      saved: acks.saved,
      unsaved: Math.max(0, acks.sent - acks.acked),
      streamVersion: acks.streamVersion ?? this.state.streamVersion,
    };
    if (shallowEqual(next, this.state)) return;
    this.state = next;
    for (const listener of this.listeners) listener();
  }
}

function shallowEqual(a: ConnectionState, b: ConnectionState): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof ConnectionState>;
  for (const key of keys) if (a[key] !== b[key]) return false;
  return true;
}
