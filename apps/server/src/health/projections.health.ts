/**
 * The read side on this node: each projector's state (`projecting` on the node holding its
 * lease, `standby` elsewhere), checkpoint and last error. Informational: a standby or lagging
 * projector does not make the node unhealthy.
 */
import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { Projections } from '@lib/projections';

@Injectable()
export class ProjectionsHealthIndicator {
  constructor(
    private readonly projections: Projections,
    private readonly health: HealthIndicatorService,
  ) {}

  check(key: string): HealthIndicatorResult {
    const projectors = this.projections
      .status()
      .map(({ readModel, state, position, lastError, documents }) => ({
        readModel,
        state,
        position,
        lastError,
        documents,
      }));
    return this.health.check(key).up({ projectors });
  }
}
