/**
 * One delivery attempt: a signed JSON POST to the checked address, judged by its status.
 * Redirects are not followed (a 3xx is a failure): following one would leave the allow list.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { checkedLookup, isForbiddenAddress } from './webhook-destination';
import { SIGNATURE_HEADER, webhookSignature } from './webhook-signature';

export interface DeliveryRequest {
  readonly url: string;
  readonly secret: string;
  readonly webhookId: string;
  readonly position: number;
  readonly attempt: number;
  readonly body: string;
  readonly timeoutMs: number;
}

export type DeliveryOutcome =
  { readonly ok: true } | { readonly ok: false; readonly reason: string };

export function deliver(
  delivery: DeliveryRequest,
  now: Date = new Date(),
): Promise<DeliveryOutcome> {
  const url = new URL(delivery.url);
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(literal) && isForbiddenAddress(literal))
    return Promise.resolve({ ok: false, reason: `${literal} is a link-local or metadata address` });
  const timestampSec = Math.floor(now.getTime() / 1000);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: DeliveryOutcome) => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    const req = send(
      url,
      {
        method: 'POST',
        lookup: checkedLookup as never,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(delivery.body),
          'user-agent': 'plan-collab-server-webhooks',
          'x-plan-webhook-id': delivery.webhookId,
          'x-plan-webhook-position': String(delivery.position),
          'x-plan-webhook-attempt': String(delivery.attempt),
          [SIGNATURE_HEADER]: webhookSignature(delivery.secret, timestampSec, delivery.body),
        },
        timeout: delivery.timeoutMs,
      },
      (response: IncomingMessage) => {
        // drain: the answer's body means nothing, but an unread one keeps the socket busy
        response.resume();
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          settle(
            status >= 200 && status < 300
              ? { ok: true }
              : { ok: false, reason: `receiver answered HTTP ${status}` },
          );
        });
        response.on('error', (error) => settle({ ok: false, reason: error.message }));
      },
    );
    req.on('timeout', () => {
      req.destroy(new Error(`no answer within ${delivery.timeoutMs} ms`));
    });
    req.on('error', (error: NodeJS.ErrnoException) =>
      settle({ ok: false, reason: error.code ? `${error.code}: ${error.message}` : error.message }),
    );
    req.end(delivery.body);
  });
}
