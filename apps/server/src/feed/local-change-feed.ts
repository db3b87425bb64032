/**
 * One change-log feed source for the HTTP consumers of the feed (server-sent events,
 * webhooks): woken by the change-log batches projected on this node and, for batches projected
 * elsewhere, by the subscriptions' poll interval. Its live feed reads each new change once and
 * hands it to every event stream that is live and covers its plan.
 */
import { Inject, Injectable, Logger, Module, OnModuleDestroy } from '@nestjs/common';
import { LiveFeed, type FeedChange } from '@lib/feed';
import { Projections } from '@lib/projections';
import { ChangeLogFeedSource } from './change-log-feed-source';

/** an event stream that the live feed delivers to once its catch-up is done */
export interface LiveStream {
  /** plan ids it covers now (undefined: every plan) */
  planIds(): readonly string[] | undefined;
  /** writes one change; returns how many writes wait for the client */
  send(change: FeedChange): number;
  /** too many writes waiting: the stream ends and tells the client where to resume */
  overflow(): void;
}

const PAGE_SIZE = 500;
const MAX_WAITING_WRITES = 1000;

@Injectable()
export class LocalChangeFeed implements OnModuleDestroy {
  readonly source: ChangeLogFeedSource;
  readonly live: LiveFeed;
  private readonly logger = new Logger('LocalChangeFeed');
  private readonly stopProjected: () => void;
  private readonly streams = new Set<LiveStream>();
  private readonly overflowing = new Set<LiveStream>();

  constructor(@Inject(Projections) projections: Projections) {
    this.source = new ChangeLogFeedSource(projections);
    this.stopProjected = projections.onProjected(({ readModel }) => {
      if (readModel === 'change-log') this.source.signal();
    });
    this.live = new LiveFeed(
      this.source,
      {
        publish: (change) => this.publish(change),
        afterPublish: () => {
          for (const stream of this.overflowing) stream.overflow();
          this.overflowing.clear();
        },
      },
      { pageSize: PAGE_SIZE, pollIntervalMs: 1000 },
      (error) => this.logger.error({ err: error }, 'live feed failed to read changes; retrying'),
    );
  }

  join(stream: LiveStream): void {
    this.streams.add(stream);
  }

  leave(stream: LiveStream): void {
    this.streams.delete(stream);
    this.overflowing.delete(stream);
  }

  onModuleDestroy(): void {
    this.stopProjected();
    this.live.stop();
  }

  private publish(change: FeedChange): void {
    // the change is serialised once per stream by `send`; streams are few next to sockets
    for (const stream of this.streams) {
      const planIds = stream.planIds();
      if (planIds && !planIds.includes(change.planId)) continue;
      if (stream.send(change) > MAX_WAITING_WRITES) this.overflowing.add(stream);
    }
  }
}

@Module({ providers: [LocalChangeFeed], exports: [LocalChangeFeed] })
export class LocalChangeFeedModule {}
