/**
 * REST rate-limit counters in Redis, so every node behind a load balancer counts the same
 * requests: a fixed window per key, `INCR` and its expiry in one script (atomic, one round
 * trip), under REDIS_PREFIX.
 */
import type { ThrottlerStorage } from '@nestjs/throttler';
import Redis from 'ioredis';

/** the record @nestjs/throttler's guard reads; times in seconds, as its in-memory storage gives them */
export interface ThrottlerCount {
  readonly totalHits: number;
  readonly timeToExpire: number;
  readonly isBlocked: boolean;
  readonly timeToBlockExpire: number;
}

// returns hits in the window and the window's remaining milliseconds
const COUNT_SCRIPT = `
local hits = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if hits == 1 or ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {hits, ttl}
`;

export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly redis: Redis;

  constructor(
    redisUrl: string,
    private readonly prefix: string,
    onError: (error: unknown) => void,
  ) {
    this.redis = new Redis(redisUrl, {
      connectionName: `${prefix}rate-limit`,
      // a request must not wait for Redis to come back: the counter fails, the request is refused
      maxRetriesPerRequest: 1,
    });
    this.redis.on('error', onError);
  }

  async increment(
    key: string,
    ttlMs: number,
    limit: number,
    _blockDurationMs: number,
    throttlerName: string,
  ): Promise<ThrottlerCount> {
    const [hits, remainingMs] = (await this.redis.eval(
      COUNT_SCRIPT,
      1,
      `${this.prefix}rate-limit:${throttlerName}:${key}`,
      String(ttlMs),
    )) as [number, number];
    const seconds = Math.max(1, Math.ceil(remainingMs / 1000));
    const blocked = hits > limit;
    return {
      totalHits: hits,
      timeToExpire: seconds,
      isBlocked: blocked,
      timeToBlockExpire: blocked ? seconds : 0,
    };
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
