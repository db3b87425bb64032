/**
 * Cross-node fan-out of live documents. A node publishes each update it made durable and its
 * connections' awareness; nodes with the plan loaded apply updates in stream-version order
 * (LiveDocument buffers out-of-order ones) and read any version they did not receive from
 * the store: after a gap, after the bus reconnects, and on a periodic check.
 */
import type { EventStore } from '@lib/event-store';
import { applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import type {
  AppendedPayload,
  CollabExtension,
  DocumentPayload,
  LoadPayload,
} from '../collab-extension';
import { isLocalOrigin, type ChangeOrigin } from '../documents/change-origin';
import type { LiveDocument } from '../documents/live-document';
import type { LiveDocuments } from '../documents/live-documents';
import { PLAN_UPDATED, planStreamId } from '../plan-stream';
import { readBusMessage, writeBusMessage } from './plan-bus-messages';
import type { PlanBus } from './plan-bus.port';

interface AwarenessChange {
  readonly added: number[];
  readonly updated: number[];
  readonly removed: number[];
}

export interface FanOutOptions {
  readonly nodeId: string;
  /** how often loaded documents are compared with the store's stream version */
  readonly checkIntervalMs: number;
  readonly onError: (error: unknown, planId?: string) => void;
}

export class FanOutExtension implements CollabExtension {
  private readonly subscriptions = new Map<string, Promise<() => Promise<void>>>();
  private readonly peerOrigin: ChangeOrigin;
  private readonly timer: NodeJS.Timeout;
  private readonly stopReconnect: () => void;

  constructor(
    private readonly bus: PlanBus,
    private readonly store: EventStore,
    private readonly documents: () => LiveDocuments,
    private readonly options: FanOutOptions,
  ) {
    this.peerOrigin = { kind: 'peer-node', nodeId: options.nodeId };
    this.stopReconnect = bus.onReconnect(() => this.catchUpAll());
    this.timer = setInterval(() => void this.checkVersions(), options.checkIntervalMs);
    this.timer.unref();
  }

  afterLoadDocument({ document }: DocumentPayload): void {
    const planId = document.planId;
    const subscribed = this.bus.subscribe(planId, (frame) => this.receive(document, frame));
    this.subscriptions.set(planId, subscribed);
    // whatever was published between the load's read and the subscription is read back now
    subscribed
      .then(() => this.documents().catchUp(document))
      .catch((error: unknown) => this.options.onError(error, planId));
    document.awareness.on(
      'update',
      ({ added, updated, removed }: AwarenessChange, origin: unknown) => {
        if (origin === this.peerOrigin) return;
        const changed = [...added, ...updated, ...removed];
        const payload = encodeAwarenessUpdate(document.awareness, changed);
        this.bus
          .publish(
            planId,
            writeBusMessage({ kind: 'awareness', nodeId: this.options.nodeId, payload }),
          )
          .catch((error: unknown) => this.options.onError(error, planId));
      },
    );
  }

  afterAppend({ document, version, position, update, origin }: AppendedPayload): void {
    if (!isLocalOrigin(origin)) return;
    const frame = writeBusMessage({
      kind: 'update',
      nodeId: this.options.nodeId,
      version,
      position,
      payload: update,
    });
    this.bus
      .publish(document.planId, frame)
      .catch((error: unknown) => this.options.onError(error, document.planId));
  }

  afterUnloadDocument({ planId }: LoadPayload): void {
    const subscription = this.subscriptions.get(planId);
    this.subscriptions.delete(planId);
    subscription
      ?.then((unsubscribe) => unsubscribe())
      .catch((error: unknown) => this.options.onError(error, planId));
  }

  async destroy(): Promise<void> {
    clearInterval(this.timer);
    this.stopReconnect();
    await this.bus.close();
  }

  private receive(document: LiveDocument, frame: Uint8Array): void {
    let message;
    try {
      message = readBusMessage(frame);
    } catch (error) {
      this.options.onError(error, document.planId);
      return;
    }
    if (message.nodeId === this.options.nodeId) return;
    if (message.kind === 'awareness') {
      applyAwarenessUpdate(document.awareness, message.payload, this.peerOrigin);
      return;
    }
    this.documents().deliver(document, message.version, {
      type: PLAN_UPDATED,
      data: message.payload,
      origin: this.peerOrigin,
    });
  }

  private catchUpAll(): void {
    for (const document of this.documents().all()) {
      this.documents()
        .catchUp(document)
        .catch((error: unknown) => this.options.onError(error, document.planId));
    }
  }

  /** a lost last message leaves no gap to notice; comparing with the store's head finds it */
  private async checkVersions(): Promise<void> {
    for (const document of this.documents().all()) {
      try {
        if ((await this.store.streamVersion(planStreamId(document.planId))) > document.version) {
          await this.documents().catchUp(document);
        }
      } catch (error) {
        this.options.onError(error, document.planId);
      }
    }
  }
}
