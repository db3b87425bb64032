/**
 * Client helper for the opt-in acknowledgements (connect with `params: { ack: '1' }`):
 * tells a `WebsocketProvider` user when everything it sent is durable on the server.
 *
 *   const provider = new WebsocketProvider(url, planId, doc, {
 *     params: { token, ack: '1' },
 *     WebSocketPolyfill: ackCountingWebSocket(WebSocket),
 *   });
 *   const acks = trackDurableAcks(provider);
 *   acks.onChange(({ saved }) => render(saved ? 'all changes saved' : 'saving…'));
 *   await acks.whenSaved();
 *
 * The server acknowledges this connection's document updates (sync step 2 and update
 * messages) cumulatively and in order; the socket wrapper counts the ones sent on each
 * socket, so "saved" means: every update sent on the current socket is durable. Updates
 * made while disconnected are sent (and then acknowledged) after reconnecting.
 */
import * as decoding from 'lib0/decoding';
import type { WebsocketProvider } from 'y-websocket';
import { MESSAGE_ACK, MESSAGE_SYNC } from '../protocol/y-websocket-messages';

const SENT_UPDATES = Symbol('sentUpdates');
type CountingSocket = WebSocket & { [SENT_UPDATES]: number };

export interface AckState {
  /** updates sent on the current socket */
  readonly sent: number;
  /** of those, how many are durable */
  readonly acked: number;
  /** plan stream version of the newest acknowledged update */
  readonly streamVersion: number | undefined;
  readonly saved: boolean;
}

/** Wraps a WebSocket class so that sent document updates are counted per socket. */
export function ackCountingWebSocket<T extends typeof WebSocket>(Base: T): T {
  // the provider constructs sockets with `new WebSocketPolyfill(url)` and calls `send`
  const Counting = class extends (Base as typeof WebSocket) {
    [SENT_UPDATES] = 0;
    override send(data: Parameters<WebSocket['send']>[0]): void {
      if (data instanceof Uint8Array && isUpdateFrame(data)) this[SENT_UPDATES] += 1;
      super.send(data);
    }
  };
  return Counting as unknown as T;
}

function isUpdateFrame(frame: Uint8Array): boolean {
  const decoder = decoding.createDecoder(frame);
  if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return false;
  const syncType = decoding.readVarUint(decoder);
  return syncType === 1 || syncType === 2;
}

export interface DurableAcks {
  state(): AckState;
  onChange(listener: (state: AckState) => void): () => void;
  /** resolves once everything sent so far on the current socket is durable */
  whenSaved(): Promise<AckState>;
}

export function trackDurableAcks(provider: WebsocketProvider): DurableAcks {
  let acked = 0;
  let streamVersion: number | undefined;
  let socket: CountingSocket | null = null;
  const listeners = new Set<(state: AckState) => void>();

  const state = (): AckState => {
    const current = provider.ws as CountingSocket | null;
    if (current !== socket) {
      socket = current;
      acked = 0;
    }
    const sent = current?.[SENT_UPDATES] ?? 0;
    return { sent, acked, streamVersion, saved: current !== null && acked >= sent };
  };
  const notify = (): void => {
    const s = state();
    for (const listener of listeners) listener(s);
  };

  provider.messageHandlers[MESSAGE_ACK] = (_encoder, decoder) => {
    state();
    acked = decoding.readVarUint(decoder);
    streamVersion = decoding.readVarUint(decoder);
    notify();
  };
  provider.on('status', notify);

  return {
    state,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    whenSaved() {
      const now = state();
      if (now.saved) return Promise.resolve(now);
      return new Promise((resolve) => {
        const off = this.onChange((s) => {
          if (s.saved) {
            off();
            resolve(s);
          }
        });
      });
    },
  };
}
