/**
 * How a receiver knows a delivery came from this server and is fresh, as Stripe does it:
 *
 *   X-Plan-Webhook-Signature: t=1733389200,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd
 *
 * `v1` is hex HMAC-SHA256, keyed with the webhook's secret, over `${t}.${rawBody}`. Signing the
 * timestamp with the body lets a receiver refuse replays older than its tolerance; it must
 * compare in constant time and over the raw bytes it received (not re-serialized JSON).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-plan-webhook-signature';

export function webhookSignature(secret: string, timestampSec: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${timestampSec}.${body}`).digest('hex');
  return `t=${timestampSec},v1=${mac}`;
}

export interface SignatureCheck {
  readonly valid: boolean;
  readonly reason?: string;
}

/** what a receiver runs; exported so tests (and the README example) check deliveries the documented way */
export function verifyWebhookSignature(
  secret: string,
  header: string | undefined,
  body: string,
  nowSec: number,
  toleranceSec = 300,
): SignatureCheck {
  if (!header) return { valid: false, reason: 'no signature header' };
  const parts = new Map(
    header.split(',').map((part) => {
      const at = part.indexOf('=');
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
    }),
  );
  const timestamp = Number(parts.get('t'));
  const given = parts.get('v1');
  if (!Number.isSafeInteger(timestamp) || !given)
    return { valid: false, reason: 'malformed signature header' };
  if (Math.abs(nowSec - timestamp) > toleranceSec)
    return { valid: false, reason: `timestamp ${timestamp} outside ±${toleranceSec} s` };
  const expected = Buffer.from(webhookSignature(secret, timestamp, body).split('v1=')[1], 'hex');
  const actual = Buffer.from(given, 'hex');
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected))
    return { valid: false, reason: 'signature mismatch' };
  return { valid: true };
}
