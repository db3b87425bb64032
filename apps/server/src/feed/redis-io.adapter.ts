/**
 * socket.io server options for the shared port, and the Redis adapter when REDIS_URL is set
 * (opened by `FeedIoAdapter.create`, see feed-redis-adapter.ts).
 */
import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { ServerOptions, Server } from 'socket.io';
import type { AppConfig } from '@lib/config';
import type { FeedRedisAdapter } from './feed-redis-adapter';

export class FeedIoAdapter extends IoAdapter {
  static async create(
    app: INestApplicationContext,
    config: AppConfig,
    onRedisError: (error: unknown) => void,
  ): Promise<FeedIoAdapter> {
    if (!config.redisUrl) return new FeedIoAdapter(app, undefined);
    const { openFeedRedisAdapter } = await import('./feed-redis-adapter');
    return new FeedIoAdapter(
      app,
      openFeedRedisAdapter(config.redisUrl, config.redisPrefix, onRedisError),
    );
  }

  private constructor(
    app: INestApplicationContext,
    private readonly redis: FeedRedisAdapter | undefined,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    // /collab upgrades belong to the Yjs endpoint: engine.io must leave sockets it does not own alone
    const server = super.createIOServer(port, {
      ...options,
      destroyUpgrade: false,
    } as ServerOptions) as Server;
    if (this.redis) server.adapter(this.redis.adapter);
    return server;
  }

  override async close(server: Server): Promise<void> {
    await super.close(server);
    this.redis?.disconnect();
  }
}
