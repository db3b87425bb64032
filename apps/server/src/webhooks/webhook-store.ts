/**
 * Webhook subscriptions and their delivery progress, in the read-model database
 * (`read-models.sqlite`, or PostgreSQL next to a PostgreSQL event store). Not a read model:
 * nothing here is derived from the log, so a rebuild leaves these tables alone. Progress is
 * the last acknowledged position, written after the receiver answered 2xx — a crash between
 * the answer and the write means one more delivery of that change, never a lost one.
 */
import type { ReadModelStore } from '@lib/projections';

export interface WebhookSubscription {
  readonly id: string;
  readonly ownerId: string;
  readonly url: string;
  /** plan ids, or '*' (every plan the owner owns; for an admin, every plan) */
  readonly plans: readonly string[] | '*';
  /** event types or change types to deliver; '*' for all */
  readonly kinds: readonly string[] | '*';
  readonly secret: string;
  readonly createdAt: string;
  readonly ackedPosition: number;
  readonly delivered: number;
  readonly pending?: PendingDelivery;
}

/** a change that failed and waits for its next attempt */
export interface PendingDelivery {
  readonly position: number;
  readonly attempts: number;
  readonly nextAttemptAt: string;
  readonly lastError: string;
}

export interface DeadLetter {
  readonly position: number;
  readonly planId: string;
  readonly eventId: string;
  readonly attempts: number;
  readonly reason: string;
  readonly at: string;
}

interface WebhookRow {
  id: string;
  owner_id: string;
  url: string;
  plans: string;
  kinds: string;
  secret: string;
  created_at: string;
  acked_position: number | string;
  delivered: number | string;
  pending_position: number | string | null;
  attempts: number | string;
  next_attempt_at: string | null;
  last_error: string | null;
}

interface DeadLetterRow {
  position: number | string;
  plan_id: string;
  event_id: string;
  attempts: number | string;
  reason: string;
  at: string;
}

const DDL = [
  `CREATE TABLE IF NOT EXISTS webhooks (
    id TEXT PRIMARY KEY,
    owner_id TEXT NOT NULL,
    url TEXT NOT NULL,
    plans TEXT NOT NULL,
    kinds TEXT NOT NULL,
    secret TEXT NOT NULL,
    created_at TEXT NOT NULL,
    acked_position BIGINT NOT NULL,
    delivered BIGINT NOT NULL DEFAULT 0,
    pending_position BIGINT,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    last_error TEXT
  )`,
  `CREATE TABLE IF NOT EXISTS webhook_dead_letters (
    webhook_id TEXT NOT NULL,
    position BIGINT NOT NULL,
    plan_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    reason TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (webhook_id, position)
  )`,
];

const SELECT = `SELECT id, owner_id, url, plans, kinds, secret, created_at, acked_position, delivered,
  pending_position, attempts, next_attempt_at, last_error FROM webhooks`;

export class WebhookStore {
  constructor(private readonly db: ReadModelStore) {}

  migrate(): Promise<void> {
    return this.db.migrate(DDL);
  }

  async create(
    subscription: Omit<WebhookSubscription, 'delivered' | 'pending'>,
  ): Promise<WebhookSubscription> {
    await this.db.run(
      `INSERT INTO webhooks (id, owner_id, url, plans, kinds, secret, created_at, acked_position)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        subscription.id,
        subscription.ownerId,
        subscription.url,
        JSON.stringify(subscription.plans),
        JSON.stringify(subscription.kinds),
        subscription.secret,
        subscription.createdAt,
        subscription.ackedPosition,
      ],
    );
    return { ...subscription, delivered: 0 };
  }

  async get(id: string): Promise<WebhookSubscription | undefined> {
    const [row] = await this.db.all<WebhookRow>(`${SELECT} WHERE id = ?`, [id]);
    return row && fromRow(row);
  }

  async list(ownerId?: string): Promise<WebhookSubscription[]> {
    const rows =
      ownerId === undefined
        ? await this.db.all<WebhookRow>(`${SELECT} ORDER BY created_at, id`)
        : await this.db.all<WebhookRow>(`${SELECT} WHERE owner_id = ? ORDER BY created_at, id`, [
            ownerId,
          ]);
    return rows.map(fromRow);
  }

  async delete(id: string): Promise<boolean> {
    return this.db.transaction(async (session) => {
      await session.run('DELETE FROM webhook_dead_letters WHERE webhook_id = ?', [id]);
      return (await session.run('DELETE FROM webhooks WHERE id = ?', [id])) > 0;
    });
  }

  /** the receiver acknowledged `position` (or the change was not for it): move past it */
  async acknowledge(id: string, position: number, delivered: boolean): Promise<void> {
    await this.db.run(
      `UPDATE webhooks SET acked_position = ?, delivered = delivered + ?, pending_position = NULL,
         attempts = 0, next_attempt_at = NULL, last_error = NULL
       WHERE id = ? AND acked_position < ?`,
      [position, delivered ? 1 : 0, id, position],
    );
  }

  async recordFailure(id: string, pending: PendingDelivery): Promise<void> {
    await this.db.run(
      `UPDATE webhooks SET pending_position = ?, attempts = ?, next_attempt_at = ?, last_error = ?
       WHERE id = ?`,
      [pending.position, pending.attempts, pending.nextAttemptAt, pending.lastError, id],
    );
  }

  /** gives up on one change: it goes to the dead-letter list and delivery moves on */
  async deadLetter(id: string, letter: DeadLetter): Promise<void> {
    await this.db.transaction(async (session) => {
      await session.run(
        `INSERT INTO webhook_dead_letters (webhook_id, position, plan_id, event_id, attempts, reason, at)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (webhook_id, position) DO NOTHING`,
        [
          id,
          letter.position,
          letter.planId,
          letter.eventId,
          letter.attempts,
          letter.reason,
          letter.at,
        ],
      );
      await session.run(
        `UPDATE webhooks SET acked_position = ?, pending_position = NULL, attempts = 0,
           next_attempt_at = NULL, last_error = NULL
         WHERE id = ? AND acked_position < ?`,
        [letter.position, id, letter.position],
      );
    });
  }

  async deadLetters(id: string, limit = 100): Promise<DeadLetter[]> {
    const rows = await this.db.all<DeadLetterRow>(
      `SELECT position, plan_id, event_id, attempts, reason, at FROM webhook_dead_letters
       WHERE webhook_id = ? ORDER BY position DESC LIMIT ?`,
      [id, limit],
    );
    return rows.map((row) => ({
      position: Number(row.position),
      planId: row.plan_id,
      eventId: row.event_id,
      attempts: Number(row.attempts),
      reason: row.reason,
      at: row.at,
    }));
  }
}

function fromRow(row: WebhookRow): WebhookSubscription {
  return {
    id: row.id,
    ownerId: row.owner_id,
    url: row.url,
    plans: JSON.parse(row.plans) as WebhookSubscription['plans'],
    kinds: JSON.parse(row.kinds) as WebhookSubscription['kinds'],
    secret: row.secret,
    createdAt: row.created_at,
    ackedPosition: Number(row.acked_position),
    delivered: Number(row.delivered),
    ...(row.pending_position !== null && row.next_attempt_at !== null
      ? {
          pending: {
            position: Number(row.pending_position),
            attempts: Number(row.attempts),
            nextAttemptAt: row.next_attempt_at,
            lastError: row.last_error ?? '',
          },
        }
      : {}),
  };
}
