/**
 * A loopback TCP proxy between the server and a dependency (PostgreSQL), so a test can cut
 * the network and restore it without touching the shared database server:
 *
 *   const proxy = await startTcpProxy('127.0.0.1', 5432);   // connect to proxy.port instead
 *   proxy.down();   // every open connection is reset, new ones are refused
 *   proxy.up();     // connections pass again
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  readonly port: number;
  readonly isUp: boolean;
  /** connections accepted since start */
  readonly accepted: number;
  /** resets every open connection and refuses new ones until `up()` */
  down(): void;
  up(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let up = true;
  let accepted = 0;
  const server: Server = createServer((client) => {
    if (!up) {
      client.resetAndDestroy();
      return;
    }
    accepted += 1;
    const upstream = connect(targetPort, targetHost);
    open.add(client);
    open.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    port,
    get isUp() {
      return up;
    },
    get accepted() {
      return accepted;
    },
    down() {
      up = false;
      for (const socket of open) socket.resetAndDestroy();
      open.clear();
    },
    up() {
      up = true;
    },
    async close() {
      up = false;
      for (const socket of open) socket.destroy();
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
