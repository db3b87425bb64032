/**
 * Server configuration, read from the environment once at start-up. Every wrong value is
 * reported with the variable's name, what it must be and what was given.
 */
import { createPrivateKey } from 'node:crypto';
import { resolve } from 'node:path';

export type EventStoreKindSetting = 'sqlite' | 'postgres' | 'kurrentdb';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export type AuthMode = 'on' | 'off';

/** HS256 keys shorter than the hash output (32 bytes) are brute-forceable offline from one token. */
export const MIN_JWT_SECRET_LENGTH = 32;

export interface AppConfig {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly eventStore: EventStoreKindSetting;
  readonly databaseUrl: string | undefined;
  /**
   * a PostgreSQL statement that has not answered within this fails (client side, so also when
   * the network drops packets without resetting the connection) and is cancelled on the server
   */
  readonly databaseQueryTimeoutMs: number;
  readonly kurrentdbUrl: string | undefined;
  readonly redisUrl: string | undefined;
  /** prefix of every Redis channel and key, so several deployments can share one Redis */
  readonly redisPrefix: string;
  readonly logLevel: LogLevel;
  readonly groupCommit: boolean;
  readonly groupCommitWindowMs: number;
  /** `off` only when set explicitly: then every request is allowed as plan owner */
  readonly auth: AuthMode;
  /** HS256 secret; when unset the server generates one into `<dataDir>/jwt-secret` */
  readonly authJwtSecret: string | undefined;
  /** larger websocket messages close the connection with 1009 */
  readonly maxMessageBytes: number;
  /** a plan without connections is unloaded after this long */
  readonly docIdleUnloadMs: number;
  /** a loaded plan nobody read or changed for this long keeps only its encoded state (0: never) */
  readonly docParkIdleMs: number;
  /** a projector's copy of a plan not edited for this long is kept encoded instead of as a Y.Doc */
  readonly projectionDocIdleMs: number;
  /** how long a projector's live batch waits for more events after its first */
  readonly projectionBatchWindowMs: number;
  /** how far the window widens while batches keep catching several events (0: never widens) */
  readonly projectionMaxBatchWindowMs: number;
  readonly snapshotEveryUpdates: number;
  readonly snapshotIntervalMs: number;
  /** JSON request bodies larger than this get 413 */
  readonly maxBodyBytes: number;
  /** an update that would grow a plan's encoded document past this is refused (close 4413 / HTTP 413) */
  readonly maxDocBytes: number;
  /** websocket connections one plan may have on this node (0: no limit); more are closed with 4429 */
  readonly maxConnectionsPerPlan: number;
  /** websocket connections one user may have on this node (0: no limit); more are closed with 4429 */
  readonly maxConnectionsPerUser: number;
  /** sustained messages per second one websocket may send (0: no limit); faster ones are closed with 4429 */
  readonly rateLimitMessagesPerSec: number;
  /** messages a websocket may send at once above the sustained rate (token bucket size) */
  readonly rateLimitBurst: number;
  /** a websocket whose unsent output exceeds this (a reader too slow to keep up) is closed with 1013 */
  readonly maxSendBufferBytes: number;
  /** an HTTP request must be received completely within this (Node's server.requestTimeout) */
  readonly httpRequestTimeoutMs: number;
  /** the HTTP request headers must arrive within this (Node's server.headersTimeout) */
  readonly httpHeadersTimeoutMs: number;
  /** browser origins allowed by CORS; empty: no CORS headers at all (same-origin only) */
  readonly corsOrigins: readonly string[];
  /** scope growth against the baseline beyond this percentage raises a scope-creep notice */
  readonly scopeCreepThresholdPercent: number;
  /** an uploaded plan file (`POST /plans/import`) larger than this is refused with 413 before it is parsed */
  readonly maxImportBytes: number;
  /** load the CRM demo plan at start-up if the store does not have it (`DEMO=1`) */
  readonly demo: boolean;
  /**
   * Ed25519 private key (PKCS#8 PEM) that signs audit exports and tombstones; when unset the
   * server generates one into `<dataDir>/audit-signing-key.pem`
   */
  readonly auditSigningKey: string | undefined;
  /**
   * `sealed`: personal fields written through the REST API (stakeholder and resource names,
   * stakeholder channels, comment texts) are stored encrypted per subject and can be erased
   */
  readonly personalData: 'sealed' | 'clear';
  /** user ids (token `sub`) allowed server-wide administration: every webhook (and one for all plans), erasing a subject's personal data */
  readonly adminUsers: readonly string[];
  /** hosts webhooks may deliver to (`host` or `host:port`); empty: no webhook can be registered */
  readonly webhookAllowedHosts: readonly string[];
  /** failed attempts after which a delivery moves to the webhook's dead-letter list */
  readonly webhookMaxAttempts: number;
  /** delay before the first retry; each further retry waits twice as long, up to the max */
  readonly webhookRetryBaseMs: number;
  readonly webhookRetryMaxMs: number;
  /** a receiver that has not answered within this counts as a failed attempt */
  readonly webhookTimeoutMs: number;
  /** REST requests one caller (user, else IP) may make per window; 0: no limit */
  readonly httpRateLimit: number;
  readonly httpRateLimitWindowMs: number;
}

