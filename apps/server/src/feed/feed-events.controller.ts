/**
 * The change feed as server-sent events, for dashboards that cannot run socket.io:
 *
 *   GET /feed/events?plans=p1,p2&from=120        (or plans=*)
 *   id: 121
 *   event: change
 *   data: {"planId":"p1","position":121,...}      (a FeedChange, as on socket.io)
 *
 * Same source and the same subscription loop as the socket.io feed, so the same changes with
 * the same positions. The `id` is the position: a client reconnecting with `Last-Event-ID`
 * (EventSource does it by itself) gets exactly the changes after it. A subscription that
 * ends (slow reader, access revoked) sends `event: resume` with the position to continue from.
 */
import {
  BadRequestException,
  Controller,
  Get,
  Headers,
  Logger,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  canRead,
  ForbiddenError,
  PlanAccess,
  PlanMembership,
  PlanNotFoundError,
  type Principal,
} from '@lib/auth';
import { Authenticated, CurrentPrincipal } from '@lib/auth/nest';
import {
  FeedSubscription,
  InvalidSubscribeRequestError,
  parseSubscribeRequest,
  type FeedChange,
  type SubscribeRequest,
} from '@lib/feed';
import { LocalChangeFeed, type LiveStream } from './local-change-feed';

const HEARTBEAT_MS = 15_000;

@ApiTags('feed')
@ApiBearerAuth()
@Controller('feed')
export class FeedEventsController {
  private readonly logger = new Logger('FeedEvents');

  constructor(
    private readonly feed: LocalChangeFeed,
    private readonly access: PlanAccess,
    private readonly membership: PlanMembership,
  ) {}

  @Get('events')
  @Authenticated()
  @ApiOperation({
    summary:
      'Change feed as server-sent events (text/event-stream): catch-up after `from` or Last-Event-ID, then live',
  })
  @ApiQuery({ name: 'plans', required: true, description: "comma-separated plan ids, or '*'" })
  @ApiQuery({ name: 'from', required: false, description: 'global position to start after' })
  async events(
    @Query('plans') plans: unknown,
    @Query('from') from: unknown,
    @Headers('last-event-id') lastEventId: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const subscribe = this.parse(plans, lastEventId ?? from);
    const planIds = await this.readablePlans(subscribe, principal);
    const stopMembership = this.followMembership(principal.userId, subscribe, planIds);

    response.status(200).set({
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // nginx buffers proxied responses by default; an event stream must not wait in a buffer
      'x-accel-buffering': 'no',
    });
    response.flushHeaders();
    response.write(`retry: 1000\n\n`);
    let waiting = 0;
    response.on('drain', () => (waiting = 0));
    const write = (text: string): number => {
      if (!response.write(text)) waiting += 1;
      return waiting;
    };
    const stream: LiveStream = {
      planIds: () => (planIds ? [...planIds] : undefined),
      send: (change: FeedChange) =>
        write(`id: ${change.position}\nevent: change\ndata: ${JSON.stringify(change)}\n\n`),
      overflow: () => subscription.end(`slow consumer: more than 1000 events waiting`),
    };
    const subscription = new FeedSubscription(
      this.feed.source,
      this.feed.live,
      { planIds: stream.planIds },
      ['change'],
      subscribe.from,
      {
        send: stream.send,
        resume: (position, reason) => {
          write(`event: resume\ndata: ${JSON.stringify({ from: position, reason })}\n\n`);
          response.end();
        },
        goLive: () => this.feed.join(stream),
        leaveLive: () => this.feed.leave(stream),
      },
      { pageSize: 500, maxBufferedMessages: 1000 },
      (error) => this.logger.error({ err: error, userId: principal.userId }, 'event stream failed'),
    );
    const heartbeat = setInterval(() => write(': keep-alive\n\n'), HEARTBEAT_MS);
    request.on('close', () => {
      clearInterval(heartbeat);
      stopMembership();
      subscription.stop();
    });
  }

  private parse(plans: unknown, from: unknown): SubscribeRequest {
    try {
      if (typeof plans !== 'string' || plans === '')
        throw new InvalidSubscribeRequestError('plans', "must be '*' or comma-separated plan ids");
      let position: number | undefined;
      if (from !== undefined) {
        if (typeof from !== 'string' || !/^\d{1,15}$/.test(from))
          throw new InvalidSubscribeRequestError(
            'from',
            '(or Last-Event-ID) must be a non-negative integer position',
          );
        position = Number(from);
      }
      return parseSubscribeRequest({
        plans: plans === '*' ? '*' : plans.split(','),
        from: position,
        kinds: ['change'],
      });
    } catch (error) {
      if (error instanceof InvalidSubscribeRequestError)
        throw new BadRequestException({ error: 'Bad Request', message: error.message });
      throw error;
    }
  }

  /** the plans the stream covers (undefined: all plans, AUTH=off with '*'); 404/403 as REST */
  private async readablePlans(
    request: SubscribeRequest,
    principal: Principal,
  ): Promise<Set<string> | undefined> {
    if (request.plans === '*') {
      if (this.access.mode === 'off') return undefined;
      return new Set((await this.membership.plansOf(principal.userId)).map((p) => p.planId));
    }
    for (const planId of request.plans) {
      const found = await this.membership.membershipOf(planId, principal.userId);
      if (!found) throw new PlanNotFoundError(planId);
      if (this.access.mode !== 'off' && (found.role === undefined || !canRead(found.role)))
        throw new ForbiddenError(planId, principal.userId, 'read', 'no role on the plan');
    }
    return new Set(request.plans);
  }

  private followMembership(
    userId: string,
    request: SubscribeRequest,
    planIds: Set<string> | undefined,
  ): () => void {
    if (this.access.mode === 'off' || !planIds) return () => undefined;
    return this.membership.onMembershipChanged((change) => {
      if (change.userId !== userId) return;
      if (change.role === undefined) planIds.delete(change.planId);
      else if (request.plans === '*') planIds.add(change.planId);
    });
  }
}
