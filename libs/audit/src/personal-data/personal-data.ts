/**
 * Personal data on its way in and out: `seal` before a personal field or comment text is
 * written (with `PERSONAL_DATA=sealed`), `open` on any text about to be shown to a person, and
 * `erase`, which destroys the subject's key so every copy of its sealed data opens to
 * `[erased]` from then on. Keys are cached briefly per process (`keyCacheMs`); an erasure
 * empties this process's cache at once, other nodes' within that time.
 */
import {
  ERASED_TEXT,
  containsSealedText,
  openToken,
  replaceSealedTokens,
  findSealedTokens,
  sealText,
} from './sealed-text';
import type { SubjectErasure, SubjectKeyStore } from './subject-key-store.port';

export type PersonalDataMode = 'sealed' | 'clear';

export class PersonalData {
  private readonly cache = new Map<string, { key: Buffer | undefined; untilMs: number }>();

  constructor(
    private readonly keys: SubjectKeyStore,
    readonly mode: PersonalDataMode,
    private readonly keyCacheMs = 5000,
  ) {}

  /** the sealed token for `text` (the text itself with PERSONAL_DATA=clear; `[erased]` for an erased subject) */
  async seal(subjectId: string, text: string): Promise<string> {
    if (this.mode === 'clear' || text === '') return text;
    const key = await this.keys.keyFor(subjectId);
    this.cache.set(subjectId, { key, untilMs: Date.now() + this.keyCacheMs });
    return key ? sealText(subjectId, key, text) : ERASED_TEXT;
  }

  /**
   * `text` with every sealed token opened (or `[erased]`); `escape` encodes the clear text
   * for where it lands (a JSON string, HTML). A token that does not open with its subject's
   * key (altered) is left as it is.
   */
  async open(text: string, escape: (clear: string) => string = (s) => s): Promise<string> {
    if (!containsSealedText(text)) return text;
    const subjects = new Set(findSealedTokens(text).map((t) => t.subjectId));
    const keys = new Map<string, Buffer | undefined>();
    for (const subject of subjects) keys.set(subject, await this.cachedKey(subject));
    return replaceSealedTokens(text, (token) => {
      const key = keys.get(token.subjectId);
      if (!key) return escape(ERASED_TEXT);
      const clear = openToken(token.subjectId, key, token.payload);
      return clear === undefined ? token.token : escape(clear);
    });
  }

  async erase(subjectId: string, by: string): Promise<SubjectErasure> {
    const erasure = await this.keys.erase(subjectId, by, new Date().toISOString());
    this.cache.delete(subjectId);
    return erasure;
  }

  private async cachedKey(subjectId: string): Promise<Buffer | undefined> {
    const now = Date.now();
    const hit = this.cache.get(subjectId);
    if (hit && hit.untilMs > now) return hit.key;
    const key = await this.keys.existingKey(subjectId);
    this.cache.set(subjectId, { key, untilMs: now + this.keyCacheMs });
    return key;
  }
}
