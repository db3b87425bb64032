import { generateKeyPairSync } from 'node:crypto';
import { loadConfig } from './app-config';

const pemOf = (type: 'ed25519' | 'x25519') =>
  generateKeyPairSync(type as 'ed25519')
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();

describe('loadConfig: audit signing key', () => {
  it('given no AUDIT_SIGNING_KEY, then the key is left to the data dir', () => {
    expect(loadConfig({}).auditSigningKey).toBeUndefined();
  });

  it('given an Ed25519 PEM written on one line with \\n escapes, then it is read as the PEM', () => {
    const pem = pemOf('ed25519');
    expect(loadConfig({ AUDIT_SIGNING_KEY: pem.replace(/\n/g, '\\n') }).auditSigningKey).toBe(pem);
  });

  it('given a key of another kind, then start-up fails naming the variable and the kind', () => {
    expect(() => loadConfig({ AUDIT_SIGNING_KEY: pemOf('x25519') })).toThrow(
      /AUDIT_SIGNING_KEY must be an Ed25519 key, got x25519/,
    );
  });

  it('given text that is no key, then start-up fails without echoing it', () => {
    expect(() => loadConfig({ AUDIT_SIGNING_KEY: 'sekrit-value' })).toThrow(
      /AUDIT_SIGNING_KEY must be a PKCS#8 PEM private key/,
    );
    expect(() => loadConfig({ AUDIT_SIGNING_KEY: 'sekrit-value' })).not.toThrow(/sekrit/);
  });
});
