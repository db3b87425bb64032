/**
 * Wires live collaboration into the app: the snapshot store next to the configured event
 * store, the live documents, the `/collab/:planId` endpoint on the HTTP server's port,
 * REST commands and time travel. Auth decides who connects, through the same PlanAccess as HTTP.
 */
import {
  BeforeApplicationShutdown,
  DynamicModule,
  Global,
  Inject,
  Logger,
  Module,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import {
  CloseCode,
  CollabServer,
  ConnectionClosingError,
  FanOutExtension,
  LiveDocuments,
  PlanCommands,
  PlanHistory,
  openPlanBus,
  openSnapshotStore,
  SnapshotExtension,
  type Authenticate,
  type CollabExtension,
  type CollabSettings,
  type SnapshotStore,
} from '@lib/collab';
import {
  canEdit,
  isForbidden,
  isPlanNotFound,
  isUnauthenticated,
  PlanAccess,
  PlanMembership,
} from '@lib/auth';
import type { AppConfig } from '@lib/config';
import type { EventStore } from '@lib/event-store';
import { EVENT_STORE } from '@lib/event-store/nest';
import { ServerMetrics } from '../metrics/server-metrics';

export const SNAPSHOT_STORE = Symbol('SNAPSHOT_STORE');
export const COLLAB_SETTINGS = Symbol('COLLAB_SETTINGS');

/** the collab objects that depend on each other, built together */
export class CollabRuntime {
  constructor(
    readonly documents: LiveDocuments,
    readonly server: CollabServer,
  ) {}
}

/** counts durable updates by where they came from */
function updateCounter(metrics: ServerMetrics): CollabExtension {
  return { afterAppend: ({ origin }) => metrics.updates.inc({ origin: origin.kind }) };
}

/** counts loads and the events each read after its snapshot: a cold load should read few */
function loadCounter(metrics: ServerMetrics): CollabExtension {
  return {
    afterLoadDocument: ({ startedFrom, tailEvents }) => {
      metrics.documentLoads.inc({ source: startedFrom });
      metrics.documentLoadTailEvents.inc({ source: startedFrom }, tailEvents);
    },
  };
}

/** maps the shared access decision onto websocket close codes */
function authenticateWith(access: PlanAccess): Authenticate {
  return async ({ planId, token, params }) => {
    try {
      const grant = await access.authorize(token, planId, 'read', {
        assertedUserId: params.get('user') ?? undefined,
      });
      return {
        userId: grant.principal.userId,
        name: grant.principal.name,
        canWrite: canEdit(grant.role) && !grant.archived,
      };
    } catch (error) {
      if (isUnauthenticated(error))
        throw new ConnectionClosingError(CloseCode.unauthorized, error.message);
      if (isForbidden(error)) throw new ConnectionClosingError(CloseCode.forbidden, error.message);
      if (isPlanNotFound(error))
        throw new ConnectionClosingError(CloseCode.planNotFound, error.message);
      throw error;
    }
  };
}

@Global()
@Module({})
export class CollabModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Collab');
  private unsubscribeMembership: (() => void) | undefined;

  constructor(
    private readonly runtime: CollabRuntime,
    private readonly adapterHost: HttpAdapterHost,
    @Inject(PlanMembership) private readonly membership: PlanMembership,
  ) {}

  static forRoot(config: AppConfig, settings: CollabSettings, snapshotKeep = 20): DynamicModule {
    const logger = new Logger('Collab');
    return {
      module: CollabModule,
      providers: [
        { provide: COLLAB_SETTINGS, useValue: settings },
        { provide: SNAPSHOT_STORE, useFactory: () => openSnapshotStore(config) },
        {
          provide: CollabRuntime,
          inject: [EVENT_STORE, SNAPSHOT_STORE, PlanAccess, ServerMetrics],
          useFactory: async (
            store: EventStore,
            snapshots: SnapshotStore,
            access: PlanAccess,
            metrics: ServerMetrics,
          ) => {
            const extensions: CollabExtension[] = [
              updateCounter(metrics),
              loadCounter(metrics),
              new SnapshotExtension(
                snapshots,
                {
                  everyUpdates: settings.snapshotEveryUpdates,
                  intervalMs: settings.snapshotIntervalMs,
                  keep: snapshotKeep,
                },
                (error, planId) =>
                  logger.error({ err: error, planId }, 'snapshot write failed; will retry'),
              ),
            ];
            const documents = new LiveDocuments(store, settings, extensions);
            // Redis between nodes when REDIS_URL is set; otherwise this node is alone
            const bus = await openPlanBus(
              config.redisUrl ? { url: config.redisUrl, prefix: config.redisPrefix } : undefined,
              (error) => {
                metrics.redisErrors.inc({ component: 'fan-out' });
                logger.warn(
                  { err: error },
                  'redis fan-out error; missed updates are read from the store',
                );
              },
            );
            extensions.push(
              new FanOutExtension(bus, store, () => documents, {
                nodeId: randomUUID(),
                checkIntervalMs: 2000,
                onError: (error, planId) => logger.warn({ err: error, planId }, 'fan-out error'),
              }),
            );
            const server = new CollabServer(
              () => documents,
              authenticateWith(access),
              settings,
              (error, context) =>
                logger.error({ err: error, ...context }, 'collab connection failed'),
            );
            extensions.push(server);
            metrics.gauge(
              'plan_collab_connections',
              'Open /collab websocket connections',
              () => server.connectionCount,
            );
            metrics.gauge(
              'plan_collab_loaded_plans',
              'Plans loaded in memory on this node',
              () => documents.loadedCount,
            );
            metrics.gauge(
              'plan_collab_parked_plans',
              'Loaded plans kept only as their encoded state (nobody used them for DOC_PARK_IDLE_MS)',
              () => documents.parkedCount,
            );
            return new CollabRuntime(documents, server);
          },
        },
        {
          provide: PlanCommands,
          inject: [CollabRuntime, EVENT_STORE],
          useFactory: (runtime: CollabRuntime, store: EventStore) =>
            new PlanCommands(runtime.documents, store),
        },
        {
          provide: PlanHistory,
          inject: [EVENT_STORE, SNAPSHOT_STORE],
          useFactory: (store: EventStore, snapshots: SnapshotStore) =>
            new PlanHistory(store, snapshots),
        },
      ],
      exports: [CollabRuntime, PlanCommands, PlanHistory],
    };
  }

  onApplicationBootstrap(): void {
    this.runtime.server.attach(this.adapterHost.httpAdapter.getHttpServer() as Server);
    this.unsubscribeMembership = this.membership.onMembershipChanged(
      ({ planId, userId, role, archived }) =>
        this.runtime.server.updateAccess(
          planId,
          userId,
          role ? { userId, canWrite: canEdit(role) && !archived } : undefined,
        ),
    );
    this.logger.log('collab endpoint ready on /collab/:planId');
  }

  /** connections close first, then documents are unloaded (writing their snapshots) */
  async beforeApplicationShutdown(): Promise<void> {
    this.unsubscribeMembership?.();
    await this.runtime.server.close();
    await this.runtime.documents.unloadAll();
  }
}
