import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { eventually } from '../../../../test/support/clients';
import { PreparedMessage, sendPrepared } from './prepared-message';

/** the ws frame writer the prepared path goes through */
const frameWriterOf = (ws: WebSocket) =>
  (ws as unknown as { _sender: { sendFrame(list: Buffer[]): void } })._sender;

/** a message whose bytes tell where they came from */
function message(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 31 + seed) & 0xff;
  return bytes;
}

describe('PreparedMessage over a real websocket', () => {
  let server: WebSocketServer;
  let serverSide: Promise<WebSocket>;
  let client: WebSocket;
  let received: Buffer[];

  beforeEach(async () => {
    server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    serverSide = new Promise((resolve) => server.once('connection', resolve));
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    client = new WebSocket(`ws://127.0.0.1:${port}`);
    received = [];
    client.on('message', (data: Buffer, isBinary: boolean) => {
      expect(isBinary).toBe(true);
      received.push(data);
    });
    await new Promise((resolve) => client.once('open', resolve));
  });

  afterEach(async () => {
    client.terminate();
    await new Promise((resolve) => server.close(resolve));
  });

  it('given messages around every header size, when sent prepared between plain sends, then the client reads each one whole, in order', async () => {
    const ws = await serverSide;
    const lengths = [1, 125, 126, 127, 65535, 65536, 200_000];
    const sent: Uint8Array[] = [];
    lengths.forEach((length, i) => {
      const prepared = message(length, i);
      sendPrepared(ws, new PreparedMessage(prepared));
      const plain = message(length % 1000 || 3, 100 + i);
      ws.send(plain, { binary: true });
      sent.push(prepared, plain);
    });
    await eventually(() => expect(received).toHaveLength(sent.length));
    expect(received.map((b) => b.byteLength)).toEqual(sent.map((m) => m.byteLength));
    received.forEach((bytes, i) => expect(Buffer.compare(bytes, sent[i])).toBe(0));
  });

  it('given one prepared message sent three times, then ws writes the prepared frame as it is, each arrives, and the frame is unchanged', async () => {
    const ws = await serverSide;
    const prepared = new PreparedMessage(message(300, 7));
    const wire = Buffer.from(prepared.wire);
    // the frame goes through ws' own frame writer, not a fallback that frames it again
    const sendFrame = jest.spyOn(frameWriterOf(ws), 'sendFrame');
    for (let i = 0; i < 3; i++) sendPrepared(ws, prepared);
    expect(sendFrame.mock.calls).toEqual([[[prepared.wire]], [[prepared.wire]], [[prepared.wire]]]);
    await eventually(() => expect(received).toHaveLength(3));
    for (const bytes of received) expect(Buffer.compare(bytes, prepared.message)).toBe(0);
    expect(Buffer.compare(prepared.wire, wire)).toBe(0);
  });

  it('given a connection that is closing, when a prepared message is sent, then it is not written and nothing throws', async () => {
    const ws = await serverSide;
    const sendFrame = jest.spyOn(frameWriterOf(ws), 'sendFrame');
    const closed = new Promise((resolve) => client.once('close', resolve));
    ws.close(1000, 'bye');
    sendFrame.mockClear(); // the close frame itself
    expect(() => sendPrepared(ws, new PreparedMessage(message(10, 1)))).not.toThrow();
    // nothing goes to the socket after the close frame (a peer would drop it anyway)
    expect(sendFrame).not.toHaveBeenCalled();
    await closed;
    expect(received).toEqual([]);
  });
});