export class ConfigError extends Error {
  readonly code = 'INVALID_CONFIG';
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
  }
}

export const isConfigError = (e: unknown): e is ConfigError => e instanceof ConfigError;

type Env = Readonly<Record<string, string | undefined>>;

/** Collects problems instead of stopping at the first, so one start-up shows them all. */
class EnvReader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  raw(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!/^-?\d+$/.test(value) || n < min || n > max) {
      this.problems.push(`${name} must be an integer from ${min} to ${max}, got "${value}"`);
      return fallback;
    }
    return n;
  }

  /** a decimal number such as `7.5`; no exponent, hex or trailing text */
  decimal(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!/^-?\d+(\.\d+)?$/.test(value) || n < min || n > max) {
      this.problems.push(`${name} must be a number from ${min} to ${max}, got "${value}"`);
      return fallback;
    }
    return n;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(value)) {
      this.problems.push(`${name} must be one of ${allowed.join('|')}, got "${value}"`);
      return fallback;
    }
    return value as T;
  }

  url(
    name: string,
    protocols: readonly string[],
    required: string | undefined,
  ): string | undefined {
    const value = this.raw(name);
    if (value === undefined) {
      if (required) this.problems.push(`${name} is required ${required}`);
      return undefined;
    }
    let protocol: string;
    try {
      protocol = new URL(value).protocol.replace(/:$/, '');
    } catch {
      this.problems.push(
        `${name} must be a URL (${protocols.map((p) => `${p}://…`).join(' or ')}), got "${value}"`,
      );
      return undefined;
    }
    if (!protocols.includes(protocol)) {
      this.problems.push(`${name} must use ${protocols.join(' or ')}, got "${protocol}"`);
      return undefined;
    }
    return value;
  }

  /** never echoes the value: it is a secret and start-up errors end up in logs */
  secret(name: string, minLength: number): string | undefined {
    const value = this.raw(name);
    if (value !== undefined && value.length < minLength) {
      this.problems.push(`${name} must be at least ${minLength} characters, got ${value.length}`);
      return undefined;
    }
    return value;
  }

  /** a PKCS#8 PEM Ed25519 private key; `\\n` escapes stand for line breaks (one-line env files) */
  ed25519PrivateKey(name: string): string | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    const pem = value.replace(/\\n/g, '\n');
    try {
      const key = createPrivateKey(pem);
      if (key.asymmetricKeyType === 'ed25519') return pem;
      this.problems.push(
        `${name} must be an Ed25519 key, got ${key.asymmetricKeyType ?? 'another kind'}`,
      );
    } catch {
      // never echo the value: it is a private key
      this.problems.push(`${name} must be a PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----)`);
    }
    return undefined;
  }

  flag(name: string, fallback: boolean): boolean {
    return this.oneOf(name, ['on', 'off'], fallback ? 'on' : 'off') === 'on';
  }

  /** a comma-separated list of browser origins (`https://app.example.com`), or `*` alone */
  origins(name: string): string[] {
    const value = this.raw(name);
    if (value === undefined) return [];
    const items = value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
    if (items.length === 1 && items[0] === '*') return items;
    const wrong = items.filter((item) => !isOrigin(item));
    if (wrong.length > 0) {
      this.problems.push(
        `${name} must be * or a comma-separated list of origins like https://app.example.com (scheme, host, optional port; no path), got "${wrong.join(', ')}"`,
      );
      return [];
    }
    return items;
  }

  /** a comma-separated list of plain names (user ids, `host` or `host:port`) */
  names(name: string, pattern: RegExp, what: string): string[] {
    const value = this.raw(name);
    if (value === undefined) return [];
    const items = value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
    const wrong = items.filter((item) => !pattern.test(item));
    if (wrong.length > 0) {
      this.problems.push(
        `${name} must be a comma-separated list of ${what}, got "${wrong.join(', ')}"`,
      );
      return [];
    }
    return items;
  }

  /** records a problem when a relation between two already-read values does not hold */
  require(holds: boolean, problem: string): void {
    if (!holds) this.problems.push(problem);
  }
}

