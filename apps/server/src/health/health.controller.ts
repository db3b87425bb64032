import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { Public } from '@lib/auth/nest';
import { EventStoreHealthIndicator } from './event-store.health';
import { ProjectionsHealthIndicator } from './projections.health';

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly eventStore: EventStoreHealthIndicator,
    private readonly projections: ProjectionsHealthIndicator,
  ) {}

  /** 200 when every dependency answers, 503 naming the one that does not */
  @Get()
  @Public()
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.eventStore.check('eventStore'),
      () => this.projections.check('projections'),
    ]);
  }
}
