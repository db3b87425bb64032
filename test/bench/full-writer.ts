/**
 * A full bench client: a Y.Doc behind the real provider of each dialect (y-websocket's
 * `WebsocketProvider`, Hocuspocus' `HocuspocusProvider` of the server's major version). Only a
 * few of them run, to make the edits and to prove the protocol works end to end (they must
 * converge).
 */
import * as hocuspocus3 from '@hocuspocus/provider';
import * as hocuspocus4 from 'hocuspocus-provider-v4';
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
    const disconnect = (target.providerMajor === 4 ? connectHocuspocus4 : connectHocuspocus3)(
      target.baseUrl,
      docName,
      doc,
      () => resolveReady(),
    );
    return { doc, ready, destroy: () => (disconnect(), doc.destroy()) };
  }
  const unknown: never = target;
  throw new Error(`unknown dialect ${JSON.stringify(unknown)}`);
}

/** returns what closes the provider and its socket */
type ConnectHocuspocus = (
  url: string,
  docName: string,
  doc: Y.Doc,
  onSynced: () => void,
) => () => void;

const connectHocuspocus3: ConnectHocuspocus = (url, docName, doc, onSynced) => {
  // Node 20 has no global WebSocket, and only the socket object takes a polyfill
  const socket = new hocuspocus3.HocuspocusProviderWebsocket({ url, WebSocketPolyfill: WebSocket });
  const provider = new hocuspocus3.HocuspocusProvider({
    websocketProvider: socket,
    name: docName,
    document: doc,
    onSynced,
  });
  // a provider given its socket does not attach itself
  provider.attach();
  return () => (provider.destroy(), socket.destroy());
};

/**
 * 4.x kept the options and attach() used here; its `sessionAwareness` stays off (the default),
 * so its messages carry the plain document name as 3.x's do.
 */
const connectHocuspocus4: ConnectHocuspocus = (url, docName, doc, onSynced) => {
  const socket = new hocuspocus4.HocuspocusProviderWebsocket({ url, WebSocketPolyfill: WebSocket });
  const provider = new hocuspocus4.HocuspocusProvider({
    websocketProvider: socket,
    name: docName,
    document: doc,
    onSynced,
  });
  provider.attach();
  return () => (provider.destroy(), socket.destroy());
};
