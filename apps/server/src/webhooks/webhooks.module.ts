/** Webhooks: subscriptions over HTTP, delivered from the change log by the lease holder. */
import { Inject, Logger, Module, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { PlanAccess, PlanMembership } from '@lib/auth';
import { APP_CONFIG, type AppConfig } from '@lib/config';
import { Projections } from '@lib/projections';
import { LocalChangeFeed, LocalChangeFeedModule } from '../feed/local-change-feed';
import { WebhookDispatcher, type WebhookScope } from './webhook-dispatcher';
import { WebhookStore } from './webhook-store';
import { WebhooksController } from './webhooks.controller';

/** what a subscription may receive, decided at delivery time: roles change after registration */
function ownerScope(
  access: PlanAccess,
  membership: PlanMembership,
  config: AppConfig,
): WebhookScope {
  return {
    planIds: async (subscription) => {
      const admin = access.mode === 'off' || config.adminUsers.includes(subscription.ownerId);
      if (admin) return subscription.plans === '*' ? undefined : subscription.plans;
      const owned = (await membership.plansOf(subscription.ownerId))
        .filter((plan) => plan.role === 'owner')
        .map((plan) => plan.planId);
      if (subscription.plans === '*') return owned;
      const listed = new Set(subscription.plans);
      return owned.filter((planId) => listed.has(planId));
    },
  };
}

@Module({
  imports: [LocalChangeFeedModule],
  controllers: [WebhooksController],
  providers: [
    {
      provide: WebhookStore,
      inject: [Projections],
      useFactory: async (projections: Projections) => {
        const store = new WebhookStore(projections.readModels);
        await store.migrate();
        return store;
      },
    },
    {
      provide: WebhookDispatcher,
      inject: [WebhookStore, Projections, LocalChangeFeed, PlanAccess, PlanMembership, APP_CONFIG],
      useFactory: (
        store: WebhookStore,
        projections: Projections,
        feed: LocalChangeFeed,
        access: PlanAccess,
        membership: PlanMembership,
        config: AppConfig,
      ) => {
        const logger = new Logger('Webhooks');
        return new WebhookDispatcher(
          store,
          projections.readModels,
          feed.source,
          ownerScope(access, membership, config),
          {
            maxAttempts: config.webhookMaxAttempts,
            baseMs: config.webhookRetryBaseMs,
            maxMs: config.webhookRetryMaxMs,
            timeoutMs: config.webhookTimeoutMs,
            pollIntervalMs: 1000,
            pageSize: 100,
          },
          { warn: (m) => logger.warn(m), error: (m) => logger.error(m) },
        );
      },
    },
  ],
})
export class WebhooksModule implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(@Inject(WebhookDispatcher) private readonly dispatcher: WebhookDispatcher) {}

  onApplicationBootstrap(): void {
    this.dispatcher.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.dispatcher.stop();
  }
}
