/**
 * The `/collab/:planId` websocket endpoint (standard y-websocket protocol) on the HTTP
 * server's port. It owns the connections of each plan and, as a lifecycle extension,
 * relays every applied document change and awareness change to them.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { encodeAwarenessUpdate } from 'y-protocols/awareness';
import type { CollabExtension, DocumentPayload } from '../collab-extension';
import type { CollabSettings } from '../collab-settings';
import type { ChangeOrigin } from '../documents/change-origin';
import type { LiveDocuments } from '../documents/live-documents';
import { CloseCode, ConnectionClosingError } from '../protocol/close-codes';
import { writeAwarenessMessage } from '../protocol/y-websocket-messages';
import { CollabConnection } from './collab-connection';
import type { Authenticate, ConnectionAccess } from './connection-access';
import { PreparedMessage } from './prepared-message';
import { UpdateBroadcast } from './update-broadcast';

export const COLLAB_PATH = '/collab/';
const PLAN_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

interface AwarenessChange {
  readonly added: number[];
  readonly updated: number[];
  readonly removed: number[];
}

export class CollabServer implements CollabExtension {
  private readonly wss: WebSocketServer;
  private readonly byPlan = new Map<string, Set<CollabConnection>>();
  /** admitted connections per plan and per user, for the connection limits */
  private readonly admittedPerPlan = new Map<string, number>();
  private readonly admittedPerUser = new Map<string, number>();
  private readonly sockets = new Set<WebSocket>();
  /** updates applied in this turn of the event loop, per plan, sent when it ends */
  private readonly broadcasts = new Map<string, UpdateBroadcast>();
  private broadcastScheduled = false;

  constructor(
    private readonly documents: () => LiveDocuments,
    private readonly authenticate: Authenticate,
    private readonly settings: CollabSettings,
    private readonly onError: (error: unknown, context: Record<string, unknown>) => void,
  ) {
    this.wss = new WebSocketServer({ noServer: true, maxPayload: settings.maxMessageBytes });
  }

  get connectionCount(): number {
    return this.sockets.size;
  }

  /** routes `/collab/*` upgrades to this endpoint and leaves every other path alone */
  attach(server: Server): void {
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (request.url?.startsWith(COLLAB_PATH)) this.handleUpgrade(request, socket, head);
    });
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const planId = decodeURIComponent(url.pathname.slice(COLLAB_PATH.length));
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      this.sockets.add(ws);
      ws.on('close', () => this.sockets.delete(ws));
      if (!PLAN_ID.test(planId)) {
        ws.close(CloseCode.planNotFound, `invalid plan id "${planId.slice(0, 60)}"`);
        return;
      }
      new CollabConnection(
        ws,
        planId,
        url.searchParams.get('token') ?? undefined,
        url.searchParams,
        {
          documents: this.documents(),
          settings: this.settings,
          authenticate: this.authenticate,
          admit: (c) => this.admit(c),
          dismissed: (c) => this.dismissed(c),
          joined: (c) => this.joined(c),
          left: (c) => this.left(c),
          onError: (error, c) => this.onError(error, { planId: c.planId, connectionId: c.id }),
        },
      );
    });
  }

  /** applies a membership change to that user's open connections on the plan */
  updateAccess(planId: string, userId: string, access: ConnectionAccess | undefined): void {
    for (const connection of this.byPlan.get(planId) ?? []) {
      if (connection.access?.userId === userId) connection.updateAccess(access);
    }
  }

  afterLoadDocument({ document }: DocumentPayload): void {
    document.onUpdate((update, origin) => this.queueBroadcast(document.planId, update, origin));
    document.awareness.on(
      'update',
      ({ added, updated, removed }: AwarenessChange, origin: unknown) => {
        if (origin instanceof CollabConnection) {
          for (const id of added) origin.awarenessClients.add(id);
          for (const id of removed) origin.awarenessClients.delete(id);
        }
        const changed = [...added, ...updated, ...removed];
        const frame = new PreparedMessage(
          writeAwarenessMessage(encodeAwarenessUpdate(document.awareness, changed)),
        );
        for (const connection of this.byPlan.get(document.planId) ?? []) connection.send(frame);
      },
    );
  }

  /**
   * Updates are sent when the current turn of the event loop ends, so the updates one group
   * commit made durable reach each connection as one merged message.
   */
  private queueBroadcast(planId: string, update: Uint8Array, origin: ChangeOrigin | undefined) {
    let batch = this.broadcasts.get(planId);
    if (!batch) this.broadcasts.set(planId, (batch = new UpdateBroadcast()));
    batch.add(update, origin);
    if (this.broadcastScheduled) return;
    this.broadcastScheduled = true;
    setImmediate(() => this.sendBroadcasts());
  }

  private sendBroadcasts(): void {
    this.broadcastScheduled = false;
    for (const [planId, batch] of this.broadcasts) {
      for (const connection of this.byPlan.get(planId) ?? []) {
        for (const frame of batch.framesFor(connection.id)) connection.send(frame);
      }
    }
    this.broadcasts.clear();
  }

  /** closes every connection (shutdown); clients reconnect elsewhere or later */
  async close(): Promise<void> {
    for (const ws of this.sockets) ws.close(CloseCode.goingAway, 'server shutting down');
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private admit(connection: CollabConnection): void {
    const { maxConnectionsPerPlan, maxConnectionsPerUser } = this.settings;
    const userId = connection.access?.userId ?? '';
    const onPlan = this.admittedPerPlan.get(connection.planId) ?? 0;
    const ofUser = this.admittedPerUser.get(userId) ?? 0;
    if (maxConnectionsPerPlan > 0 && onPlan >= maxConnectionsPerPlan) {
      throw new ConnectionClosingError(
        CloseCode.rateLimited,
        `too many connections: plan ${connection.planId} has ${onPlan} (MAX_CONNECTIONS_PER_PLAN)`,
      );
    }
    if (maxConnectionsPerUser > 0 && ofUser >= maxConnectionsPerUser) {
      throw new ConnectionClosingError(
        CloseCode.rateLimited,
        `too many connections: user ${userId} has ${ofUser} (MAX_CONNECTIONS_PER_USER)`,
      );
    }
    this.admittedPerPlan.set(connection.planId, onPlan + 1);
    this.admittedPerUser.set(userId, ofUser + 1);
  }

  private dismissed(connection: CollabConnection): void {
    decrement(this.admittedPerPlan, connection.planId);
    decrement(this.admittedPerUser, connection.access?.userId ?? '');
  }

  private joined(connection: CollabConnection): void {
    let set = this.byPlan.get(connection.planId);
    if (!set) this.byPlan.set(connection.planId, (set = new Set()));
    set.add(connection);
  }

  private left(connection: CollabConnection): void {
    const set = this.byPlan.get(connection.planId);
    set?.delete(connection);
    if (set?.size === 0) this.byPlan.delete(connection.planId);
  }
}

function decrement(counts: Map<string, number>, key: string): void {
  const n = (counts.get(key) ?? 0) - 1;
  if (n > 0) counts.set(key, n);
  else counts.delete(key);
}
