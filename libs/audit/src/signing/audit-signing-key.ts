/**
 * The server's Ed25519 audit key: signs export manifests so an auditor can check an export
 * offline against the published public key. `AUDIT_SIGNING_KEY` (PKCS#8 PEM), or else one
 * generated once into `<DATA_DIR>/audit-signing-key.pem` (mode 0600) and reused by the server
 * and the CLI alike, as the JWT secret is.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSecretFile } from '@lib/auth';

export const AUDIT_SIGNING_KEY_FILE = 'audit-signing-key.pem';
export const AUDIT_SIGNATURE_ALGORITHM = 'Ed25519';

export interface AuditSigningKeySettings {
  readonly auditSigningKey: string | undefined;
  readonly dataDir: string;
}

export class InvalidAuditKeyError extends Error {
  readonly code = 'INVALID_AUDIT_KEY';
  constructor(
    readonly source: string,
    reason: string,
  ) {
    super(`${source}: ${reason}`);
  }
}

/** A public key and what names it: the SHA-256 of its DER (SPKI) form, hex. */
export class AuditVerifyingKey {
  readonly pem: string;
  readonly fingerprint: string;

  constructor(readonly key: KeyObject) {
    if (key.asymmetricKeyType !== 'ed25519')
      throw new InvalidAuditKeyError('public key', `is ${key.asymmetricKeyType}, not Ed25519`);
    this.pem = key.export({ type: 'spki', format: 'pem' }).toString();
    this.fingerprint = createHash('sha256')
      .update(key.export({ type: 'spki', format: 'der' }))
      .digest('hex');
  }

  /** a PEM public key (as `GET /audit/public-key?format=pem` serves it) */
  static fromPem(pem: string, source = 'public key'): AuditVerifyingKey {
    let key: KeyObject;
    try {
      key = createPublicKey(pem);
    } catch {
      throw new InvalidAuditKeyError(source, 'is not a PEM public key');
    }
    return new AuditVerifyingKey(key);
  }

  verify(message: string, signatureBase64: string): boolean {
    return verify(null, Buffer.from(message), this.key, Buffer.from(signatureBase64, 'base64'));
  }
}

export class AuditSigningKey {
  readonly publicKey: AuditVerifyingKey;

  constructor(private readonly privateKey: KeyObject) {
    this.publicKey = new AuditVerifyingKey(createPublicKey(privateKey));
  }

  /** base64 Ed25519 signature over the UTF-8 bytes of `message` */
  sign(message: string): string {
    return sign(null, Buffer.from(message), this.privateKey).toString('base64');
  }
}

export function loadAuditSigningKey(settings: AuditSigningKeySettings): AuditSigningKey {
  if (settings.auditSigningKey !== undefined)
    return new AuditSigningKey(parsePrivateKey(settings.auditSigningKey, 'AUDIT_SIGNING_KEY'));
  const file = join(settings.dataDir, AUDIT_SIGNING_KEY_FILE);
  const existing = readKeyFile(file);
  if (existing) return existing;
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  // another process (server and CLI starting together) may have created it first: use theirs
  if (!createSecretFile(file, pem.trim())) {
    const created = readKeyFile(file);
    if (!created) throw new InvalidAuditKeyError(file, 'vanished right after it was created');
    return created;
  }
  return new AuditSigningKey(privateKey);
}

function readKeyFile(file: string): AuditSigningKey | undefined {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return new AuditSigningKey(parsePrivateKey(pem, file));
}

function parsePrivateKey(pem: string, source: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new InvalidAuditKeyError(source, 'is not a PKCS#8 PEM private key');
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new InvalidAuditKeyError(source, `is ${key.asymmetricKeyType}, not Ed25519`);
  return key;
}
