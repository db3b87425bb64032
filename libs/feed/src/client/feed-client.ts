/**
 * Dashboard client for the change feed: subscribes, keeps the position of the last change it
 * handed over, and after any disconnect or `resume` notice subscribes again from exactly there.
 *
 *   const feed = connectFeed('http://localhost:3000', {
 *     token, plans: '*',
 *     onChange: (change) => render(change),          // each event once, in order
 *     onNotice: (notice) => refetch(notice.planId),   // timeline.changed, risks.changed, …
 *   });
 *   …
 *   feed.close();
 */
import { io, type Socket } from 'socket.io-client';
import type {
  FeedChange,
  FeedKind,
  FeedNotice,
  ResumeNotice,
  SubscribeAck,
} from '../feed-messages';
import { FEED_NAMESPACE } from '../feed-messages';

export interface FeedClientOptions {
  readonly token?: string;
  /** on a server started with AUTH=off: the user name to act as (ignored when a token is given) */
  readonly user?: string;
  readonly plans: readonly string[] | '*';
  /** start after this position (default 0: everything) */
  readonly from?: number;
  readonly kinds?: readonly FeedKind[];
  readonly onChange: (change: FeedChange) => void;
  readonly onNotice?: (notice: FeedNotice) => void;
  /** subscribed (with the position it started after), or an error the server reported */
  readonly onSubscribed?: (ack: SubscribeAck) => void;
  /** extra socket.io options, e.g. `{ transports: ['websocket'] }` */
  readonly socketOptions?: Record<string, unknown>;
}

export interface FeedClient {
  /** the position of the last change handed to onChange */
  readonly position: number;
  readonly socket: Socket;
  close(): void;
}

export function connectFeed(baseUrl: string, options: FeedClientOptions): FeedClient {
  let position = options.from ?? 0;
  const socket = io(`${baseUrl}${FEED_NAMESPACE}`, {
    auth: options.token ? { token: options.token } : options.user ? { user: options.user } : {},
    reconnectionDelayMax: 2000,
    ...options.socketOptions,
  });
  const subscribe = (): void => {
    socket.emit(
      'subscribe',
      { plans: options.plans, from: position, kinds: options.kinds },
      (ack: SubscribeAck) => options.onSubscribed?.(ack),
    );
  };
  socket.on('connect', subscribe);
  socket.on('change', (change: FeedChange) => {
    // a duplicate can only come from a subscription we already replaced; never hand it over twice
    if (change.position <= position) return;
    position = change.position;
    options.onChange(change);
  });
  socket.on('notice', (notice: FeedNotice) => options.onNotice?.(notice));
  // resubscribing from our own position (not the notice's) stays exact even if messages sent
  // before the notice were lost with a connection
  socket.on('resume', (_notice: ResumeNotice) => subscribe());
  return {
    get position() {
      return position;
    },
    socket,
    close: () => socket.close(),
  };
}
