/**
 * Scheduling beyond the timeline: earned value as of the status date, resource leveling (a
 * preview, and applying it as one ordinary edit), and actual costs booked against tasks as
 * `ActualCostRecorded` events (decided against the plan at the stream version they are
 * appended after, so a cost never lands on a task removed in between).
 */
import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  UseFilters,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import type { Principal } from '@lib/auth';
import { CurrentPrincipal, PlanRole } from '@lib/auth/nest';
import { PlanCommands, PlanHistory, PlanNotFoundInStoreError } from '@lib/collab';
import { isWrongExpectedVersion, type EventStore, type JsonObject } from '@lib/event-store';
import { EVENT_STORE } from '@lib/event-store/nest';
import { decideRecordActualCost, levelResources, type LevelingResult } from '@lib/plan-domain';
import {
  PlanNotProjectedError,
  planEarnedValue,
  planLevelingInput,
  planStreamId,
  Projections,
} from '@lib/projections';
import { FreshnessQueryDto } from '../read-models/dto/read-model-query.dto';
import { ReadModelErrorFilter } from '../read-models/read-model-errors.filter';
import { waitUntilFresh } from '../read-models/read-your-writes';
import { EarnedValueQueryDto, RecordActualCostDto } from './scheduling.dto';

const MAX_APPEND_ATTEMPTS = 3;

@ApiTags('scheduling')
@ApiBearerAuth()
@UseFilters(ReadModelErrorFilter)
@Controller('plans/:id')
export class SchedulingController {
  constructor(
    private readonly commands: PlanCommands,
    private readonly history: PlanHistory,
    @Inject(Projections) private readonly projections: Projections,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Get('evm')
  @PlanRole('read')
  @ApiOperation({
    summary:
      'Earned value as of the status date: PV, EV, AC, SV, CV, SPI, CPI, BAC, EAC, ETC, VAC, per task and per ISO week (cumulative, for an S-curve)',
  })
  async earnedValue(@Param('id') planId: string, @Query() query: EarnedValueQueryDto) {
    await waitUntilFresh(this.projections, ['timeline'], planId, query);
    const timeline = await this.projections.timeline.timeline(planId);
    if (!timeline)
      throw new PlanNotProjectedError(planId, 'timeline', this.projections.position('timeline'));
    const { planId: _id, version, position } = timeline;
    if (query.statusDate === undefined) {
      if (timeline.earnedValue === null)
        throw new BadRequestException({
          error: 'Bad Request',
          message: [
            'statusDate: the plan has no statusDate; set one with PATCH /plans/:id {"statusDate": "YYYY-MM-DD"} or ask with ?statusDate=YYYY-MM-DD',
          ],
        });
      return { planId, version, position, ...timeline.earnedValue };
    }
    // another day than the plan's: measured on the plan as projected, with the same inputs
    const { plan } = await this.commands.read(planId);
    const earnedValue = planEarnedValue(plan, {
      fallbackStart: timeline.planStart,
      baseline: await this.projections.timeline.latestBaseline(planId),
      actualCosts: await this.projections.timeline.actualCosts(planId),
      statusDate: query.statusDate,
    });
    return { planId, version, position, ...earnedValue };
  }

  @Post('leveling/preview')
  @PlanRole('read')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Resource leveling without changing anything: the leveled schedule, what moves and by how much, over-allocations before and left',
  })
  async previewLeveling(@Param('id') planId: string) {
    const { plan, version } = await this.commands.read(planId);
    const result = levelResources(planLevelingInput(plan, await this.scheduleOptions(planId)));
    return { planId, version, ...levelingView(result) };
  }

  @Post('leveling/apply')
  @PlanRole('edit')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Level the plan as it is now and write the delays as task start dates: one ordinary edit (one PlanUpdated event), undoable like any other',
  })
  async applyLeveling(@Param('id') planId: string, @CurrentPrincipal() principal: Principal) {
    const options = await this.scheduleOptions(planId);
    const { result, version } = await this.commands.execute(planId, principal.userId, (doc) => {
      const leveled = levelResources(planLevelingInput(doc.toJSON(), options));
      // each update is its own transaction; the command's updates are stored as one event
      for (const { activityId, start } of leveled.starts) doc.updateTask(activityId, { start });
      return leveled;
    });
    return {
      planId,
      version: version ?? null,
      applied: result.starts.length,
      ...levelingView(result),
    };
  }

  @Post('tasks/:taskId/actual-costs')
  @PlanRole('edit')
  @ApiOperation({
    summary:
      'Book an actual cost against a task (an ActualCostRecorded event); earned value counts it from its date',
  })
  async recordActualCost(
    @Param('id') planId: string,
    @Param('taskId') taskId: string,
    @Body() dto: RecordActualCostDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const stream = planStreamId(planId);
    for (let attempt = 1; ; attempt++) {
      const version = await this.store.streamVersion(stream);
      const state = await this.history.stateAt(planId, { version });
      if (!state) throw new PlanNotFoundInStoreError(planId);
      const [event] = decideRecordActualCost(
        {
          type: 'RecordActualCost',
          data: { taskId, amount: dto.amount, date: dto.date, note: dto.note },
        },
        state.plan,
      );
      try {
        const result = await this.store.appendToStream(
          stream,
          [
            {
              id: randomUUID(),
              type: event.type,
              data: { ...event.data } as JsonObject,
              metadata: { actor: principal.userId, at: new Date().toISOString() },
              schemaVersion: 1,
            },
          ],
          { expectedVersion: version },
        );
        return {
          ...event.data,
          version: result.nextExpectedVersion,
          position: result.events[0].position,
        };
      } catch (error) {
        // another event landed in between: decide again on the plan as it is now
        if (!isWrongExpectedVersion(error) || attempt === MAX_APPEND_ATTEMPTS) throw error;
      }
    }
  }

  @Get('tasks/:taskId/actual-costs')
  @PlanRole('read')
  @ApiOperation({ summary: 'Costs booked against a task, oldest first, with who booked them' })
  async actualCosts(
    @Param('id') planId: string,
    @Param('taskId') taskId: string,
    @Query() query: FreshnessQueryDto,
  ) {
    await waitUntilFresh(this.projections, ['timeline'], planId, query);
    return (await this.projections.timeline.actualCosts(planId)).filter((c) => c.taskId === taskId);
  }

  /** Day 0 as the timeline shows it, for a plan without a start and without dated tasks. */
  private async scheduleOptions(planId: string): Promise<{ fallbackStart: string }> {
    const planStart = (await this.projections.timeline.timeline(planId))?.planStart;
    return { fallbackStart: planStart ?? new Date().toISOString().slice(0, 10) };
  }
}

function levelingView(result: LevelingResult) {
  return {
    projectFinishBefore: result.projectFinishBefore,
    projectFinishAfter: result.projectFinishAfter,
    moves: result.moves,
    starts: result.starts,
    overAllocationsBefore: result.overAllocationsBefore,
    overAllocationsLeft: result.overAllocationsLeft,
    unlevelable: result.unlevelable,
    activities: result.schedule.activities.map((a) => ({
      id: a.id,
      start: a.start,
      finish: a.finish,
      lastWorkDay: a.lastWorkDay,
      totalFloat: a.totalFloat,
    })),
  };
}
