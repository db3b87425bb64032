/**
 * Subject keys in their own SQLite file (`<DATA_DIR>/subject-keys.sqlite`), apart from the
 * events so a backup of the log does not carry the keys. `secure_delete` overwrites an erased
 * key's bytes in the file, and the rollback journal (not WAL) keeps no second copy around
 * after the commit.
 */
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { SUBJECT_KEY_BYTES } from './sealed-text';
import type { SubjectErasure, SubjectKeyStore } from './subject-key-store.port';

interface KeyRow {
  key: Buffer | null;
  erased_at: string | null;
  erased_by: string | null;
}

export class SqliteSubjectKeyStore implements SubjectKeyStore {
  private readonly db: Database.Database;

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = DELETE');
    this.db.pragma('secure_delete = ON');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 10000');
    this.db.exec(`CREATE TABLE IF NOT EXISTS subject_keys (
      subject_id TEXT PRIMARY KEY, key BLOB, created_at TEXT NOT NULL,
      erased_at TEXT, erased_by TEXT)`);
  }

  async keyFor(subjectId: string): Promise<Buffer | undefined> {
    this.db
      .prepare(
        'INSERT INTO subject_keys (subject_id, key, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
      )
      .run(subjectId, randomBytes(SUBJECT_KEY_BYTES), new Date().toISOString());
    return this.existingKey(subjectId);
  }

  async existingKey(subjectId: string): Promise<Buffer | undefined> {
    const row = this.db
      .prepare<[string], KeyRow>(
        'SELECT key, erased_at, erased_by FROM subject_keys WHERE subject_id = ?',
      )
      .get(subjectId);
    return row?.key ?? undefined;
  }

  async erase(subjectId: string, by: string, at: string): Promise<SubjectErasure> {
    const erase = this.db.transaction((): SubjectErasure => {
      const row = this.db
        .prepare<[string], KeyRow>(
          'SELECT key, erased_at, erased_by FROM subject_keys WHERE subject_id = ?',
        )
        .get(subjectId);
      if (row?.erased_at)
        return {
          subjectId,
          erasedAt: row.erased_at,
          erasedBy: row.erased_by ?? '',
          alreadyErased: true,
        };
      // a subject never seen still gets its row: nothing may be sealed for it afterwards
      this.db
        .prepare(
          `INSERT INTO subject_keys (subject_id, key, created_at, erased_at, erased_by) VALUES (?, NULL, ?, ?, ?)
           ON CONFLICT (subject_id) DO UPDATE SET key = NULL, erased_at = excluded.erased_at, erased_by = excluded.erased_by`,
        )
        .run(subjectId, at, at, by);
      return { subjectId, erasedAt: at, erasedBy: by, alreadyErased: false };
    });
    return erase();
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
