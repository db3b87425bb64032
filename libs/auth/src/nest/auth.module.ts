/**
 * Nest wiring for auth (global): TokenService, PlanMembership (started on init, stopped
 * before the event store closes), PlanAccess and the HTTP guard.
 *
 *   AuthModule.forRoot(config)   // after EventStoreModule.forRoot(config)
 */
import {
  BeforeApplicationShutdown,
  DynamicModule,
  Global,
  Inject,
  Logger,
  Module,
  OnModuleInit,
} from '@nestjs/common';
import type { AuthMode } from '@lib/config';
import type { EventStore } from '@lib/event-store';
import { EVENT_STORE } from '@lib/event-store/nest';
import { PlanAccess } from '../access/plan-access';
import { PlanMembership } from '../membership/plan-membership';
import { loadJwtSecret } from '../tokens/jwt-secret';
import { CalendarFeedTokens } from '../tokens/calendar-feed-token';
import { TokenService } from '../tokens/token.service';
import { PlanAccessGuard } from './plan-access.guard';

export interface AuthSettings {
  readonly auth: AuthMode;
  readonly authJwtSecret: string | undefined;
  readonly dataDir: string;
  /** how long a decision waits for the membership view to see acknowledged appends */
  readonly membershipFreshnessTimeoutMs?: number;
}

export const AUTH_SETTINGS = Symbol('AUTH_SETTINGS');

@Global()
@Module({})
export class AuthModule implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('Auth');

  constructor(
    @Inject(PlanMembership) private readonly membership: PlanMembership,
    @Inject(AUTH_SETTINGS) private readonly settings: AuthSettings,
  ) {}

  static forRoot(settings: AuthSettings): DynamicModule {
    const logger = new Logger('Auth');
    return {
      module: AuthModule,
      providers: [
        { provide: AUTH_SETTINGS, useValue: settings },
        {
          provide: TokenService,
          useFactory: () => new TokenService(loadJwtSecret(settings, logger)),
        },
        {
          provide: CalendarFeedTokens,
          // after TokenService: a secret it generated is read back here, not generated twice
          inject: [TokenService],
          useFactory: () => new CalendarFeedTokens(loadJwtSecret(settings, logger)),
        },
        {
          provide: PlanMembership,
          inject: [EVENT_STORE],
          useFactory: (store: EventStore) =>
            new PlanMembership(store, {
              log: logger,
              freshnessTimeoutMs: settings.membershipFreshnessTimeoutMs,
            }),
        },
        {
          provide: PlanAccess,
          inject: [TokenService, PlanMembership],
          useFactory: (tokens: TokenService, membership: PlanMembership) =>
            new PlanAccess(settings.auth, tokens, membership),
        },
        PlanAccessGuard,
      ],
      exports: [TokenService, CalendarFeedTokens, PlanMembership, PlanAccess, PlanAccessGuard],
    };
  }

  onModuleInit(): void {
    if (this.settings.auth === 'off') {
      this.logger.warn(
        'AUTH=off: every request is allowed as owner of every plan; never expose this server',
      );
    }
    this.membership.start();
  }

  // before, not on, shutdown: EventStoreModule closes the store in onApplicationShutdown
  async beforeApplicationShutdown(): Promise<void> {
    await this.membership.stop();
  }
}
