/**
 * A loopback TCP proxy between the server and a dependency (PostgreSQL), so a test can cut
 * the network and restore it without touching the shared database server:
 *
 *   const proxy = await startTcpProxy('127.0.0.1', 5432);   // connect to proxy.port instead
 *   proxy.down();       // every open connection is reset, new ones are refused
 *   proxy.blackHole();  // nothing passes and nothing closes, like a partition that never resets
 *   proxy.up();         // connections pass again
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  readonly port: number;
  readonly isUp: boolean;
  /** connections accepted since start */
  readonly accepted: number;
  /** resets every open connection and refuses new ones until `up()` */
  down(): void;
  /**
   * Stops forwarding in both directions until `up()`, without resetting or closing anything:
   * bytes wait in the socket buffers, new connections are accepted but get no answer, and a side
   * that closes meanwhile is not seen by the other, as on a network that silently drops packets.
   * `up()` lets the waiting bytes through; connections one side closed meanwhile are closed then.
   */
  blackHole(): void;
  up(): void;
  close(): Promise<void>;
}

interface Link {
  readonly client: Socket;
  readonly upstream: Socket;
  /** one side closed or failed while black-holed; the other learns of it on `up()` */
  dropped: boolean;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const links = new Set<Link>();
  let state: 'up' | 'down' | 'black-hole' = 'up';
  let accepted = 0;

  const forward = (link: Link): void => {
    link.client.pipe(link.upstream);
    link.upstream.pipe(link.client);
  };
  const hold = (link: Link): void => {
    link.client.unpipe(link.upstream);
    link.upstream.unpipe(link.client);
    link.client.pause();
    link.upstream.pause();
  };
  const destroy = (link: Link, reset: boolean): void => {
    links.delete(link);
    for (const socket of [link.client, link.upstream]) {
      if (reset) socket.resetAndDestroy();
      else socket.destroy();
    }
  };

  const server: Server = createServer((client) => {
    if (state === 'down') {
      client.resetAndDestroy();
      return;
    }
    accepted += 1;
    const link: Link = { client, upstream: connect(targetPort, targetHost), dropped: false };
    links.add(link);
    const drop = (): void => {
      if (state === 'black-hole') link.dropped = true;
      else destroy(link, false);
    };
    client.on('error', drop).on('close', drop);
    link.upstream.on('error', drop).on('close', drop);
    if (state === 'black-hole') hold(link);
    else forward(link);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    port,
    get isUp() {
      return state === 'up';
    },
    get accepted() {
      return accepted;
    },
    down() {
      state = 'down';
      for (const link of [...links]) destroy(link, true);
    },
    blackHole() {
      if (state !== 'up') return;
      state = 'black-hole';
      for (const link of links) hold(link);
    },
    up() {
      const wasBlackHoled = state === 'black-hole';
      state = 'up';
      if (!wasBlackHoled) return;
      for (const link of [...links]) {
        if (link.dropped) destroy(link, false);
        else forward(link);
      }
    },
    async close() {
      state = 'down';
      for (const link of [...links]) destroy(link, false);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** the same connection string, pointed at the proxy */
export function viaProxy(databaseUrl: string, proxy: TcpProxy): string {
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String(proxy.port);
  return url.toString();
}
