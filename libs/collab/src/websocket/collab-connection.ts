/**
 * One websocket on /collab/:planId. Messages are handled one at a time in arrival order
 * (the first task authenticates and loads the plan, so messages that arrive meanwhile wait).
 * Any failure closes this connection with a named code; it never reaches the process.
 */
import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import { isStoreUnavailable } from '@lib/event-store';
import {
  applyAwarenessUpdate,
  encodeAwarenessUpdate,
  removeAwarenessStates,
} from 'y-protocols/awareness';
import { isDocumentTooLarge, type LiveDocuments } from '../documents/live-documents';
import type { LiveDocument } from '../documents/live-document';
import { updateAddsToDoc } from '../documents/update-novelty';
import type { ClientUpdate } from '../protocol/client-update';
import {
  CloseCode,
  ConnectionClosingError,
  closeReason,
  isConnectionClosingError,
} from '../protocol/close-codes';
import {
  readClientMessage,
  writeAck,
  writeAwarenessMessage,
  writePermissionDenied,
  writeSyncStep1,
  writeSyncStep2,
  type ClientMessage,
} from '../protocol/y-websocket-messages';
import type { CollabSettings } from '../collab-settings';
import type { Authenticate, ConnectionAccess } from './connection-access';
import { PreparedMessage, sendPrepared } from './prepared-message';
import { TokenBucket } from './token-bucket';

/** appends one connection may have waiting for their commit before it reads further messages */
const MAX_UPDATES_IN_FLIGHT = 64;

export interface ConnectionContext {
  readonly documents: LiveDocuments;
  readonly settings: CollabSettings;
  readonly authenticate: Authenticate;
  /** counts an authenticated connection against the connection limits; throws a 4429 close when over */
  admit(connection: CollabConnection): void;
  /** an admitted connection closed */
  dismissed(connection: CollabConnection): void;
  joined(connection: CollabConnection): void;
  left(connection: CollabConnection): void;
  onError(error: unknown, connection: CollabConnection): void;
}

export class CollabConnection {
  readonly id = randomUUID();
  access: ConnectionAccess | undefined;
  document: LiveDocument | undefined;
  /** awareness client ids this connection has announced, removed for others when it closes */
  readonly awarenessClients = new Set<number>();
  private queue: Promise<void> = Promise.resolve();
  private queued = 0;
  private closed = false;
  private admitted = false;
  private ackedUpdates = 0;
  /** the acknowledgement of the newest update; resolves after every earlier one */
  private inFlight: Promise<void> = Promise.resolve();
  private inFlightCount = 0;
  private readonly rate: TokenBucket | undefined;

  constructor(
    private readonly ws: WebSocket,
    readonly planId: string,
    private readonly token: string | undefined,
    private readonly params: URLSearchParams,
    private readonly context: ConnectionContext,
  ) {
    ws.binaryType = 'nodebuffer';
    const { rateLimitMessagesPerSec, rateLimitBurst } = context.settings;
    this.rate =
      rateLimitMessagesPerSec > 0
        ? new TokenBucket(rateLimitMessagesPerSec, rateLimitBurst, Date.now())
        : undefined;
    ws.on('message', (data: Buffer, isBinary: boolean) => this.receive(data, isBinary));
    ws.on('close', () => this.onClosed());
    ws.on('error', () => this.onClosed());
    this.enqueue(() => this.open());
  }

  get wantsAcks(): boolean {
    return this.params.get('ack') === '1';
  }

