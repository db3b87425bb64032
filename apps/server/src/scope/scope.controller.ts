/**
 * Baselines and scope: capture the plan's schedule as a named baseline (a BaselineCaptured
 * event, appended only if the plan did not change since it was read), and the scope change
 * since the latest one — items added and removed with who did it, effort, cost and finish
 * deltas, and whether growth passed SCOPE_CREEP_THRESHOLD_PERCENT.
 */
import { Body, Controller, Get, Inject, Param, Post, Query, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import type { Principal } from '@lib/auth';
import { CurrentPrincipal, PlanRole } from '@lib/auth/nest';
import { PlanCommands } from '@lib/collab';
import { APP_CONFIG, type AppConfig } from '@lib/config';
import type { EventStore } from '@lib/event-store';
import { EVENT_STORE } from '@lib/event-store/nest';
import {
  baselineCapturedEvent,
  captureBaseline,
  PlanNotProjectedError,
  planStreamId,
  Projections,
} from '@lib/projections';
import { FreshnessQueryDto } from '../read-models/dto/read-model-query.dto';
import { ReadModelErrorFilter } from '../read-models/read-model-errors.filter';
import { waitUntilFresh } from '../read-models/read-your-writes';
import { CaptureBaselineDto } from './baseline.dto';

@ApiTags('scope')
@ApiBearerAuth()
@UseFilters(ReadModelErrorFilter)
@Controller('plans/:id')
export class ScopeController {
  constructor(
    private readonly commands: PlanCommands,
    @Inject(Projections) private readonly projections: Projections,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('baselines')
  @PlanRole('edit')
  @ApiOperation({
    summary:
      'Capture the current schedule as a named baseline; slippage and scope change are measured against the latest',
  })
  async capture(
    @Param('id') planId: string,
    @Body() dto: CaptureBaselineDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const { plan, version } = await this.commands.read(planId);
    const capturedAt = new Date().toISOString();
    // day 0 as the timeline shows it, for plans that have no start date of their own
    const timeline = await this.projections.timeline.timeline(planId);
    const data = captureBaseline(plan, {
      baselineId: randomUUID(),
      name: dto.name.trim(),
      capturedAt,
      planStart: timeline?.planStart,
    });
    // the baseline is of the plan as read: an edit in between makes this a 409 to retry
    const result = await this.store.appendToStream(
      planStreamId(planId),
      [baselineCapturedEvent(data, { actor: principal.userId, at: capturedAt })],
      {
        expectedVersion: version,
      },
    );
    const { activities: _activities, ...baseline } = data;
    return {
      ...baseline,
      activityCount: Object.keys(data.activities).length,
      version: result.nextExpectedVersion,
      position: result.events[0].position,
    };
  }

  @Get('scope')
  @PlanRole('read')
  @ApiOperation({
    summary:
      'Scope change since the latest baseline: added/removed/re-estimated tasks and milestones with who changed them, effort, cost and schedule deltas, creep against the threshold',
  })
  async scope(@Param('id') planId: string, @Query() query: FreshnessQueryDto) {
    await waitUntilFresh(this.projections, ['scope'], planId, query);
    const scope = await this.projections.scope.scope(
      planId,
      this.config.scopeCreepThresholdPercent,
    );
    if (!scope)
      throw new PlanNotProjectedError(planId, 'scope', this.projections.position('scope'));
    return scope;
  }
}
