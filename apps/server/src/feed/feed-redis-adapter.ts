/**
 * The socket.io Redis adapter, so feed rooms and server-side signals span every node. Its own
 * module, imported only when REDIS_URL is set: a single node never loads the Redis client.
 */
import { createAdapter } from '@socket.io/redis-adapter';
import Redis from 'ioredis';

export interface FeedRedisAdapter {
  readonly adapter: ReturnType<typeof createAdapter>;
  disconnect(): void;
}

export function openFeedRedisAdapter(
  redisUrl: string,
  redisPrefix: string,
  onError: (error: unknown) => void,
): FeedRedisAdapter {
  const pub = new Redis(redisUrl, { connectionName: `${redisPrefix}feed-pub` });
  const sub = pub.duplicate({ connectionName: `${redisPrefix}feed-sub` });
  for (const client of [pub, sub]) client.on('error', onError);
  return {
    adapter: createAdapter(pub, sub, { key: `${redisPrefix}socket.io` }),
    disconnect: () => {
      for (const client of [pub, sub]) client.disconnect();
    },
  };
}