  /** a message of this connection's own, or one prepared once for many (a broadcast) */
  send(frame: Uint8Array | PreparedMessage): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    const max = this.context.settings.maxSendBufferBytes;
    if (this.ws.bufferedAmount + frame.byteLength > max) {
      this.closeSlowReader(max);
      return;
    }
    if (frame instanceof PreparedMessage) sendPrepared(this.ws, frame);
    else this.ws.send(frame, { binary: true });
  }

  close(code: number, reason: string): void {
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) {
      this.ws.close(code, closeReason(reason));
    }
    this.onClosed();
  }

  /** membership changed while connected: read-only from now on, or closed when revoked */
  updateAccess(access: ConnectionAccess | undefined): void {
    if (!access) this.close(CloseCode.forbidden, `membership on plan ${this.planId} revoked`);
    else this.access = access;
  }

  private receive(data: Buffer, isBinary: boolean): void {
    if (this.closed) return;
    if (this.rate && !this.rate.take(Date.now())) {
      const { rateLimitMessagesPerSec, rateLimitBurst } = this.context.settings;
      this.close(
        CloseCode.rateLimited,
        `rate limit: more than ${rateLimitMessagesPerSec} messages/s (burst ${rateLimitBurst}); unacknowledged updates were not stored, reconnect to resend`,
      );
      return;
    }
    this.enqueue(() => this.handleFrame(data, isBinary));
  }

  /**
   * Nothing more is sent to a reader that cannot keep up; it is closed and resyncs when it
   * reconnects. Its close frame waits behind the unread data, so the socket is destroyed
   * if the close handshake does not finish within the grace time.
   */
  private closeSlowReader(maxBytes: number): void {
    const ws = this.ws;
    this.close(
      CloseCode.tryAgainLater,
      `send buffer over ${maxBytes} bytes: the client reads too slowly; reconnect to resync`,
    );
    setTimeout(() => {
      if (ws.readyState !== ws.CLOSED) ws.terminate();
    }, this.context.settings.slowReaderGraceMs).unref();
  }

  private enqueue(task: () => Promise<void> | void): void {
    if (this.closed) return;
    if (++this.queued > this.context.settings.maxQueuedMessages) {
      this.close(
        CloseCode.rateLimited,
        `more than ${this.context.settings.maxQueuedMessages} messages waiting`,
      );
      return;
    }
    this.queue = this.queue
      .then(async () => {
        if (!this.closed) await task();
      })
      .catch((error: unknown) => this.fail(error))
      .finally(() => {
        this.queued -= 1;
      });
  }

  private fail(error: unknown): void {
    if (isConnectionClosingError(error)) {
      this.close(error.closeCode, error.reason);
      return;
    }
    if (isDocumentTooLarge(error)) {
      this.close(
        CloseCode.documentTooLarge,
        `document would exceed ${error.maxDocBytes} bytes; the update was not stored`,
      );
      return;
    }
    this.context.onError(error, this);
    if (isStoreUnavailable(error)) {
      this.close(
        CloseCode.internalError,
        'event store unavailable; nothing unacknowledged was stored, reconnect to resend',
      );
      return;
    }
    this.close(
      CloseCode.internalError,
      'server error; nothing unacknowledged was stored, reconnect to resend',
    );
  }

  private async open(): Promise<void> {
    this.access = await this.context.authenticate({
      planId: this.planId,
      token: this.token,
      params: this.params,
    });
    if (this.closed) return;
    this.context.admit(this);
    this.admitted = true;
    this.document = await this.context.documents.acquire(this.planId);
    if (this.closed) {
      this.context.documents.release(this.document);
      this.document = undefined;
      return;
    }
    this.context.joined(this);
    this.send(writeSyncStep1(this.document.stateVector()));
    const states = this.document.awareness.getStates();
    if (states.size > 0) {
      this.send(
        writeAwarenessMessage(encodeAwarenessUpdate(this.document.awareness, [...states.keys()])),
      );
    }
  }

  private async handleFrame(data: Buffer, isBinary: boolean): Promise<void> {
    if (!isBinary)
      throw new ConnectionClosingError(
        CloseCode.protocolError,
        'text frames are not part of the protocol',
      );
    const document = this.document;
    if (!document) return;
    const message = readClientMessage(
      new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    );
    await this.handleMessage(document, message);
  }

  private async handleMessage(document: LiveDocument, message: ClientMessage): Promise<void> {
    switch (message.type) {
      case 'sync-step1':
        this.send(writeSyncStep2(document.encodeStateAsUpdate(message.stateVector)));
        return;
      case 'sync-step2':
      case 'update':
        await this.handleUpdate(document, message.update);
        return;
      case 'awareness':
        applyAwareness(document, message.update, this);
        return;
      case 'query-awareness':
        this.send(
          writeAwarenessMessage(
            encodeAwarenessUpdate(document.awareness, [...document.awareness.getStates().keys()]),
          ),
        );
        return;
      case 'auth':
        return;
      default: {
        const unhandled: never = message;
        throw new Error(`unhandled message ${String(unhandled)}`);
      }
    }
  }

  /**
   * Updates are pipelined: the next message is handled while earlier appends are still being
   * committed (so one connection's edits share group commits), but acknowledgements leave in
   * the order the updates arrived, and the first failure stops them and closes the connection.
   */
  private async handleUpdate(document: LiveDocument, update: ClientUpdate): Promise<void> {
    if (!updateAddsToDoc(update, () => document.doc)) {
      this.afterInFlight(Promise.resolve(document.version));
      return;
    }
    const access = this.access;
    if (!access?.canWrite) {
      this.send(
        writePermissionDenied(`read-only access to plan ${this.planId}: the update was not stored`),
      );
      return;
    }
    if (this.inFlightCount >= MAX_UPDATES_IN_FLIGHT) await this.inFlight.catch(() => undefined);
    const appended = this.context.documents
      .appendUpdate(
        document,
        update.bytes,
        { actor: access.userId, at: new Date().toISOString(), clientId: this.id },
        { kind: 'connection', connectionId: this.id },
      )
      .then(({ version }) => version);
    this.afterInFlight(appended);
  }

  private afterInFlight(version: Promise<number>): void {
    this.inFlightCount += 1;
    this.inFlight = Promise.all([this.inFlight, version]).then(([, v]) => {
      this.inFlightCount -= 1;
      this.acknowledge(v);
    });
    this.inFlight.catch((error: unknown) => this.fail(error));
  }

  private acknowledge(streamVersion: number): void {
    this.ackedUpdates += 1;
    if (this.wantsAcks) this.send(writeAck({ ackedUpdates: this.ackedUpdates, streamVersion }));
  }

  private onClosed(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.admitted) this.context.dismissed(this);
    const document = this.document;
    if (!document) return;
    this.document = undefined;
    if (this.awarenessClients.size > 0)
      removeAwarenessStates(document.awareness, [...this.awarenessClients], this);
    this.context.left(this);
    this.context.documents.release(document);
  }
}

/** awareness is decoded while it is applied, so a malformed one surfaces here as a protocol error */
function applyAwareness(
  document: LiveDocument,
  update: Uint8Array,
  origin: CollabConnection,
): void {
  try {
    applyAwarenessUpdate(document.awareness, update, origin);
  } catch (error) {
    throw new ConnectionClosingError(
      CloseCode.protocolError,
      `malformed awareness update: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
