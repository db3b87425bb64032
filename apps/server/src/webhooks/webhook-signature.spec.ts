import { verifyWebhookSignature, webhookSignature } from './webhook-signature';

describe('webhook signature', () => {
  const secret = 'whsec-0123456789abcdef';
  const body = '{"position":7}';

  it('given a signed body, when verified with the same secret in time, then it is valid', () => {
    const header = webhookSignature(secret, 1_700_000_000, body);
    expect(header).toMatch(/^t=1700000000,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(secret, header, body, 1_700_000_100)).toEqual({ valid: true });
  });

  it.each([
    ['another secret', 'whsec-other-000000000', body, 1_700_000_000, /mismatch/],
    ['a changed body', secret, '{"position":8}', 1_700_000_000, /mismatch/],
    ['an old timestamp (replay)', secret, body, 1_700_000_301, /outside/],
  ])('given %s, then it is refused', (_, key, received, now, reason) => {
    const header = webhookSignature(secret, 1_700_000_000, body);
    const check = verifyWebhookSignature(key, header, received, now);
    expect(check.valid).toBe(false);
    expect(check.reason).toMatch(reason);
  });

  it('given no or a malformed header, then it is refused', () => {
    expect(verifyWebhookSignature(secret, undefined, body, 0).valid).toBe(false);
    expect(verifyWebhookSignature(secret, 't=x,v1=', body, 0).valid).toBe(false);
  });
});
