/**
 * Audit and compliance (global, so `@RecordsRead` works on any controller): the signing key,
 * the read access log and the audit routes.
 */
import { DynamicModule, Global, Module } from '@nestjs/common';
import { AccessLog, AuditSigningKey, loadAuditSigningKey } from '@lib/audit';
import type { AppConfig } from '@lib/config';
import type { EventStore } from '@lib/event-store';
import { EVENT_STORE } from '@lib/event-store/nest';
import { AuditController } from './audit.controller';
import { ReadAuditInterceptor } from './read-audit';
import { RevisionsController } from './revisions.controller';

@Global()
@Module({})
export class AuditModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AuditModule,
      controllers: [AuditController, RevisionsController],
      providers: [
        { provide: AuditSigningKey, useFactory: () => loadAuditSigningKey(config) },
        {
          provide: AccessLog,
          inject: [EVENT_STORE],
          useFactory: (store: EventStore) => new AccessLog(store),
        },
        ReadAuditInterceptor,
      ],
      exports: [AuditSigningKey, AccessLog, ReadAuditInterceptor],
    };
  }
}
