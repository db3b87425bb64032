/**
 * Status reports and the communication plan. The report is built from the read models by the
 * same code the CLI uses (`statusReport` in libs/projections), rendered as JSON, Markdown or
 * one self-contained HTML page. Sent updates are recorded as StakeholderUpdateSent events; who
 * is due one follows from each stakeholder's cadence.
 */
import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Header,
  Inject,
  Param,
  Post,
  Query,
  Res,
  UseFilters,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Principal } from '@lib/auth';
import { CurrentPrincipal, PlanRole } from '@lib/auth/nest';
import { PlanCommands } from '@lib/collab';
import { APP_CONFIG, type AppConfig } from '@lib/config';
import { FoldedStates, handleCommand, type EventStore } from '@lib/event-store';
import { EVENT_STORE } from '@lib/event-store/nest';
import { stakeholderUpdatesDue } from '@lib/plan-domain';
import {
  PlanNotProjectedError,
  planStreamId,
  Projections,
  renderStatusReportHtml,
  renderStatusReportMarkdown,
  planRecordsDecider,
  type PlanRecordsState,
  STATUS_REPORT_READ_MODELS,
  statusReport,
} from '@lib/projections';
import { ReadModelErrorFilter } from '../read-models/read-model-errors.filter';
import { waitUntilFresh } from '../read-models/read-your-writes';
import { daysBefore, DayQueryDto, StatusReportQueryDto, todayUtc } from './day-query.dto';
import { RecordStakeholderUpdateDto } from './stakeholder-update.dto';

const CONTENT_TYPES = {
  json: 'application/json',
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
} as const;

@ApiTags('reports')
@ApiBearerAuth()
@UseFilters(ReadModelErrorFilter)
@Controller('plans/:id')
export class ReportsController {
  /** decider states folded so far, by plan stream: a command reads only newer events */
  private readonly folded = new FoldedStates<PlanRecordsState>();

  constructor(
    private readonly commands: PlanCommands,
    @Inject(Projections) private readonly projections: Projections,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('reports/status')
  @PlanRole('read')
  @ApiProduces('application/json', 'text/markdown', 'text/html')
  @ApiOperation({
    summary:
      'Status report for a period: progress vs baseline, milestones hit/missed/slipped, critical-path changes, top risks and their movement, budget burn, KPI movement, scope, over-allocation, open feedback, stakeholders due an update',
  })
  async status(
    @Param('id') planId: string,
    @Query() query: StatusReportQueryDto,
    @Res() response: Response,
  ): Promise<void> {
    await waitUntilFresh(this.projections, STATUS_REPORT_READ_MODELS, planId, query);
    const today = query.today ?? todayUtc();
    const since = query.since ?? daysBefore(today, 7);
    if (since.slice(0, 10) > today)
      throw new BadRequestException(`since (${since}) must not be after today (${today})`);
    const report = await statusReport(this.projections, planId, {
      since,
      today,
      audience: query.audience,
      scopeCreepThresholdPercent: this.config.scopeCreepThresholdPercent,
    });
    const format = query.format ?? 'json';
    response.status(200).type(CONTENT_TYPES[format]);
    if (format === 'json') response.json(report);
    else
      response.send(
        format === 'md' ? renderStatusReportMarkdown(report) : renderStatusReportHtml(report),
      );
  }

  @Get('communications/due')
  @PlanRole('read')
  @ApiOperation({
    summary:
      'Each stakeholder: cadence, last update sent, when the next is due and whether it is due as of `today`',
  })
  async due(@Param('id') planId: string, @Query() query: DayQueryDto) {
    await waitUntilFresh(this.projections, ['status-reports', 'timeline'], planId, query);
    const today = query.today ?? todayUtc();
    const history = await this.projections.statusReports.history(planId, today);
    const timeline = await this.projections.timeline.timeline(planId);
    if (!history || !timeline)
      throw new PlanNotProjectedError(
        planId,
        history ? 'timeline' : 'status-reports',
        this.projections.position('status-reports'),
      );
    return {
      today,
      stakeholders: stakeholderUpdatesDue({
        stakeholders: history.content.stakeholders,
        lastSent: await this.projections.statusReports.lastSent(planId),
        milestones: timeline.milestones.map((m) => ({ id: m.id, title: m.title, date: m.date })),
        planStart: timeline.planStart,
        today,
      }),
    };
  }

  @Post('communications')
  @PlanRole('edit')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Record that a status update went out to these stakeholders (StakeholderUpdateSent)',
  })
  async recordUpdate(
    @Param('id') planId: string,
    @Body() dto: RecordStakeholderUpdateDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const now = new Date().toISOString();
    const data = {
      stakeholderIds: [...new Set(dto.stakeholderIds)],
      sentAt: dto.sentAt === undefined ? now : new Date(dto.sentAt).toISOString(),
      note: dto.note,
    };
    const handled = await handleCommand(
      this.store,
      planStreamId(planId),
      planRecordsDecider,
      async () => {
        const { plan } = await this.commands.read(planId);
        const known = new Set(plan.stakeholders.map((s) => s.id));
        const unknown = dto.stakeholderIds.filter((id) => !known.has(id));
        if (unknown.length > 0)
          throw new BadRequestException(
            `stakeholderIds: ${unknown.join(', ')} are no stakeholders of plan ${planId}`,
          );
        return {
          type: 'RecordStakeholderUpdate' as const,
          planId,
          update: data,
          metadata: { actor: principal.userId, at: now },
        };
      },
      { cache: this.folded },
    );
    const result = handled.appended!;
    return { ...data, version: result.nextExpectedVersion, position: result.events[0].position };
  }
}
