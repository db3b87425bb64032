/**
 * Sealed personal data: a text encrypted with its subject's AES-256-GCM key, written where the
 * clear text would be (a Y.Doc field, a comment event) as one ASCII token
 *
 *   pii1.<base64url(subjectId)>.<base64url(iv ‖ tag ‖ ciphertext)>
 *
 * The token is plain text to everything that stores, hashes, diffs or renders it, so the event
 * log, its hash chain, snapshots and read models only ever hold ciphertext; whoever shows it
 * to a person opens every token in the text it is about to send (`openTokens`). The subject id
 * is the GCM additional data: a token moved to another subject does not open. Once the
 * subject's key is destroyed, the token opens to `[erased]`.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export const ERASED_TEXT = '[erased]';
const PREFIX = 'pii1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const SUBJECT_KEY_BYTES = 32;

/** every sealed token in a text; base64url never contains `.`, so the parts split cleanly */
const TOKEN = /pii1\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{38,})/g;

export const containsSealedText = (text: string): boolean => text.includes(`${PREFIX}.`);

export function sealText(subjectId: string, key: Buffer, text: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(subjectId, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  const payload = Buffer.concat([iv, cipher.getAuthTag(), ciphertext]);
  return `${PREFIX}.${Buffer.from(subjectId, 'utf8').toString('base64url')}.${payload.toString('base64url')}`;
}

/** the clear text, or undefined when the token was not sealed with this key for this subject */
export function openToken(
  subjectId: string,
  key: Buffer,
  payloadBase64url: string,
): string | undefined {
  const payload = Buffer.from(payloadBase64url, 'base64url');
  if (payload.length < IV_BYTES + TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, payload.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(subjectId, 'utf8'));
    decipher.setAuthTag(payload.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([
      decipher.update(payload.subarray(IV_BYTES + TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    return undefined;
  }
}

export interface SealedToken {
  readonly token: string;
  readonly subjectId: string;
  readonly payload: string;
}

export function findSealedTokens(text: string): SealedToken[] {
  if (!containsSealedText(text)) return [];
  return [...text.matchAll(TOKEN)].map((m) => ({
    token: m[0],
    subjectId: Buffer.from(m[1], 'base64url').toString('utf8'),
    payload: m[2],
  }));
}

/** replaces every token in `text` by what `open` makes of it */
export function replaceSealedTokens(text: string, open: (token: SealedToken) => string): string {
  if (!containsSealedText(text)) return text;
  return text.replace(TOKEN, (token, subject: string, payload: string) =>
    open({ token, subjectId: Buffer.from(subject, 'base64url').toString('utf8'), payload }),
  );
}
