/**
 * The HS256 secret: `AUTH_JWT_SECRET`, or else one generated once into `<DATA_DIR>/jwt-secret`
 * (32 random bytes, hex, mode 0600) and reused on every later start, so the server and the
 * CLI that mints tokens agree without any setup.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fchmodSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { MIN_JWT_SECRET_LENGTH } from '@lib/config';
import type { AuthLog } from '../auth-log';

export const JWT_SECRET_FILE = 'jwt-secret';
export const MINT_TOKEN_COMMAND = 'npm run cli -- token --sub alice';

export interface JwtSecretSettings {
  readonly authJwtSecret: string | undefined;
  readonly dataDir: string;
}

export class InvalidJwtSecretFileError extends Error {
  readonly code = 'INVALID_JWT_SECRET_FILE';
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(
      `${file} ${reason}; fix or delete it (deleting invalidates every token minted with it), or set AUTH_JWT_SECRET`,
    );
  }
}

export function loadJwtSecret(settings: JwtSecretSettings, log: AuthLog): string {
  if (settings.authJwtSecret !== undefined) return settings.authJwtSecret;
  const file = join(settings.dataDir, JWT_SECRET_FILE);
  const existing = readSecretFile(file, log);
  if (existing !== undefined) return existing;
  const secret = randomBytes(32).toString('hex');
  if (!createSecretFile(file, secret)) {
    // another process (the server and the CLI starting together) created it first: use theirs
    return readSecretFile(file, log) ?? fail(file);
  }
  log.log(`generated a JWT secret in ${file}; mint a token with: ${MINT_TOKEN_COMMAND}`);
  return secret;
}

function readSecretFile(file: string, log: AuthLog): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const secret = text.trim();
  if (secret.length < MIN_JWT_SECRET_LENGTH) {
    throw new InvalidJwtSecretFileError(
      file,
      `holds ${secret.length} characters, at least ${MIN_JWT_SECRET_LENGTH} are needed`,
    );
  }
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    log.warn(
      `${file} is readable by other users (mode ${mode.toString(8)}); anyone who reads it can mint tokens: chmod 600 it`,
    );
  }
  return secret;
}

/**
 * Writes the secret to a temporary file and hard-links it into place: the link fails if the
 * file exists, and a reader can never see a half-written secret. Returns false if it existed.
 * Also used for other generated-once secrets in DATA_DIR (the audit signing key).
 */
export function createSecretFile(file: string, secret: string): boolean {
  mkdirSync(join(file, '..'), { recursive: true });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(temp, 'wx', 0o600);
  try {
    fchmodSync(fd, 0o600); // the umask may only narrow the mode, but be exact
    writeSync(fd, `${secret}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(temp);
  }
}

function fail(file: string): never {
  throw new InvalidJwtSecretFileError(file, 'vanished right after another process created it');
}
