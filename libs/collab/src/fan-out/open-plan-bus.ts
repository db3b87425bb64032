/**
 * The bus between nodes: Redis when a URL is given, otherwise this node is alone. The Redis
 * client is loaded only when configured.
 */
import { InProcessPlanBus } from './in-process-plan-bus';
import type { PlanBus } from './plan-bus.port';

export async function openPlanBus(
  redis: { readonly url: string; readonly prefix: string } | undefined,
  onError: (error: unknown) => void,
): Promise<PlanBus> {
  if (!redis) return new InProcessPlanBus();
  const { RedisPlanBus } = await import('./redis-plan-bus');
  return new RedisPlanBus(redis.url, redis.prefix, onError);
}
