/**
 * Per-stream hash chain: hash = sha256(prevHash ‖ canonical(event)).
 * The position is left out of the canonical form on purpose: it belongs to the store
 * (KurrentDB assigns it after commit, an import into a new store assigns new ones),
 * while the chain must survive export/import unchanged.
 */
import { createHash } from 'node:crypto';
import type {
  EventPayload,
  JsonValue,
  NewEvent,
  RecordedEvent,
  VerifyResult,
} from './event-store.port';

export const GENESIS_HASH = '0'.repeat(64);

type ChainedFields = Pick<
  RecordedEvent,
  'streamId' | 'version' | 'id' | 'type' | 'schemaVersion' | 'data' | 'metadata'
>;

export function isBinaryPayload(data: EventPayload): data is Uint8Array {
  return data instanceof Uint8Array;
}

/** JSON with object keys sorted and undefined members dropped, so every store hashes alike. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value))
    return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.keys(value)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}

function canonicalPayload(data: EventPayload): JsonValue {
  return isBinaryPayload(data)
    ? {
        kind: 'binary',
        base64: Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64'),
      }
    : { kind: 'json', value: data };
}

export function canonicalEvent(event: ChainedFields): string {
  return canonicalJson({
    streamId: event.streamId,
    version: event.version,
    id: event.id,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: canonicalPayload(event.data),
    metadata: event.metadata,
  });
}

export function chainHash(prevHash: string, event: ChainedFields): string {
  return createHash('sha256').update(prevHash).update(canonicalEvent(event)).digest('hex');
}

/** Seals a new event at `version` after `prevHash`; adapters call this inside their append transaction. */
export function sealEvent(
  streamId: string,
  version: number,
  prevHash: string,
  event: NewEvent,
): Omit<RecordedEvent, 'position'> {
  const fields = {
    streamId,
    version,
    id: event.id,
    type: event.type,
    schemaVersion: event.schemaVersion ?? 1,
    data: event.data,
    metadata: event.metadata,
  };
  return { ...fields, prevHash, hash: chainHash(prevHash, fields) };
}

/**
 * Walks a stream's events in version order and reports the first broken link.
 * `events` may be consumed page by page; the verifier keeps only the previous hash.
 */
export class ChainVerifier {
  private expectedVersion = 0;
  private prevHash = GENESIS_HASH;
  private failure: VerifyResult | undefined;

  constructor(private readonly streamId: string) {}

  /** returns false once a broken link was found (later events are not checked) */
  push(event: RecordedEvent): boolean {
    if (this.failure) return false;
    const fail = (reason: string): boolean => {
      this.failure = {
        ok: false,
        streamId: this.streamId,
        eventCount: this.expectedVersion,
        brokenAtVersion: this.expectedVersion,
        eventId: event.id,
        reason,
      };
      return false;
    };
    if (event.version !== this.expectedVersion) {
      return fail(`version ${this.expectedVersion} is missing (found ${event.version})`);
    }
    if (event.prevHash !== this.prevHash) {
      return fail(
        `prevHash ${event.prevHash} does not match the hash of version ${event.version - 1}`,
      );
    }
    const recomputed = chainHash(this.prevHash, event);
    if (recomputed !== event.hash) {
      return fail(
        `content does not match its hash (stored ${event.hash}, recomputed ${recomputed})`,
      );
    }
    this.prevHash = event.hash;
    this.expectedVersion += 1;
    return true;
  }

  result(): VerifyResult {
    return (
      this.failure ?? {
        ok: true,
        streamId: this.streamId,
        eventCount: this.expectedVersion,
        lastHash: this.prevHash,
      }
    );
  }
}

/** Verifies a stream page by page through any store's `readStream`. */
export async function verifyStreamPages(
  streamId: string,
  readPage: (fromVersion: number, maxCount: number) => Promise<RecordedEvent[]>,
  pageSize = 1000,
): Promise<VerifyResult> {
  const verifier = new ChainVerifier(streamId);
  for (let from = 0; ; from += pageSize) {
    const page = await readPage(from, pageSize);
    for (const event of page) if (!verifier.push(event)) return verifier.result();
    if (page.length < pageSize) return verifier.result();
  }
}
