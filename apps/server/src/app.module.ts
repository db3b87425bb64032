/** Root module: wires configuration, logging, the event store and the HTTP/websocket surface. */
import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AuthModule } from '@lib/auth/nest';
import { DEFAULT_COLLAB_SETTINGS } from '@lib/collab';
import { ConfigModule, type AppConfig } from '@lib/config';
import { EventStoreModule } from '@lib/event-store/nest';
import { CollabModule } from './collab/collab.module';
import { HealthModule } from './health/health.module';
import { PlansModule } from './plans/plans.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            redact: ['req.headers.authorization', 'req.headers.cookie', 'req.query.token'],
            autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/metrics' },
          },
        }),
        EventStoreModule.forRoot(config),
        AuthModule.forRoot(config),
        CollabModule.forRoot(config, {
          ...DEFAULT_COLLAB_SETTINGS,
          maxMessageBytes: config.maxMessageBytes,
          idleUnloadMs: config.docIdleUnloadMs,
          snapshotEveryUpdates: config.snapshotEveryUpdates,
          snapshotIntervalMs: config.snapshotIntervalMs,
        }),
        HealthModule,
        PlansModule,
      ],
    };
  }
}
