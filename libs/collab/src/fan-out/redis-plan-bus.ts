/**
 * Redis pub/sub between nodes: one channel per loaded plan (`<prefix>plan:<planId>`), binary
 * messages. ioredis re-subscribes after a reconnect; listeners are told so they can catch up
 * from the store on whatever was published meanwhile.
 */
import Redis from 'ioredis';
import type { PlanBus } from './plan-bus.port';

export class RedisPlanBus implements PlanBus {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly handlers = new Map<string, Set<(message: Uint8Array) => void>>();
  private readonly reconnectListeners = new Set<() => void>();
  private wasConnected = false;

  constructor(
    url: string,
    private readonly prefix: string,
    private readonly onError: (error: unknown) => void,
  ) {
    const options = { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false };
    // named so operators (and the fault tests) can find this deployment's connections in CLIENT LIST
    this.publisher = new Redis(url, { ...options, connectionName: `${prefix}bus-pub` });
    this.subscriber = new Redis(url, {
      ...options,
      maxRetriesPerRequest: null,
      connectionName: `${prefix}bus-sub`,
    });
    this.publisher.on('error', onError);
    this.subscriber.on('error', onError);
    this.subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) => {
      const planId = channel.toString('utf8').slice(this.channelPrefix.length);
      const bytes = new Uint8Array(message.buffer, message.byteOffset, message.byteLength);
      for (const handler of this.handlers.get(planId) ?? []) handler(bytes);
    });
    this.subscriber.on('ready', () => {
      if (this.wasConnected) for (const listener of this.reconnectListeners) listener();
      this.wasConnected = true;
    });
  }

  private get channelPrefix(): string {
    return `${this.prefix}plan:`;
  }

  async publish(planId: string, message: Uint8Array): Promise<void> {
    await this.publisher.publish(`${this.channelPrefix}${planId}`, Buffer.from(message));
  }

  async subscribe(
    planId: string,
    handler: (message: Uint8Array) => void,
  ): Promise<() => Promise<void>> {
    let set = this.handlers.get(planId);
    if (!set) {
      this.handlers.set(planId, (set = new Set()));
      await this.subscriber.subscribe(`${this.channelPrefix}${planId}`);
    }
    set.add(handler);
    return async () => {
      set.delete(handler);
      if (set.size === 0 && this.handlers.get(planId) === set) {
        this.handlers.delete(planId);
        await this.subscriber.unsubscribe(`${this.channelPrefix}${planId}`).catch(this.onError);
      }
    };
  }

  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  async close(): Promise<void> {
    this.subscriber.disconnect();
    this.publisher.disconnect();
  }
}
