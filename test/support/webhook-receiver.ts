/**
 * A webhook receiver on a loopback port that records every delivery it gets (raw body,
 * headers, whether the signature checks out) and answers with what the test decides.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { verifyWebhookSignature } from '../../apps/server/src/webhooks/webhook-signature';

export interface ReceivedDelivery {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly position: number;
  readonly signatureValid: boolean;
  /** the status this receiver answered */
  readonly status: number;
}

export interface WebhookReceiver {
  readonly port: number;
  readonly host: string;
  url(path: string): string;
  readonly deliveries: ReceivedDelivery[];
  close(): Promise<void>;
}

/** `answer` picks the status for the n-th request (0-based) to a path */
export async function startWebhookReceiver(
  secret: string,
  answer: (path: string, nth: number) => number = () => 200,
): Promise<WebhookReceiver> {
  const deliveries: ReceivedDelivery[] = [];
  const counts = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = request.url ?? '/';
      const nth = counts.get(path) ?? 0;
      counts.set(path, nth + 1);
      const status = answer(path, nth);
      const header = request.headers['x-plan-webhook-signature'];
      deliveries.push({
        path,
        headers: request.headers,
        body,
        position: Number(request.headers['x-plan-webhook-position']),
        signatureValid: verifyWebhookSignature(
          secret,
          typeof header === 'string' ? header : undefined,
          body,
          Math.floor(Date.now() / 1000),
        ).valid,
        status,
      });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    host: `127.0.0.1:${port}`,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    deliveries,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
