/**
 * Plans in and out: import a file as a new plan (MSPDI, CSV, JSON), export a plan in those
 * formats, and the iCalendar feed with its per-user token. The conversions are
 * @lib/plan-exchange's; this controller reads the upload, appends the events and answers.
 */
import {
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import {
  CalendarFeedTokens,
  canRead,
  ForbiddenError,
  newMembershipEvent,
  PlanMembership,
  UnauthenticatedError,
  type Principal,
} from '@lib/auth';
import { Authenticated, CurrentPrincipal, PlanRole, UrlToken } from '@lib/auth/nest';
import { PlanCommands } from '@lib/collab';
import { APP_CONFIG, type AppConfig } from '@lib/config';
import type { EventStore } from '@lib/event-store';
import { EVENT_STORE } from '@lib/event-store/nest';
import { planStreamId } from '@lib/plan-domain';
import { Projections } from '@lib/projections';
import {
  ImportRefusedError,
  detectFormat,
  exportPlan,
  importPlanText,
  importedPlanEvents,
  writePlanCalendar,
} from '@lib/plan-exchange';
import {
  CalendarFeedQueryDto,
  ExportPlanQueryDto,
  ImportPlanQueryDto,
  importOptionsOf,
} from './exchange.dto';
import { readPlanUpload } from './plan-upload';

const today = (): string => new Date().toISOString().slice(0, 10);

@ApiTags('plans')
@ApiBearerAuth()
@Controller('plans')
export class ExchangeController {
  constructor(
    private readonly commands: PlanCommands,
    private readonly membership: PlanMembership,
    private readonly feeds: CalendarFeedTokens,
    @Inject(Projections) private readonly projections: Projections,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('import')
  @Authenticated()
  @ApiConsumes('multipart/form-data', 'application/xml', 'text/csv', 'application/json')
  @ApiOperation({
    summary:
      'Import a plan file (MSPDI, CSV, JSON) as a new plan owned by the caller: multipart (field "file") or the raw body. ' +
      'Its history starts with PlanImported; the answer carries the import report.',
  })
  async importPlan(
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @Query() query: ImportPlanQueryDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const upload = await readPlanUpload(request, response, this.config.maxImportBytes);
    const options = importOptionsOf(query, upload.fields);
    const fileName = options.fileName ?? upload.fileName;
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(upload.content);
    } catch {
      throw new ImportRefusedError(
        detectFormat('', { ...options, fileName, contentType: upload.contentType }),
        [{ at: 'file', message: 'the file is not UTF-8 text; save it as UTF-8 and upload again' }],
      );
    }
    const imported = importPlanText(text, {
      format: options.format,
      fileName,
      contentType: upload.contentType,
      title: options.title,
      planStart: options.start,
    });
    const planId = options.id ?? randomUUID();
    const metadata = { actor: principal.userId, at: new Date().toISOString() };
    const result = await this.store.appendToStream(
      planStreamId(planId),
      importedPlanEvents(
        imported,
        planId,
        principal.userId,
        { fileName, content: upload.content },
        metadata,
      ),
      { expectedVersion: 'no_stream' },
    );
    return {
      id: planId,
      version: result.nextExpectedVersion,
      title: imported.plan.meta.title,
      url: `/p/${encodeURIComponent(planId)}`,
      report: imported.report,
    };
  }

  @Get(':id/export')
  @PlanRole('read')
  @ApiOperation({
    summary: 'The plan as MSPDI (MS Project XML), CSV of tasks, or JSON, as a download',
  })
  async exportPlan(
    @Param('id') planId: string,
    @Query() query: ExportPlanQueryDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    const { plan } = await this.commands.read(planId);
    const format = query.format ?? 'json';
    // newest first: MSPDI's Baseline0 is the one variance is measured against
    const baselines =
      format === 'mspdi' ? (await this.projections.timeline.baselineData(planId)).reverse() : [];
    const exported = exportPlan(plan, format, { fallbackStart: today(), baselines });
    const name =
      (plan.meta.title || planId).replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'plan';
    response.setHeader('Content-Type', exported.contentType);
    response.setHeader(
      'Content-Disposition',
      `attachment; filename="${name}.${exported.extension}"`,
    );
    return exported.body;
  }

  @Post(':id/calendar-feed')
  @PlanRole('read')
  @ApiOperation({
    summary:
      "Issue the caller's calendar feed URL for the plan (read-only, no other token needed); a new one replaces the previous",
  })
  async issueCalendarFeed(@Param('id') planId: string, @CurrentPrincipal() principal: Principal) {
    const feedId = CalendarFeedTokens.newFeedId();
    const result = await this.store.appendToStream(planStreamId(planId), [
      newMembershipEvent(
        { type: 'CalendarFeedIssued', data: { userId: principal.userId, feedId } },
        { actor: principal.userId, at: new Date().toISOString() },
      ),
    ]);
    const token = this.feeds.mint(planId, { userId: principal.userId, feedId });
    return {
      planId,
      userId: principal.userId,
      token,
      url: `/plans/${encodeURIComponent(planId)}/calendar.ics?token=${token}`,
      version: result.nextExpectedVersion,
    };
  }

  @Delete(':id/calendar-feed')
  @PlanRole('read')
  @HttpCode(200)
  @ApiOperation({ summary: "Revoke the caller's calendar feed URL for the plan" })
  async revokeCalendarFeed(@Param('id') planId: string, @CurrentPrincipal() principal: Principal) {
    const result = await this.store.appendToStream(planStreamId(planId), [
      newMembershipEvent(
        { type: 'CalendarFeedRevoked', data: { userId: principal.userId } },
        { actor: principal.userId, at: new Date().toISOString() },
      ),
    ]);
    return { planId, userId: principal.userId, revoked: true, version: result.nextExpectedVersion };
  }

  @Get(':id/calendar.ics')
  @UrlToken()
  @ApiOperation({
    summary:
      'The plan as an iCalendar feed (tasks and milestones, all-day events); ?token= from POST /plans/:id/calendar-feed',
  })
  async calendar(
    @Param('id') planId: string,
    @Query() query: CalendarFeedQueryDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    if (!query.token) throw new UnauthenticatedError('missing', 'a calendar feed needs ?token=');
    const claim = this.feeds.read(planId, query.token);
    if (!claim)
      throw new UnauthenticatedError('bad-signature', 'not a calendar feed token of this plan');
    if ((await this.membership.calendarFeedOf(planId, claim.userId)) !== claim.feedId)
      throw new UnauthenticatedError('expired', 'this calendar feed was revoked or replaced');
    const role = await this.membership.roleOf(planId, claim.userId);
    if (this.config.auth === 'on' && (!role || !canRead(role)))
      throw new ForbiddenError(planId, claim.userId, 'read', 'no role on the plan');
    const { plan } = await this.commands.read(planId);
    response.setHeader('Content-Type', 'text/calendar; charset=utf-8');
    response.setHeader('Cache-Control', 'private, max-age=300');
    return writePlanCalendar(plan, {
      planId,
      generatedAt: new Date().toISOString(),
      fallbackStart: today(),
    });
  }
}
