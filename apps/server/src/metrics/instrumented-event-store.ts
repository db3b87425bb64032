/** Wraps the configured EventStore to time appends and count failures, changing nothing else. */
import type { AppendOptions, AppendResult, EventStore, NewEvent } from '@lib/event-store';
import type { ServerMetrics } from './server-metrics';

export function instrumentEventStore(store: EventStore, metrics: ServerMetrics): EventStore {
  const kind = store.kind;
  const countError = (error: unknown): never => {
    const code = (error as { code?: unknown })?.code;
    metrics.storeErrors.inc({ store: kind, code: typeof code === 'string' ? code : 'UNKNOWN' });
    throw error;
  };
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'appendToStream') {
        return async (
          streamId: string,
          events: readonly NewEvent[],
          options?: AppendOptions,
        ): Promise<AppendResult> => {
          const end = metrics.appendSeconds.startTimer({ store: kind });
          try {
            return await target.appendToStream(streamId, events, options);
          } catch (error) {
            return countError(error);
          } finally {
            end();
          }
        };
      }
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function'
        ? (value as (...args: unknown[]) => unknown).bind(target)
        : value;
    },
  });
}
