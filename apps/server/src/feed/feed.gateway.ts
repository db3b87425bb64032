/**
 * socket.io namespace `/feed` for dashboards (protocol in libs/feed/src/feed-messages.ts).
 * Authenticates with the same JWT as HTTP (handshake `auth.token`), checks read access per
 * plan with the same PlanAccess, and serves each socket's catch-up from the change log; live
 * changes are read once per node by the LiveFeed and emitted once to a room per plan (and one
 * for every plan), which a socket joins only after its access was checked and leaves when
 * it is revoked. Each node's live feed serves its own sockets (`local` emits), reading the
 * shared change log; read-model notices go to rooms through the adapter, so with Redis they
 * reach sockets on every node; change-log wake-ups cross nodes with `serverSideEmit`.
 */
import { Inject, Logger, OnModuleDestroy } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  OnGatewayConnection,
  OnGatewayDisconnect,
  OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import { canRead, isAuthError, PlanAccess, PlanMembership, type Principal } from '@lib/auth';
import type { AppConfig } from '@lib/config';
import { APP_CONFIG } from '@lib/config';
import {
  FEED_NAMESPACE,
  FeedSubscription,
  InvalidSubscribeRequestError,
  LiveFeed,
  parseSubscribeRequest,
  type FeedKind,
  type NoticeKind,
  type SubscribeAck,
  type SubscribeRequest,
} from '@lib/feed';
import { Projections, type ProjectionNotice, type ReadModelName } from '@lib/projections';
import { ServerMetrics } from '../metrics/server-metrics';
import { ChangeLogFeedSource } from './change-log-feed-source';

const NOTICE_OF: Partial<Record<ReadModelName, NoticeKind>> = {
  timeline: 'timeline.changed',
  'risk-register': 'risks.changed',
  'plan-summary': 'summary.changed',
};
const PROJECTED_SIGNAL = 'change-log-projected';

interface FeedSocketData {
  principal?: Principal;
  subscription?: FeedSubscription;
  /** plans the subscription covers; undefined: all plans (AUTH=off with '*') */
  planIds?: Set<string>;
  request?: SubscribeRequest;
  stopMembership?: () => void;
}

type FeedSocket = Socket & { data: FeedSocketData };

const noticeRoom = (kind: NoticeKind, planId: string): string => `notice:${kind}:${planId}`;
/** live changes of one plan (or of every plan: '*', only without auth) */
const changeRoom = (planId: string): string => `change:${planId}`;
const PAGE_SIZE = 500;
const MAX_BUFFERED_MESSAGES = 1000;
const PERSONAL_NOTICE_MAX_AGE_MS = 15 * 60_000;
/** every socket of one user that asked for mentions, on any node */
const userRoom = (userId: string): string => `user:${userId}`;
const ALL_PLANS = '*';

/** packets engine.io could not write yet: they pile up only when the client reads slowly */
function waitingPackets(socket: FeedSocket): number {
  return (socket.conn as unknown as { writeBuffer: unknown[] }).writeBuffer.length;
}

@WebSocketGateway({ namespace: FEED_NAMESPACE, destroyUpgrade: false, cors: { origin: false } })
export class FeedGateway
  implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnModuleDestroy
{
  private readonly logger = new Logger('Feed');
  private readonly source: ChangeLogFeedSource;
  private readonly live: LiveFeed;
  /** sockets whose subscription is live on this node: checked for slow reading after each page */
  private readonly liveSockets = new Set<FeedSocket>();
  private namespace!: Namespace;
  private stopProjected: (() => void) | undefined;
  private subscribers = 0;

