/**
 * Baselines and scope: capture the plan's schedule as a named baseline (a BaselineCaptured
 * event decided by the plan-records decider on the plan exactly at the version it is appended
 * after), and the scope change
 * since the latest one — items added and removed with who did it, effort, cost and finish
 * deltas, and whether growth passed SCOPE_CREEP_THRESHOLD_PERCENT.
 */
import { Body, Controller, Get, Inject, Param, Post, Query, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import type { Principal } from '@lib/auth';
import { CurrentPrincipal, PlanRole } from '@lib/auth/nest';
import { PlanHistory, PlanNotFoundInStoreError } from '@lib/collab';
import { APP_CONFIG, type AppConfig } from '@lib/config';
import { FoldedStates, handleCommand, type EventStore } from '@lib/event-store';
import { EVENT_STORE } from '@lib/event-store/nest';
import {
  captureBaseline,
  planRecordsDecider,
  type PlanRecordsState,
  type BaselineCapturedData,
  PlanNotProjectedError,
  planStreamId,
  Projections,
} from '@lib/projections';
import { FreshnessQueryDto } from '../read-models/dto/read-model-query.dto';
import { ReadModelErrorFilter } from '../read-models/read-model-errors.filter';
import { waitUntilFresh } from '../read-models/read-your-writes';
import { CaptureBaselineDto } from './baseline.dto';

const MAX_CAPTURE_ATTEMPTS = 3;

@ApiTags('scope')
@ApiBearerAuth()
@UseFilters(ReadModelErrorFilter)
@Controller('plans/:id')
export class ScopeController {
  /** decider states folded so far, by plan stream: a command reads only newer events */
  private readonly folded = new FoldedStates<PlanRecordsState>();

  constructor(
    private readonly history: PlanHistory,
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
    // day 0 as the timeline shows it, for plans that have no start date of their own
    const planStart = (await this.projections.timeline.timeline(planId))?.planStart;
    const capturedAt = new Date().toISOString();
    const metadata = { actor: principal.userId, at: capturedAt };
    let data: BaselineCapturedData | undefined;
    const handled = await handleCommand(
      this.store,
      planStreamId(planId),
      planRecordsDecider,
      // the plan exactly at the version the decision is appended after: JSON events (comments,
      // readings) reach the stream without passing the live document
      async (version) => {
        const state = await this.history.stateAt(planId, { version });
        if (!state) throw new PlanNotFoundInStoreError(planId);
        data = captureBaseline(state.plan, {
          baselineId: randomUUID(),
          name: dto.name.trim(),
          capturedAt,
          planStart,
        });
        return { type: 'CaptureBaseline' as const, planId, baseline: data, metadata };
      },
      { maxAttempts: MAX_CAPTURE_ATTEMPTS, cache: this.folded },
    );
    const stored = handled.appended!.events[0];
    const { activities, ...baseline } = data!;
    return {
      ...baseline,
      activityCount: Object.keys(activities).length,
      version: stored.version,
      position: stored.position,
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
