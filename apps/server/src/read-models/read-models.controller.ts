/**
 * The projected views of one plan: timeline, risk register, summary and change history. Each
 * takes `?minPosition=` (a global position) or `?minVersion=` (the plan's stream version, what
 * REST edits answer with) so a client can read its own writes: the answer waits (bounded)
 * until the read model includes that event.
 */
import { Controller, Get, Inject, Param, Query, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PlanRole } from '@lib/auth/nest';
import { PlanNotProjectedError, Projections, type ReadModelName } from '@lib/projections';
import {
  FreshnessQueryDto,
  HistoryQueryDto,
  RiskRegisterQueryDto,
} from './dto/read-model-query.dto';
import { ReadModelErrorFilter } from './read-model-errors.filter';
import { RecordsRead } from '../audit/read-audit';

@ApiTags('read models')
@ApiBearerAuth()
@UseFilters(ReadModelErrorFilter)
@Controller('plans/:id')
export class ReadModelsController {
  constructor(@Inject(Projections) private readonly projections: Projections) {}

  @Get('timeline')
  @PlanRole('read')
  @ApiOperation({
    summary:
      'Critical-path schedule: early/late dates, float, critical path, phases, milestones, baseline slippage',
  })
  @ApiOkResponse({ description: 'the timeline as of the plan version in `version`' })
  async timeline(@Param('id') planId: string, @Query() query: FreshnessQueryDto) {
    await this.fresh('timeline', planId, query);
    return (
      (await this.projections.timeline.timeline(planId)) ?? this.notProjected(planId, 'timeline')
    );
  }

  @Get('baselines')
  @PlanRole('read')
  @ApiOperation({
    summary: 'Baselines captured for the plan, oldest first; slippage is measured against the last',
  })
  async baselines(@Param('id') planId: string, @Query() query: FreshnessQueryDto) {
    await this.fresh('timeline', planId, query);
    return this.projections.timeline.baselines(planId);
  }

  @Get('risks')
  @PlanRole('read')
  @ApiOperation({
    summary:
      'Risk register: scores, levels, 5×5 heat map, overdue reviews as of `today`, exposure trend, critical-path links',
  })
  async risks(@Param('id') planId: string, @Query() query: RiskRegisterQueryDto) {
    await this.fresh('risk-register', planId, query);
    // the edge may read the clock; the read model itself never does
    const today = query.today ?? new Date().toISOString().slice(0, 10);
    return (
      (await this.projections.riskRegister.riskRegister(planId, { today })) ??
      this.notProjected(planId, 'risk-register')
    );
  }

  @Get('summary')
  @PlanRole('read')
  @ApiOperation({
    summary:
      'Counts, planned cost against budget, earned value (with a status date), objectives against KPI targets, stakeholder grid, validation problems',
  })
  async summary(@Param('id') planId: string, @Query() query: FreshnessQueryDto) {
    await this.fresh('plan-summary', planId, query);
    await this.fresh('timeline', planId, query);
    const summary =
      (await this.projections.planSummary.summary(planId)) ??
      this.notProjected(planId, 'plan-summary');
    // the headline earned value figures (the timeline computes them; weeks are in /evm)
    const earnedValue = (await this.projections.timeline.timeline(planId))?.earnedValue ?? null;
    if (earnedValue === null) return { ...summary, earnedValue: null };
    const { weeks: _weeks, tasks: _tasks, ...figures } = earnedValue;
    return { ...summary, earnedValue: figures };
  }

  @Get('history')
  @PlanRole('audit')
  @RecordsRead('history')
  @ApiOperation({
    summary:
      'Change log: who changed what and when, one entry per semantic change, paged by cursor',
  })
  @ApiOkResponse({
    description: '`{planId, entries, next}`; pass `next` as `from` for the following page',
  })
  async history(@Param('id') planId: string, @Query() query: HistoryQueryDto) {
    await this.fresh('change-log', planId, query);
    return this.projections.changeLog.history(planId, {
      from: query.from,
      limit: query.limit,
      direction: query.direction,
    });
  }

  private async fresh(
    readModel: ReadModelName,
    planId: string,
    query: FreshnessQueryDto,
  ): Promise<void> {
    if (query.minPosition !== undefined)
      await this.projections.waitForPosition(readModel, query.minPosition);
    if (query.minVersion !== undefined)
      await this.projections.waitForPlanVersion(readModel, planId, query.minVersion);
  }

  private notProjected(planId: string, readModel: ReadModelName): never {
    throw new PlanNotProjectedError(planId, readModel, this.projections.position(readModel));
  }
}
