/**
 * Audit surface: the public key that signs audit exports, and who read a plan's audit trail.
 */
import { Controller, Get, Header, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AccessLog, AuditSigningKey } from '@lib/audit';
import { PlanRole, Public } from '@lib/auth/nest';
import { AccessLogQueryDto, PublicKeyQueryDto } from './audit-query.dto';
import { RecordsRead } from './read-audit';

@ApiTags('audit')
@ApiBearerAuth()
@Controller()
export class AuditController {
  constructor(
    private readonly signingKey: AuditSigningKey,
    private readonly accessLog: AccessLog,
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
}
