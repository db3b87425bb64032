/**
 * REST rate limits (@nestjs/throttler): HTTP_RATE_LIMIT requests per HTTP_RATE_LIMIT_WINDOW_MS
 * per caller over all routes, answered 429 with `Retry-After` beyond it. A caller is the
 * verified token's user, else the client address (so a forged token buys no fresh budget).
 * Counters live in Redis when REDIS_URL is set (shared by every node), in memory otherwise.
 * Off (HTTP_RATE_LIMIT=0) by default; health and metrics are never limited.
 */
import {
  DynamicModule,
  Inject,
  Injectable,
  Logger,
  Module,
  OnApplicationShutdown,
  Optional,
  type ExecutionContext,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule, ThrottlerStorageService } from '@nestjs/throttler';
import { bearerToken, PlanAccess } from '@lib/auth';
import type { AppConfig } from '@lib/config';
import { RedisThrottlerStorage } from './redis-throttler-storage';

const UNLIMITED_PATHS = new Set(['/health', '/metrics']);

@Injectable()
class CallerThrottlerGuard extends ThrottlerGuard {
  @Inject(PlanAccess) private readonly access!: PlanAccess;

  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    try {
      const headers = request.headers as Record<string, string | undefined>;
      const token = bearerToken(headers.authorization);
      if (token) return `user:${this.access.authenticate(token).userId}`;
    } catch {
      // not a valid token: counted by address like any anonymous caller
    }
    return `ip:${String(request.ip)}`;
  }

  /** one budget per caller across all routes, not one per route */
  protected override generateKey(
    _context: ExecutionContext,
    tracker: string,
    name: string,
  ): string {
    return `${name}:${tracker}`;
  }
}

const RATE_LIMIT_REDIS = Symbol('RATE_LIMIT_REDIS');

@Module({})
export class RateLimitModule implements OnApplicationShutdown {
  constructor(
    @Optional() @Inject(RATE_LIMIT_REDIS) private readonly redis?: RedisThrottlerStorage,
  ) {}

  static forRoot(config: AppConfig): DynamicModule {
    if (config.httpRateLimit === 0) return { module: RateLimitModule };
    const logger = new Logger('RateLimit');
    const storage = config.redisUrl
      ? new RedisThrottlerStorage(config.redisUrl, config.redisPrefix, (error) =>
          logger.warn({ err: error }, 'redis error in the rate limiter'),
        )
      : new ThrottlerStorageService();
    return {
      module: RateLimitModule,
      imports: [
        ThrottlerModule.forRoot({
          throttlers: [{ limit: config.httpRateLimit, ttl: config.httpRateLimitWindowMs }],
          storage,
          skipIf: (context) =>
            UNLIMITED_PATHS.has(context.switchToHttp().getRequest<{ path: string }>().path),
          errorMessage: `too many requests: at most ${config.httpRateLimit} per ${config.httpRateLimitWindowMs} ms`,
        }),
      ],
      providers: [
        { provide: APP_GUARD, useClass: CallerThrottlerGuard },
        ...(storage instanceof RedisThrottlerStorage
          ? [{ provide: RATE_LIMIT_REDIS, useValue: storage }]
          : []),
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.close();
  }
}
