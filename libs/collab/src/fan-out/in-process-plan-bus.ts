/** The bus of a single node (no REDIS_URL): nodes in one process, e.g. tests, share it. */
import { EventEmitter } from 'node:events';
import type { PlanBus } from './plan-bus.port';

export class InProcessPlanBus implements PlanBus {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  async publish(planId: string, message: Uint8Array): Promise<void> {
    this.emitter.emit(planId, message);
  }

  async subscribe(
    planId: string,
    handler: (message: Uint8Array) => void,
  ): Promise<() => Promise<void>> {
    this.emitter.on(planId, handler);
    return async () => {
      this.emitter.off(planId, handler);
    };
  }

  onReconnect(): () => void {
    return () => undefined;
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}
