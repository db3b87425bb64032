/**
 * `?minPosition=` / `?minVersion=` for routes that read several read models: the answer waits
 * (bounded) until each of them includes the caller's last write.
 */
import type { Projections, ReadModelName } from '@lib/projections';
import type { FreshnessQueryDto } from './dto/read-model-query.dto';

export async function waitUntilFresh(
  projections: Projections,
  readModels: readonly ReadModelName[],
  planId: string,
  query: FreshnessQueryDto,
): Promise<void> {
  for (const readModel of readModels) {
    if (query.minPosition !== undefined)
      await projections.waitForPosition(readModel, query.minPosition);
    if (query.minVersion !== undefined)
      await projections.waitForPlanVersion(readModel, planId, query.minVersion);
  }
}
