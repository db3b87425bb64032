/**
 * A binary message that goes to many connections alike (a broadcast update, an awareness
 * change), framed for the websocket wire once (RFC 6455: final, binary, unmasked as a server
 * sends it; header and payload in one buffer). Each connection then costs one socket write of
 * that buffer, instead of `ws` framing the message anew and writing header and payload as two
 * chunks for every connection.
 *
 *   const prepared = new PreparedMessage(writeUpdateMessage(update));
 *   for (const ws of sockets) sendPrepared(ws, prepared);
 */
import { WebSocket } from 'ws';

const FIN_BINARY = 0x82;

export class PreparedMessage {
  /** the whole websocket frame */
  readonly wire: Buffer;

  constructor(readonly message: Uint8Array) {
    const length = message.byteLength;
    const headerBytes = length < 126 ? 2 : length < 65536 ? 4 : 10;
    const wire = Buffer.allocUnsafe(headerBytes + length);
    wire[0] = FIN_BINARY;
    if (length < 126) {
      wire[1] = length;
    } else if (length < 65536) {
      wire[1] = 126;
      wire.writeUInt16BE(length, 2);
    } else {
      wire[1] = 127;
      wire.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
      wire.writeUInt32BE(length >>> 0, 6);
    }
    wire.set(message, headerBytes);
    this.wire = wire;
  }

  get byteLength(): number {
    return this.message.byteLength;
  }
}

/** the part of ws' Sender this relies on (ws 8): how it writes a framed message */
interface WsSender {
  /** 0 (DEFAULT) when nothing is queued behind compression or a Blob */
  readonly _state?: number;
  sendFrame?(list: Buffer[], cb?: (error?: Error) => void): void;
}

/**
 * Writes the prepared frame to an open connection through ws' own frame writer, as ws does for
 * a message it framed itself (uncompressed: a peer that negotiated compression reads those
 * too). When ws has messages queued (behind compression or a Blob; neither is used here) or
 * the connection is not open, the message goes through `ws.send`, which keeps its ordering and
 * closing rules.
 */
export function sendPrepared(ws: WebSocket, prepared: PreparedMessage): void {
  const sender = (ws as unknown as { _sender?: WsSender })._sender;
  if (ws.readyState === WebSocket.OPEN && sender?._state === 0 && sender.sendFrame) {
    sender.sendFrame([prepared.wire]);
    return;
  }
  ws.send(prepared.message, { binary: true });
}
