/**
 * Audit surface: the public key that signs audit exports, and who read a plan's audit trail.
 */
import { Body, Controller, Get, Header, Inject, Param, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  AccessLog,
  AuditSigningKey,
  retentionSetEvent,
  retentionStatus,
  retentionStreamId,
} from '@lib/audit';
import type { Principal } from '@lib/auth';
import { CurrentPrincipal, PlanRole, Public } from '@lib/auth/nest';
import type { EventStore } from '@lib/event-store';
import { EVENT_STORE } from '@lib/event-store/nest';
import { AccessLogQueryDto, PublicKeyQueryDto, RetentionDto } from './audit-query.dto';
import { RecordsRead } from './read-audit';

@ApiTags('audit')
@ApiBearerAuth()
@Controller()
export class AuditController {
  constructor(
    private readonly signingKey: AuditSigningKey,
    private readonly accessLog: AccessLog,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Get('audit/public-key')
  @Public()
  @Header('Cache-Control', 'no-cache')
  @ApiOperation({
    summary:
      'The Ed25519 public key that signs audit exports (`?format=pem` for the bare PEM, as `verify-export --public-key` reads it)',
  })
  publicKey(@Query() query: PublicKeyQueryDto, @Res({ passthrough: true }) response: Response) {
    const key = this.signingKey.publicKey;
    if (query.format === 'pem') {
      response.type('application/x-pem-file');
      return key.pem;
    }
    return {
      algorithm: 'Ed25519',
      format: 'spki-pem',
      fingerprint: key.fingerprint,
      publicKey: key.pem,
    };
  }

  @Get('plans/:id/access-log')
  @PlanRole('audit')
  @RecordsRead('access-log')
  @ApiOperation({
    summary:
      'Who read this plan’s audit trail (history, state, events, verify, attribution, exports), when and with which query; paged by stream version',
  })
  async accessLogOf(@Param('id') planId: string, @Query() query: AccessLogQueryDto) {
    const page = await this.accessLog.list(planId, {
      fromVersion: query.fromVersion,
      limit: query.limit,
    });
    return { planId, ...page };
  }

  @Put('plans/:id/retention')
  @PlanRole('manage')
  @ApiOperation({
    summary:
      'Keep the plan’s history this many days after it is archived; then `npm run cli -- retention` purges it under a signed tombstone',
  })
  async setRetention(
    @Param('id') planId: string,
    @Body() dto: RetentionDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    await this.store.appendToStream(retentionStreamId(planId), [
      retentionSetEvent(dto.retainDays, principal.userId, new Date().toISOString()),
    ]);
    return retentionStatus(this.store, planId, new Date());
  }

  @Get('plans/:id/retention')
  @PlanRole('audit')
  @ApiOperation({
    summary:
      'The plan’s retention: retainDays, archivedAt, when it is due, what a purge would remove',
  })
  async retention(@Param('id') planId: string) {
    return retentionStatus(this.store, planId, new Date());
  }
}
