/**
 * The LISTEN side of the PostgreSQL adapter's append notifications: one dedicated connection
 * (LISTEN belongs to a session, so it cannot be a pooled one) that calls `onAppend` for every
 * NOTIFY on the channel and reconnects with backoff when the connection drops.
 * Notifications are only a wake-up: subscribers re-read `$all` from their own position, and
 * poll as well, so a notification lost while reconnecting costs latency, never events.
 */
import { Client, escapeIdentifier } from 'pg';
import { StoreUnavailableError } from '../errors';

export interface AppendListenerOptions {
  readonly connectionString: string;
  readonly channel: string;
  readonly connectTimeoutMs: number;
  /** the first retry waits `minBackoffMs`, each further one twice as long up to this */
  readonly maxBackoffMs: number;
  readonly minBackoffMs?: number;
}

export const APPEND_LISTENER_APPLICATION_NAME = 'plan-event-store-listener';

export class AppendListener {
  private client: Client | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private failedAttempts = 0;
  private closed = false;

  constructor(
    private readonly options: AppendListenerOptions,
    private readonly onAppend: () => void,
  ) {}

  /** the first connection must succeed: an unreachable database fails `open()` right away */
  async start(): Promise<void> {
    await this.connect();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    const client = this.client;
    this.client = undefined;
    // ending a connection that already broke can fail; there is nothing left to lose on it
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({
      connectionString: this.options.connectionString,
      application_name: APPEND_LISTENER_APPLICATION_NAME,
      connectionTimeoutMillis: this.options.connectTimeoutMs,
      // an idle LISTEN connection would otherwise never notice a peer that vanished
      keepAlive: true,
    });
    client.on('notification', (message) => {
      if (message.channel === this.options.channel) this.onAppend();
    });
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    this.client = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${escapeIdentifier(this.options.channel)}`);
    } catch (error) {
      this.lost(client);
      throw new StoreUnavailableError('postgres', error);
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.failedAttempts = 0;
    // appends committed while nobody was listening were announced to no one
    this.onAppend();
  }

  private lost(client: Client): void {
    if (client !== this.client) return;
    this.client = undefined;
    void client.end().catch(() => undefined);
    if (this.closed) return;
    this.onAppend();
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer) return;
    const minBackoffMs = this.options.minBackoffMs ?? 100;
    const delayMs = Math.min(this.options.maxBackoffMs, minBackoffMs * 2 ** this.failedAttempts);
    this.failedAttempts += 1;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      // a failed attempt has already scheduled the next one through lost(); subscribers keep
      // polling meanwhile, so the failure itself needs no other handling
      this.connect().catch(() => undefined);
    }, delayMs);
  }
}
