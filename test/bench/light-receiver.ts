/**
 * A lightweight bench client: one raw `ws` socket, no Y.Doc. It answers the sync handshake
 * once, optionally sends one seed update (the memory run's document content), and then only
 * reads the send times out of incoming updates, so hundreds of them fit in one process.
 */
import WebSocket from 'ws';
import * as Y from 'yjs';
import {
  EMPTY_UPDATE,
  SYNC_STEP1,
  SYNC_STEP2,
  SYNC_UPDATE,
  readServerFrame,
  socketUrl,
  writeOpeningFrames,
  writeSyncFrame,
  type CollabTarget,
} from './collab-wire';
import { nowMs, readStamps } from './edit-timestamps';

export interface ReceiverOptions {
  /** called with (arrival time − send time) in ms for every stamped edit received */
  readonly onLatencyMs?: (latencyMs: number) => void;
  /** sent once after the handshake; `ready` resolves only when the server has applied it */
  readonly seed?: Uint8Array;
}

export class LightReceiver {
  /** resolves once the server has answered our sync step 1 (and applied the seed, if any) */
  readonly ready: Promise<void>;
  stampsReceived = 0;
  /** sync updates that carried no stamp (e.g. another client's seed or plan metadata) */
  otherUpdates = 0;
  /** the first thing that went wrong (unreadable frame, socket error, closed by the server), if anything */
  failure: string | undefined;
  private readonly ws: WebSocket;
  private answeredStep1 = false;
  private closing = false;
  /** server step 2 replies still expected: one for our opening step 1, one for the seed barrier */
  private step2Pending: number;

  constructor(
    private readonly target: CollabTarget,
    private readonly docName: string,
    private readonly options: ReceiverOptions = {},
  ) {
    this.step2Pending = options.seed ? 2 : 1;
    this.ws = new WebSocket(socketUrl(target, docName), { perMessageDeflate: false });
    this.ws.binaryType = 'nodebuffer';
    this.ready = new Promise<void>((resolve, reject) => {
      this.ws.on('error', (error) => {
        this.failure ??= `${docName}: ${error.message}`;
        reject(error);
      });
      this.ws.once('close', (code, reason) => {
        if (!this.closing)
          this.failure ??= `${docName}: closed by the server (${code} ${reason.toString()})`;
        reject(new Error(`${docName}: socket closed before ready (${code} ${reason.toString()})`));
      });
      this.ws.once('open', () => {
        for (const frame of writeOpeningFrames(target.dialect, docName)) this.ws.send(frame);
      });
      this.ws.on('message', (data: Buffer) => {
        try {
          if (this.onFrame(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)))
            resolve();
        } catch (error) {
          // a frame we cannot read makes every later count meaningless: report it, stop reading
          this.failure ??= `${docName}: ${error instanceof Error ? error.message : String(error)}`;
          reject(new Error(this.failure));
          this.ws.terminate();
        }
      });
    });
  }

  close(): Promise<void> {
    this.closing = true;
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      // a server that never answers the close handshake must not stall the run for ws' 30 s
      const force = setTimeout(() => this.ws.terminate(), 2000);
      this.ws.once('close', () => (clearTimeout(force), resolve()));
      this.ws.close();
    });
  }

  /** returns true when this frame completed the handshake */
  private onFrame(frame: Uint8Array): boolean {
    const message = readServerFrame(this.target.dialect, frame);
    if (message.kind !== 'sync') return false;
    switch (message.syncType) {
      case SYNC_STEP1:
        // answered once: the receiver never has anything the server lacks
        if (!this.answeredStep1)
          this.ws.send(writeSyncFrame(this.target.dialect, this.docName, SYNC_STEP2, EMPTY_UPDATE));
        this.answeredStep1 = true;
        return false;
      case SYNC_STEP2:
        if (this.step2Pending === 0) return false;
        this.step2Pending -= 1;
        if (this.step2Pending === 1 && this.options.seed) {
          // servers handle one connection's messages in order, so the step 2 answering this
          // step 1 proves the seed update before it was applied
          this.ws.send(
            writeSyncFrame(this.target.dialect, this.docName, SYNC_UPDATE, this.options.seed),
          );
          this.ws.send(
            writeSyncFrame(
              this.target.dialect,
              this.docName,
              SYNC_STEP1,
              Y.encodeStateVectorFromUpdate(this.options.seed),
            ),
          );
        }
        return this.step2Pending === 0;
      case SYNC_UPDATE: {
        if (!this.options.onLatencyMs) return false;
        const arrivedAtMs = nowMs();
        const stamps = readStamps(message.payload);
        if (stamps.length === 0) this.otherUpdates += 1;
        for (const sentAtMs of stamps) this.options.onLatencyMs(arrivedAtMs - sentAtMs);
        this.stampsReceived += stamps.length;
        return false;
      }
      default: {
        const unhandled: never = message.syncType;
        throw new Error(`unhandled sync type ${String(unhandled)}`);
      }
    }
  }
}
