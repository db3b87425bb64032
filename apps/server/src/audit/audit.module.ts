/**
 * Audit and compliance (global, so `@RecordsRead` works on any controller): the signing key,
 * the read access log and the audit routes.
 */
import {
  DynamicModule,
  Global,
  Inject,
  MiddlewareConsumer,
  Module,
  NestModule,
  OnApplicationShutdown,
  RequestMethod,
} from '@nestjs/common';
import {
  AccessLog,
  AuditSigningKey,
  loadAuditSigningKey,
  openSubjectKeyStore,
  PersonalData,
  type SubjectKeyStore,
} from '@lib/audit';
import type { AppConfig } from '@lib/config';
import type { EventStore } from '@lib/event-store';
import { EVENT_STORE } from '@lib/event-store/nest';
import { AuditController } from './audit.controller';
import { PersonalDataMiddleware } from './personal-data.middleware';
import { ReadAuditInterceptor } from './read-audit';
import { RevisionsController } from './revisions.controller';
import { SubjectsController } from './subjects.controller';

const SUBJECT_KEY_STORE = Symbol('SUBJECT_KEY_STORE');

@Global()
@Module({})
export class AuditModule implements NestModule, OnApplicationShutdown {
  constructor(@Inject(SUBJECT_KEY_STORE) private readonly keys: SubjectKeyStore) {}

  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AuditModule,
      controllers: [AuditController, RevisionsController, SubjectsController],
      providers: [
        { provide: SUBJECT_KEY_STORE, useFactory: () => openSubjectKeyStore(config) },
        {
          provide: PersonalData,
          inject: [SUBJECT_KEY_STORE],
          useFactory: (keys: SubjectKeyStore) => new PersonalData(keys, config.personalData),
        },
        { provide: AuditSigningKey, useFactory: () => loadAuditSigningKey(config) },
        {
          provide: AccessLog,
          inject: [EVENT_STORE],
          useFactory: (store: EventStore) => new AccessLog(store),
        },
        ReadAuditInterceptor,
      ],
      exports: [AuditSigningKey, AccessLog, ReadAuditInterceptor, PersonalData],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(PersonalDataMiddleware).forRoutes({ path: '*path', method: RequestMethod.ALL });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.keys.close();
  }
}
