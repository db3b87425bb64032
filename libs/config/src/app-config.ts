/**
 * Server configuration, read from the environment once at start-up. Every wrong value is
 * reported with the variable's name, what it must be and what was given.
 */
import { resolve } from 'node:path';

export type EventStoreKindSetting = 'sqlite' | 'postgres' | 'kurrentdb';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface AppConfig {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly eventStore: EventStoreKindSetting;
  readonly databaseUrl: string | undefined;
  readonly kurrentdbUrl: string | undefined;
  readonly redisUrl: string | undefined;
  readonly logLevel: LogLevel;
  readonly groupCommit: boolean;
  readonly groupCommitWindowMs: number;
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

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(value)) {
      this.problems.push(`${name} must be one of ${allowed.join('|')}, got "${value}"`);
      return fallback;
    }
    return value as T;
  }

  url(name: string, protocols: readonly string[], required: string | undefined): string | undefined {
    const value = this.raw(name);
    if (value === undefined) {
      if (required) this.problems.push(`${name} is required ${required}`);
      return undefined;
    }
    let protocol: string;
    try {
      protocol = new URL(value).protocol.replace(/:$/, '');
    } catch {
      this.problems.push(`${name} must be a URL (${protocols.map((p) => `${p}://…`).join(' or ')}), got "${value}"`);
      return undefined;
    }
    if (!protocols.includes(protocol)) {
      this.problems.push(`${name} must use ${protocols.join(' or ')}, got "${protocol}"`);
      return undefined;
    }
    return value;
  }

  flag(name: string, fallback: boolean): boolean {
    return this.oneOf(name, ['on', 'off'], fallback ? 'on' : 'off') === 'on';
  }
}

export function loadConfig(env: Env = process.env): AppConfig {
  const read = new EnvReader(env);
  const eventStore = read.oneOf<EventStoreKindSetting>('EVENT_STORE', ['sqlite', 'postgres', 'kurrentdb'], 'sqlite');
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
    kurrentdbUrl: read.url(
      'KURRENTDB_URL',
      ['kurrentdb', 'kurrentdb+discover', 'esdb', 'esdb+discover', 'kdb', 'kdb+discover'],
      eventStore === 'kurrentdb' ? 'when EVENT_STORE=kurrentdb' : undefined,
    ),
    redisUrl: read.url('REDIS_URL', ['redis', 'rediss'], undefined),
    logLevel: read.oneOf<LogLevel>('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
    groupCommit: read.flag('GROUP_COMMIT', true),
    groupCommitWindowMs: read.integer('GROUP_COMMIT_WINDOW_MS', 0, 0, 1000),
  };
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return config;
}
