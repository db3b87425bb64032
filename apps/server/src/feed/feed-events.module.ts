import { Module } from '@nestjs/common';
import { FeedEventsController } from './feed-events.controller';
import { LocalChangeFeedModule } from './local-change-feed';

@Module({ imports: [LocalChangeFeedModule], controllers: [FeedEventsController] })
export class FeedEventsModule {}