  constructor(
    private readonly access: PlanAccess,
    private readonly membership: PlanMembership,
    projections: Projections,
    metrics: ServerMetrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.source = new ChangeLogFeedSource(projections);
    this.live = new LiveFeed(
      this.source,
      {
        // `local`: every node publishes to its own sockets from the shared change log
        publish: (change) =>
          this.namespace.local
            .to([changeRoom(change.planId), changeRoom(ALL_PLANS)])
            .emit('change', change),
        afterPublish: () => this.endSlowReaders(),
      },
      { pageSize: PAGE_SIZE, pollIntervalMs: 1000 },
      (error) => this.logger.error({ err: error }, 'live feed failed to read changes; retrying'),
    );
    metrics.gauge(
      'plan_feed_subscribers',
      'Active change-feed subscriptions on this node',
      () => this.subscribers,
    );
    this.stopProjected = projections.onProjected(({ readModel, planIds, position, notices }) => {
      for (const notice of notices ?? []) void this.deliver(notice);
      if (readModel === 'change-log') {
        this.source.signal();
        if (this.config.redisUrl) this.namespace?.serverSideEmit(PROJECTED_SIGNAL, position);
        return;
      }
      const kind = NOTICE_OF[readModel];
      if (!kind || !this.namespace) return;
      for (const planId of planIds) {
        this.namespace
          .to([noticeRoom(kind, planId), noticeRoom(kind, ALL_PLANS)])
          .emit('notice', { kind, planId, position });
      }
    });
  }

  afterInit(namespace: Namespace): void {
    this.namespace = namespace;
    namespace.on(PROJECTED_SIGNAL, () => this.source.signal());
    namespace.use((socket, next) => {
      try {
        const auth = (socket.handshake.auth ?? {}) as { token?: unknown; user?: unknown };
        const token = typeof auth.token === 'string' ? auth.token : undefined;
        const user = typeof auth.user === 'string' ? auth.user : undefined;
        (socket as FeedSocket).data.principal = this.access.authenticate(token, {
          assertedUserId: user,
        });
        next();
      } catch (error) {
        next(
          Object.assign(new Error(error instanceof Error ? error.message : 'unauthorized'), {
            data: { code: 'UNAUTHENTICATED' },
          }),
        );
      }
    });
  }

  handleConnection(): void {
    // authentication happened in the namespace middleware; nothing is sent until `subscribe`
  }

  handleDisconnect(socket: FeedSocket): void {
    this.stop(socket);
  }

  onModuleDestroy(): void {
    this.stopProjected?.();
    this.live.stop();
  }

  @SubscribeMessage('subscribe')
  async subscribe(
    @ConnectedSocket() socket: FeedSocket,
    @MessageBody() body: unknown,
  ): Promise<SubscribeAck> {
    let request: SubscribeRequest;
    try {
      request = parseSubscribeRequest(body);
    } catch (error) {
      if (error instanceof InvalidSubscribeRequestError)
        return { ok: false, code: error.code, message: error.message };
      throw error;
    }
    const principal = socket.data.principal!;
    const token = (socket.handshake.auth as { token?: string }).token;
    let planIds: Set<string> | undefined;
    if (request.plans === '*') {
      planIds =
        this.access.mode === 'off'
          ? undefined
          : new Set((await this.membership.plansOf(principal.userId)).map((p) => p.planId));
    } else {
      for (const planId of request.plans) {
        try {
          await this.access.authorize(token, planId, 'read', { assertedUserId: principal.userId });
        } catch (error) {
          if (isAuthError(error))
            return { ok: false, code: error.code, message: error.message, planId };
          throw error;
        }
      }
      planIds = new Set(request.plans);
    }

    this.stop(socket);
    socket.data.request = request;
    socket.data.planIds = planIds;
    this.joinNoticeRooms(socket, request.kinds, planIds ? [...planIds] : [ALL_PLANS]);
    if (request.kinds.includes('mention')) void socket.join(userRoom(principal.userId));
    socket.data.stopMembership = this.followMembership(socket, principal.userId);
    this.subscribers += 1;
    socket.data.subscription = new FeedSubscription(
      this.source,
      this.live,
      { planIds: () => (socket.data.planIds ? [...socket.data.planIds] : undefined) },
      request.kinds,
      request.from,
      {
        send: (change) => {
          socket.emit('change', change);
          return waitingPackets(socket);
        },
        resume: (from, reason) => socket.emit('resume', { from, reason }),
        goLive: () => {
          // synchronous (in-memory rooms of this node): the next change published reaches it
          for (const planId of socket.data.planIds ?? [ALL_PLANS])
            void socket.join(changeRoom(planId));
          this.liveSockets.add(socket);
        },
        leaveLive: () => {
          this.liveSockets.delete(socket);
          for (const room of [...socket.rooms])
            if (room.startsWith('change:')) void socket.leave(room);
        },
      },
      { pageSize: PAGE_SIZE, maxBufferedMessages: MAX_BUFFERED_MESSAGES },
      (error) =>
        this.logger.error({ err: error, userId: principal.userId }, 'feed subscription failed'),
    );
    return { ok: true, from: request.from, plans: request.plans };
  }

