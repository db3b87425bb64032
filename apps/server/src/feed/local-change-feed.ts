/**
 * One change-log feed source for the HTTP consumers of the feed (server-sent events,
 * webhooks): woken by the change-log batches projected on this node and, for batches projected
 * elsewhere, by the subscriptions' poll interval.
 */
import { Inject, Injectable, Module, OnModuleDestroy } from '@nestjs/common';
import { Projections } from '@lib/projections';
import { ChangeLogFeedSource } from './change-log-feed-source';

@Injectable()
export class LocalChangeFeed implements OnModuleDestroy {
  readonly source: ChangeLogFeedSource;
  private readonly stopProjected: () => void;

  constructor(@Inject(Projections) projections: Projections) {
    this.source = new ChangeLogFeedSource(projections);
    this.stopProjected = projections.onProjected(({ readModel }) => {
      if (readModel === 'change-log') this.source.signal();
    });
  }

  onModuleDestroy(): void {
    this.stopProjected();
  }
}

@Module({ providers: [LocalChangeFeed], exports: [LocalChangeFeed] })
export class LocalChangeFeedModule {}
