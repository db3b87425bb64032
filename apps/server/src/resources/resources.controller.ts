/**
 * Resource allocation: hours booked per person and equipment per ISO week from task assignees
 * and resourceIds on the scheduled dates, against capacity, with over-allocations flagged; and
 * planned cost against budget per category. Registered before the generic
 * `/resources/:resourceId` route (ResourcesModule comes first in AppModule).
 */
import { Controller, Get, Inject, Param, Query, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PlanRole } from '@lib/auth/nest';
import { PlanNotProjectedError, Projections } from '@lib/projections';
import { ReadModelErrorFilter } from '../read-models/read-model-errors.filter';
import { waitUntilFresh } from '../read-models/read-your-writes';
import { AllocationQueryDto } from './allocation-query.dto';

@ApiTags('resources')
@ApiBearerAuth()
@UseFilters(ReadModelErrorFilter)
@Controller('plans/:id/resources')
export class ResourcesController {
  constructor(@Inject(Projections) private readonly projections: Projections) {}

  @Get('allocation')
  @PlanRole('read')
  @ApiOperation({
    summary:
      'Hours per resource per ISO week against capacity (8 h per assigned task-day), over-allocated weeks, planned cost vs budget per category',
  })
  async allocation(@Param('id') planId: string, @Query() query: AllocationQueryDto) {
    await waitUntilFresh(this.projections, ['resources'], planId, query);
    const view = await this.projections.resources.allocation(planId, {
      from: query.from,
      to: query.to,
    });
    if (!view)
      throw new PlanNotProjectedError(planId, 'resources', this.projections.position('resources'));
    const { tasks: _tasks, ...allocation } = view;
    return allocation;
  }
}