function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}

export function loadConfig(env: Env = process.env): AppConfig {
  const read = new EnvReader(env);
  const eventStore = read.oneOf<EventStoreKindSetting>(
    'EVENT_STORE',
    ['sqlite', 'postgres', 'kurrentdb'],
    'sqlite',
  );
  const config: AppConfig = {
    port: read.integer('PORT', 3000, 0, 65535),
    host: read.raw('HOST') ?? '0.0.0.0',
    dataDir: resolve(read.raw('DATA_DIR') ?? './data'),
    eventStore,
    databaseUrl: read.url(
      'DATABASE_URL',
      ['postgres', 'postgresql'],
      eventStore === 'postgres' ? 'when EVENT_STORE=postgres' : undefined,
    ),
    databaseQueryTimeoutMs: read.integer('DATABASE_QUERY_TIMEOUT_MS', 30_000, 1000, 3_600_000),
    kurrentdbUrl: read.url(
      'KURRENTDB_URL',
      ['kurrentdb', 'kurrentdb+discover', 'esdb', 'esdb+discover', 'kdb', 'kdb+discover'],
      eventStore === 'kurrentdb' ? 'when EVENT_STORE=kurrentdb' : undefined,
    ),
    redisUrl: read.url('REDIS_URL', ['redis', 'rediss'], undefined),
    redisPrefix: read.raw('REDIS_PREFIX') ?? 'plans:',
    logLevel: read.oneOf<LogLevel>(
      'LOG_LEVEL',
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
      'info',
    ),
    groupCommit: read.flag('GROUP_COMMIT', true),
    groupCommitWindowMs: read.integer('GROUP_COMMIT_WINDOW_MS', 0, 0, 1000),
    // anything but on|off is an error rather than "on", so AUTH=false cannot look like it disabled auth
    auth: read.oneOf<AuthMode>('AUTH', ['on', 'off'], 'on'),
    authJwtSecret: read.secret('AUTH_JWT_SECRET', MIN_JWT_SECRET_LENGTH),
    maxMessageBytes: read.integer('MAX_MESSAGE_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    docIdleUnloadMs: read.integer('DOC_IDLE_UNLOAD_MS', 30_000, 0, 86_400_000),
    docParkIdleMs: read.integer('DOC_PARK_IDLE_MS', 10_000, 0, 86_400_000),
    projectionDocIdleMs: read.integer('PROJECTION_DOC_IDLE_MS', 10_000, 0, 86_400_000),
    projectionBatchWindowMs: read.integer('PROJECTION_BATCH_WINDOW_MS', 10, 0, 1000),
    projectionMaxBatchWindowMs: read.integer('PROJECTION_MAX_BATCH_WINDOW_MS', 0, 0, 1000),
    snapshotEveryUpdates: read.integer('SNAPSHOT_EVERY_UPDATES', 500, 1, 1_000_000),
    snapshotIntervalMs: read.integer('SNAPSHOT_INTERVAL_MS', 30_000, 1000, 86_400_000),
    maxBodyBytes: read.integer('MAX_BODY_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    maxDocBytes: read.integer('MAX_DOC_BYTES', 64 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    maxConnectionsPerPlan: read.integer('MAX_CONNECTIONS_PER_PLAN', 200, 0, 1_000_000),
    maxConnectionsPerUser: read.integer('MAX_CONNECTIONS_PER_USER', 50, 0, 1_000_000),
    rateLimitMessagesPerSec: read.integer('RATE_LIMIT_MESSAGES_PER_SEC', 200, 0, 1_000_000),
    rateLimitBurst: read.integer('RATE_LIMIT_BURST', 2000, 1, 1_000_000),
    maxSendBufferBytes: read.integer(
      'MAX_SEND_BUFFER_BYTES',
      16 * 1024 * 1024,
      64 * 1024,
      1024 * 1024 * 1024,
    ),
    httpRequestTimeoutMs: read.integer('HTTP_REQUEST_TIMEOUT_MS', 30_000, 1000, 3_600_000),
    httpHeadersTimeoutMs: read.integer('HTTP_HEADERS_TIMEOUT_MS', 10_000, 1000, 3_600_000),
    corsOrigins: read.origins('CORS_ORIGINS'),
    scopeCreepThresholdPercent: read.decimal('SCOPE_CREEP_THRESHOLD_PERCENT', 10, 0, 1000),
    maxImportBytes: read.integer('MAX_IMPORT_BYTES', 16 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    demo: ['1', 'on'].includes(read.oneOf('DEMO', ['0', '1', 'off', 'on'], '0')),
    auditSigningKey: read.ed25519PrivateKey('AUDIT_SIGNING_KEY'),
    personalData: read.oneOf('PERSONAL_DATA', ['sealed', 'clear'], 'clear'),
    adminUsers: read.names('ADMIN_USERS', /^[^\s,]{1,200}$/, 'user ids'),
    webhookAllowedHosts: read
      .names(
        'WEBHOOK_ALLOWED_HOSTS',
        /^(\[[0-9a-fA-F:.]+\]|[a-zA-Z0-9.-]+)(:\d{1,5})?$/,
        'host names or host:port (no scheme, no path)',
      )
      .map((host) => host.toLowerCase()),
    webhookMaxAttempts: read.integer('WEBHOOK_MAX_ATTEMPTS', 8, 1, 100),
    webhookRetryBaseMs: read.integer('WEBHOOK_RETRY_BASE_MS', 1000, 1, 3_600_000),
    webhookRetryMaxMs: read.integer('WEBHOOK_RETRY_MAX_MS', 300_000, 1, 86_400_000),
    webhookTimeoutMs: read.integer('WEBHOOK_TIMEOUT_MS', 10_000, 100, 600_000),
    httpRateLimit: read.integer('HTTP_RATE_LIMIT', 0, 0, 100_000_000),
    httpRateLimitWindowMs: read.integer('HTTP_RATE_LIMIT_WINDOW_MS', 60_000, 1000, 86_400_000),
  };
  read.require(
    config.httpHeadersTimeoutMs <= config.httpRequestTimeoutMs,
    `HTTP_HEADERS_TIMEOUT_MS (${config.httpHeadersTimeoutMs}) must not exceed HTTP_REQUEST_TIMEOUT_MS (${config.httpRequestTimeoutMs})`,
  );
  read.require(
    config.maxMessageBytes <= config.maxDocBytes,
    `MAX_MESSAGE_BYTES (${config.maxMessageBytes}) must not exceed MAX_DOC_BYTES (${config.maxDocBytes})`,
  );
  read.require(
    config.webhookRetryBaseMs <= config.webhookRetryMaxMs,
    `WEBHOOK_RETRY_BASE_MS (${config.webhookRetryBaseMs}) must not exceed WEBHOOK_RETRY_MAX_MS (${config.webhookRetryMaxMs})`,
  );
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return config;
}
