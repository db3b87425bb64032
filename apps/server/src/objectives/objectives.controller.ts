/**
 * Strategic alignment: KPI readings recorded against objectives (`KpiMeasured` events), and
 * each objective's status against its target and due date, with the tasks that serve no
 * objective. `GET /plans/:id/objectives/status` is registered before the generic
 * `/objectives/:objectiveId` route (ObjectivesModule comes first in AppModule).
 */
import { Body, Controller, Get, Inject, Param, Post, Query, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@lib/auth';
import { CurrentPrincipal, PlanRole } from '@lib/auth/nest';
import { PlanCommands } from '@lib/collab';
import { FoldedStates, handleCommand, type EventStore } from '@lib/event-store';
import { EVENT_STORE } from '@lib/event-store/nest';
import { PlanEntityNotFoundError } from '@lib/plan-domain';
import {
  planRecordsDecider,
  type PlanRecordsState,
  PlanNotProjectedError,
  planStreamId,
  Projections,
} from '@lib/projections';
import { FreshnessQueryDto } from '../read-models/dto/read-model-query.dto';
import { ReadModelErrorFilter } from '../read-models/read-model-errors.filter';
import { waitUntilFresh } from '../read-models/read-your-writes';
import { DayQueryDto, todayUtc } from '../reports/day-query.dto';
import { RecordMeasurementDto } from './measurement.dto';

@ApiTags('objectives')
@ApiBearerAuth()
@UseFilters(ReadModelErrorFilter)
@Controller('plans/:id/objectives')
export class ObjectivesController {
  /** decider states folded so far, by plan stream: a command reads only newer events */
  private readonly folded = new FoldedStates<PlanRecordsState>();

  constructor(
    private readonly commands: PlanCommands,
    @Inject(Projections) private readonly projections: Projections,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Get('status')
  @PlanRole('read')
  @ApiOperation({
    summary:
      'Each objective: latest KPI value, trend, status (met / on-track / at-risk / off-track / no-data) as of `today`, linked tasks; and tasks linked to no objective',
  })
  async status(@Param('id') planId: string, @Query() query: DayQueryDto) {
    await waitUntilFresh(this.projections, ['objectives'], planId, query);
    const status = await this.projections.objectives.status(planId, query.today ?? todayUtc());
    if (!status)
      throw new PlanNotProjectedError(
        planId,
        'objectives',
        this.projections.position('objectives'),
      );
    return status;
  }

  @Get(':objectiveId/measurements')
  @PlanRole('read')
  @ApiOperation({ summary: "The objective's KPI readings, in the order they were recorded" })
  async measurements(
    @Param('id') planId: string,
    @Param('objectiveId') objectiveId: string,
    @Query() query: FreshnessQueryDto,
  ) {
    await waitUntilFresh(this.projections, ['objectives'], planId, query);
    return (await this.projections.objectives.measurements(planId)).filter(
      (m) => m.objectiveId === objectiveId,
    );
  }

  @Post(':objectiveId/measurements')
  @PlanRole('edit')
  @ApiOperation({ summary: "Record a reading of the objective's KPI (a KpiMeasured event)" })
  async record(
    @Param('id') planId: string,
    @Param('objectiveId') objectiveId: string,
    @Body() dto: RecordMeasurementDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const now = new Date().toISOString();
    const data = {
      objectiveId,
      value: dto.value,
      at: dto.at === undefined ? now : new Date(dto.at).toISOString(),
    };
    const handled = await handleCommand(
      this.store,
      planStreamId(planId),
      planRecordsDecider,
      async () => {
        const { plan } = await this.commands.read(planId);
        if (!plan.objectives.some((o) => o.id === objectiveId))
          throw new PlanEntityNotFoundError({ type: 'objective', id: objectiveId });
        return {
          type: 'RecordKpiReading' as const,
          planId,
          reading: data,
          metadata: { actor: principal.userId, at: now },
        };
      },
      { cache: this.folded },
    );
    const result = handled.appended!;
    return {
      ...data,
      actor: principal.userId,
      version: result.nextExpectedVersion,
      position: result.events[0].position,
    };
  }
}
