/**
 * socket.io server options for the shared port, and the Redis adapter when REDIS_URL is set
 * so feed rooms and server-side signals span every node.
 */
import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import Redis from 'ioredis';
import type { ServerOptions, Server } from 'socket.io';
import type { AppConfig } from '@lib/config';

export class FeedIoAdapter extends IoAdapter {
  private clients: Redis[] = [];

  constructor(
    app: INestApplicationContext,
    private readonly config: AppConfig,
    private readonly onRedisError: (error: unknown) => void,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    // /collab upgrades belong to the Yjs endpoint: engine.io must leave sockets it does not own alone
    const server = super.createIOServer(port, {
      ...options,
      destroyUpgrade: false,
    } as ServerOptions) as Server;
    if (this.config.redisUrl) {
      const pub = new Redis(this.config.redisUrl, {
        connectionName: `${this.config.redisPrefix}feed-pub`,
      });
      const sub = pub.duplicate({ connectionName: `${this.config.redisPrefix}feed-sub` });
      for (const client of [pub, sub]) client.on('error', this.onRedisError);
      this.clients = [pub, sub];
      server.adapter(createAdapter(pub, sub, { key: `${this.config.redisPrefix}socket.io` }));
    }
    return server;
  }

  override async close(server: Server): Promise<void> {
    await super.close(server);
    for (const client of this.clients) client.disconnect();
  }
}