  @SubscribeMessage('unsubscribe')
  unsubscribe(@ConnectedSocket() socket: FeedSocket): { ok: true } {
    this.stop(socket);
    return { ok: true };
  }

  /** a live reader that lets more than MAX_BUFFERED_MESSAGES pile up is told where to resume */
  private endSlowReaders(): void {
    for (const socket of this.liveSockets) {
      if (waitingPackets(socket) > MAX_BUFFERED_MESSAGES)
        socket.data.subscription?.end(
          `slow consumer: more than ${MAX_BUFFERED_MESSAGES} messages waiting`,
        );
    }
  }

  private joinNoticeRooms(
    socket: FeedSocket,
    kinds: readonly FeedKind[],
    planIds: readonly string[],
  ): void {
    for (const kind of kinds) {
      // mentions go to the user's own room, whatever plans they watch
      if (kind === 'change' || kind === 'mention') continue;
      for (const planId of planIds) void socket.join(noticeRoom(kind, planId));
    }
  }

  /** grants and revocations change what a running subscription covers, at once */
  private followMembership(socket: FeedSocket, userId: string): () => void {
    if (this.access.mode === 'off') return () => undefined;
    const wildcard = socket.data.request?.plans === '*';
    return this.membership.onMembershipChanged((change) => {
      const planIds = socket.data.planIds;
      if (change.userId !== userId || !planIds) return;
      if (change.role === undefined && planIds.has(change.planId)) {
        planIds.delete(change.planId);
        for (const room of [...socket.rooms])
          if (room.endsWith(`:${change.planId}`)) void socket.leave(room);
        if (!wildcard && planIds.size === 0) {
          socket.data.subscription?.end(`access to plan ${change.planId} was revoked`);
          this.stop(socket);
        }
      } else if (change.role !== undefined && wildcard && !planIds.has(change.planId)) {
        planIds.add(change.planId);
        this.joinNoticeRooms(socket, socket.data.request?.kinds ?? [], [change.planId]);
        // a subscription still catching up reads the plan from its scope, and joins on going live
        if (this.liveSockets.has(socket)) void socket.join(changeRoom(change.planId));
      }
    });
  }

  private stop(socket: FeedSocket): void {
    if (socket.data.subscription) this.subscribers -= 1;
    socket.data.subscription?.stop();
    socket.data.subscription = undefined;
    socket.data.stopMembership?.();
    socket.data.stopMembership = undefined;
    for (const room of [...socket.rooms])
      if (room.startsWith('notice:') || room.startsWith('user:')) void socket.leave(room);
  }

  /**
   * Notices for people: scope creep to the plan's notice rooms like any read-model notice; a
   * mention to the mentioned user's sockets, if that user may read the plan (mentioning someone
   * must not show them a plan they have no role on).
   */
  private async deliver(notice: ProjectionNotice): Promise<void> {
    if (!this.namespace) return;
    // a read model replayed from position 0 (rebuild, new projection version) projects every
    // old mention again; people are told about what just happened, not about last month
    if (!(Date.now() - Date.parse(notice.at) <= PERSONAL_NOTICE_MAX_AGE_MS)) return;
    switch (notice.kind) {
      case 'scope-creep':
      case 'plan.problem':
        this.namespace
          .to([noticeRoom(notice.kind, notice.planId), noticeRoom(notice.kind, ALL_PLANS)])
          .emit('notice', notice);
        return;
      case 'mention': {
        try {
          const role =
            this.access.mode === 'off'
              ? 'owner'
              : await this.membership.roleOf(notice.planId, notice.userId);
          if (role === undefined || !canRead(role)) return;
          this.namespace.to(userRoom(notice.userId)).emit('notice', notice);
        } catch (error) {
          this.logger.error(
            { err: error, planId: notice.planId, userId: notice.userId },
            'mention notice not delivered',
          );
        }
        return;
      }
      default: {
        const unhandled: never = notice;
        this.logger.warn(`unknown projection notice ${JSON.stringify(unhandled)}`);
      }
    }
  }
}
