/**
 * `@RecordsRead('state')` on a plan route: a successful read is recorded in the plan's access
 * log before the response leaves, so no audit data is served that the log does not show.
 * A read that cannot be recorded fails (5xx) rather than going unrecorded.
 */
import {
  applyDecorators,
  CallHandler,
  ExecutionContext,
  Inject,
  Injectable,
  NestInterceptor,
  SetMetadata,
  UseInterceptors,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { concatMap, type Observable } from 'rxjs';
import { AccessLog, type AuditedRead } from '@lib/audit';
import type { GuardedRequest } from '@lib/auth/nest';

const RECORDED_READ = 'plan-collab:recorded-read';

@Injectable()
export class ReadAuditInterceptor implements NestInterceptor {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AccessLog) private readonly accessLog: AccessLog,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const what = this.reflector.get<AuditedRead | undefined>(RECORDED_READ, context.getHandler());
    const request = context.switchToHttp().getRequest<GuardedRequest>();
    const access = request.auth?.access;
    if (what === undefined || access === undefined)
      throw new Error('@RecordsRead() needs a route guarded by @PlanRole()');
    const query = Object.fromEntries(
      Object.entries(request.query ?? {})
        .filter(([, v]) => typeof v === 'string')
        .map(([k, v]) => [k, String(v)]),
    );
    return next.handle().pipe(
      concatMap(async (body: unknown) => {
        await this.accessLog.record(access.planId, {
          who: access.principal.userId,
          role: access.role,
          what,
          query,
          via: 'http',
          when: new Date().toISOString(),
        });
        return body;
      }),
    );
  }
}

export const RecordsRead = (what: AuditedRead) =>
  applyDecorators(SetMetadata(RECORDED_READ, what), UseInterceptors(ReadAuditInterceptor));
