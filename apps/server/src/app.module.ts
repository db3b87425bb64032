/** Root module: wires configuration, logging, the event store and the HTTP/websocket surface. */
import { Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AuthModule } from '@lib/auth/nest';
import { DEFAULT_COLLAB_SETTINGS } from '@lib/collab';
import { ConfigModule, type AppConfig } from '@lib/config';
import { EventStoreModule } from '@lib/event-store/nest';
import { AuditModule } from './audit/audit.module';
import { CollabModule } from './collab/collab.module';
import { HealthModule } from './health/health.module';
import { createRequestLog, REQUEST_LOG } from './http/request-log';
import { instrumentEventStore } from './metrics/instrumented-event-store';
import { MetricsModule } from './metrics/metrics.module';
import { ServerMetrics } from './metrics/server-metrics';
import { PlansModule } from './plans/plans.module';
import { CommentsModule } from './comments/comments.module';
import { ObjectivesModule } from './objectives/objectives.module';
import { ReportsModule } from './reports/reports.module';
import { ResourcesModule } from './resources/resources.module';
import { SchedulingModule } from './scheduling/scheduling.module';
import { ScopeModule } from './scope/scope.module';
import { ExchangeModule } from './exchange/exchange.module';
import { FeedModule } from './feed/feed.module';
import { ReadModelsModule } from './read-models/read-models.module';
import { FeedEventsModule } from './feed/feed-events.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { PortfolioModule } from './portfolio/portfolio.module';
import { RateLimitModule } from './http/rate-limit.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    const metrics = new ServerMetrics();
    const requestLog = createRequestLog(config.logLevel);
    return {
      module: AppModule,
      providers: [{ provide: REQUEST_LOG, useValue: requestLog }],
      exports: [REQUEST_LOG],
      imports: [
        ConfigModule.forRoot(config),
        // the Nest logger writes through the request log's logger; main.ts installs the request
        // log itself (see request-log.ts), so nestjs-pino binds no route
        LoggerModule.forRoot({ pinoHttp: { logger: requestLog.logger }, forRoutes: [] }),
        MetricsModule.forRoot(metrics),
        EventStoreModule.forRoot(config, (store) => instrumentEventStore(store, metrics)),
        AuthModule.forRoot(config),
        CollabModule.forRoot(config, {
          ...DEFAULT_COLLAB_SETTINGS,
          maxMessageBytes: config.maxMessageBytes,
          idleUnloadMs: config.docIdleUnloadMs,
          parkIdleMs: config.docParkIdleMs,
          snapshotEveryUpdates: config.snapshotEveryUpdates,
          snapshotIntervalMs: config.snapshotIntervalMs,
          maxDocBytes: config.maxDocBytes,
          maxConnectionsPerPlan: config.maxConnectionsPerPlan,
          maxConnectionsPerUser: config.maxConnectionsPerUser,
          rateLimitMessagesPerSec: config.rateLimitMessagesPerSec,
          rateLimitBurst: config.rateLimitBurst,
          maxSendBufferBytes: config.maxSendBufferBytes,
        }),
        AuditModule.forRoot(config),
        RateLimitModule.forRoot(config),
        HealthModule,
        // before PlansModule: `/objectives/status` and `/resources/allocation` must be matched
        // before the generic `/<collection>/:itemId` routes
        ObjectivesModule,
        ResourcesModule,
        ExchangeModule,
        PlansModule,
        CommentsModule,
        ScopeModule,
        SchedulingModule,
        ReportsModule,
        ReadModelsModule.forRoot(config),
        FeedModule,
        FeedEventsModule,
        WebhooksModule,
        PortfolioModule,
      ],
    };
  }
}
