/**
 * A full bench client: a Y.Doc behind the real provider of each dialect (y-websocket's
 * `WebsocketProvider`, Hocuspocus' `HocuspocusProvider`). Only a few of them run, to make the
 * edits and to prove the protocol works end to end (they must converge).
 */
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { HOCUSPOCUS, Y_WEBSOCKET, type CollabTarget } from './collab-wire';

export interface FullWriter {
  readonly doc: Y.Doc;
  /** resolves after the first full sync with the server */
  readonly ready: Promise<void>;
  destroy(): void;
}

export function connectWriter(target: CollabTarget, docName: string): FullWriter {
  const doc = new Y.Doc();
  if (target.dialect === Y_WEBSOCKET) {
    const provider = new WebsocketProvider(target.baseUrl, docName, doc, {
      // ws implements the WebSocket API the provider needs; the DOM type differs only in typings
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      // in Node every provider in this process would otherwise exchange updates over
      // BroadcastChannel and bypass the server
      disableBc: true,
    });
    const ready = new Promise<void>((resolve) => {
      if (provider.synced) resolve();
      provider.on('sync', (synced: boolean) => synced && resolve());
    });
    return { doc, ready, destroy: () => (provider.destroy(), doc.destroy()) };
  }
  if (target.dialect === HOCUSPOCUS) {
    let resolveReady: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => (resolveReady = resolve));
    // Node 20 has no global WebSocket, and only the socket object takes a polyfill
    const socket = new HocuspocusProviderWebsocket({
      url: target.baseUrl,
      WebSocketPolyfill: WebSocket,
    });
    const provider = new HocuspocusProvider({
      websocketProvider: socket,
      name: docName,
      document: doc,
      onSynced: () => resolveReady(),
    });
    // a provider given its socket does not attach itself
    provider.attach();
    return { doc, ready, destroy: () => (provider.destroy(), socket.destroy(), doc.destroy()) };
  }
  const unknown: never = target.dialect;
  throw new Error(`unknown dialect ${String(unknown)}`);
}
