import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AUDIT_SIGNING_KEY_FILE,
  AuditVerifyingKey,
  loadAuditSigningKey,
} from './audit-signing-key';

describe('audit signing key', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'audit-key-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('given no key configured, when loaded twice, then one key is generated into DATA_DIR (0600) and reused', () => {
    const first = loadAuditSigningKey({ auditSigningKey: undefined, dataDir });
    const second = loadAuditSigningKey({ auditSigningKey: undefined, dataDir });
    expect(second.publicKey.fingerprint).toBe(first.publicKey.fingerprint);
    expect(statSync(join(dataDir, AUDIT_SIGNING_KEY_FILE)).mode & 0o777).toBe(0o600);
  });

  it('given a configured key, when a message is signed, then its public key verifies it and no file is written', () => {
    const pem = generateKeyPairSync('ed25519')
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const key = loadAuditSigningKey({ auditSigningKey: pem, dataDir });
    const signature = key.sign('manifest');
    const published = AuditVerifyingKey.fromPem(key.publicKey.pem);
    expect(published.verify('manifest', signature)).toBe(true);
    expect(published.verify('manifest!', signature)).toBe(false);
    expect(() => statSync(join(dataDir, AUDIT_SIGNING_KEY_FILE))).toThrow();
  });
});
