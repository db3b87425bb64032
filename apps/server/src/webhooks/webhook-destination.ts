/**
 * Where a webhook may deliver. A URL is checked twice: when registered (scheme, host on
 * WEBHOOK_ALLOWED_HOSTS) and at every delivery, where the host is resolved and each address
 * checked, and the connection then goes to that checked address (no second lookup a
 * rebinding DNS server could answer differently). Link-local and cloud metadata addresses are
 * refused even when their host is allowed: a name on the allow list may still resolve there.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';

export class WebhookDestinationError extends Error {
  readonly code = 'WEBHOOK_DESTINATION_REFUSED';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'WebhookDestinationError';
  }
}

export const isWebhookDestinationError = (error: unknown): error is WebhookDestinationError =>
  error instanceof WebhookDestinationError;

const FORBIDDEN = new BlockList();
// link-local, where cloud metadata services live (169.254.169.254, fe80::/10)
FORBIDDEN.addSubnet('169.254.0.0', 16, 'ipv4');
FORBIDDEN.addSubnet('fe80::', 10, 'ipv6');
// "this network" (0.0.0.0 reaches the local host on Linux)
FORBIDDEN.addSubnet('0.0.0.0', 8, 'ipv4');
FORBIDDEN.addAddress('::', 'ipv6');
// metadata endpoints outside link-local: AWS IPv6, Alibaba Cloud
FORBIDDEN.addAddress('fd00:ec2::254', 'ipv6');
FORBIDDEN.addAddress('100.100.100.200', 'ipv4');

/** the IPv4 address an IPv4-mapped IPv6 address (`::ffff:169.254.169.254`) stands for */
function unmapped(address: string): { address: string; family: 'ipv4' | 'ipv6' } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return { address: mapped[1], family: 'ipv4' };
  return { address, family: isIP(address) === 6 ? 'ipv6' : 'ipv4' };
}

export function isForbiddenAddress(address: string): boolean {
  const { address: plain, family } = unmapped(address);
  return FORBIDDEN.check(plain, family);
}

/** `host` or `host:port` as written in WEBHOOK_ALLOWED_HOSTS, for a URL */
function hostKeys(url: URL): string[] {
  const host = url.hostname.toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return [host, `${host}:${port}`];
}

/** registration-time check; throws WebhookDestinationError naming the field `url` */
export function checkWebhookUrl(raw: string, allowedHosts: readonly string[]): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookDestinationError('url', `url must be an absolute http(s) URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new WebhookDestinationError('url', `url must use http or https, got ${url.protocol}`);
  if (url.username || url.password)
    throw new WebhookDestinationError('url', 'url must not carry credentials; use the secret');
  if (allowedHosts.length === 0)
    throw new WebhookDestinationError(
      'url',
      'url is refused: no webhook destinations are allowed on this server (WEBHOOK_ALLOWED_HOSTS is empty)',
    );
  if (!hostKeys(url).some((key) => allowedHosts.includes(key)))
    throw new WebhookDestinationError(
      'url',
      `url host ${url.host} is not in WEBHOOK_ALLOWED_HOSTS (${allowedHosts.join(', ')})`,
    );
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(literal) && isForbiddenAddress(literal))
    throw new WebhookDestinationError(
      'url',
      `url points at ${literal}, a link-local or metadata address`,
    );
  return url;
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for http.request that resolves once, refuses when any address is forbidden, and
 * hands the request the checked address.
 */
export function checkedLookup(
  hostname: string,
  options: { all?: boolean; family?: number | string },
  callback: LookupCallback,
): void {
  dnsLookup(hostname, { all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const forbidden = addresses.find((a) => isForbiddenAddress(a.address));
    if (forbidden) {
      return callback(
        Object.assign(
          new WebhookDestinationError(
            'url',
            `${hostname} resolves to ${forbidden.address}, a link-local or metadata address`,
          ),
          { errno: undefined },
        ) as NodeJS.ErrnoException,
        [],
      );
    }
    if (options.all) return callback(null, addresses);
    const [first] = addresses;
    callback(null, first.address, first.family);
  });
}
