/**
 * Per-subject data keys, kept apart from the event log (their own SQLite file or PostgreSQL
 * table, never in events or snapshots), so destroying one makes that subject's sealed data
 * unreadable everywhere it was copied while the log itself stays untouched and verifiable.
 */

export interface SubjectErasure {
  readonly subjectId: string;
  readonly erasedAt: string;
  readonly erasedBy: string;
  /** the subject had been erased before; nothing changed */
  readonly alreadyErased: boolean;
}

export interface SubjectKeyStore {
  /** the subject's key, created on first use; undefined once the subject was erased */
  keyFor(subjectId: string): Promise<Buffer | undefined>;
  /** the key if one exists and was not erased; never creates one */
  existingKey(subjectId: string): Promise<Buffer | undefined>;
  /** destroys the key for good; the subject keeps a row saying when and by whom */
  erase(subjectId: string, by: string, at: string): Promise<SubjectErasure>;
  close(): Promise<void>;
}
