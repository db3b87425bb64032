/**
 * The signed manifest of an audit export: what the export holds (stream head, counts by type,
 * time range) and, per event, its chain hash and the SHA-256 of its exported line, so a
 * verifier can name the first event that differs from what the server signed. The signature
 * is Ed25519 over the manifest's canonical JSON (sorted keys), so reformatting the file does
 * not invalidate it but changing any value does.
 *
 *   const builder = new ManifestBuilder(planId, streamId);
 *   for (const e of events) builder.add(e, line);
 *   const manifest = builder.finish(new Date().toISOString(), key.publicKey.fingerprint);
 *   writeFile('manifest.sig', signManifest(manifest, key));
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '@lib/event-store';
import type { AuditSigningKey, AuditVerifyingKey } from '../signing/audit-signing-key';
import { AUDIT_SIGNATURE_ALGORITHM } from '../signing/audit-signing-key';

export const AUDIT_EXPORT_FORMAT = 'plan-audit-export/1';
export const EXPORT_EVENTS_FILE = 'events.ndjson';
export const EXPORT_MANIFEST_FILE = 'manifest.json';
export const EXPORT_SIGNATURE_FILE = 'manifest.sig';

export interface ManifestEvent {
  readonly version: number;
  readonly id: string;
  readonly type: string;
  /** the event's chain hash */
  readonly hash: string;
  /** sha256 of the exported NDJSON line (without its newline), hex */
  readonly lineSha256: string;
}

export interface AuditManifest {
  readonly format: typeof AUDIT_EXPORT_FORMAT;
  readonly planId: string;
  readonly exportedAt: string;
  readonly eventsFile: typeof EXPORT_EVENTS_FILE;
  readonly stream: {
    readonly streamId: string;
    readonly eventCount: number;
    /** the last exported event: the head of the stream when the export was taken */
    readonly head: { readonly version: number; readonly hash: string } | null;
  };
  readonly countsByType: Readonly<Record<string, number>>;
  /** `metadata.at` of the first and last exported events */
  readonly timeRange: { readonly from: string; readonly to: string } | null;
  readonly signer: {
    readonly algorithm: typeof AUDIT_SIGNATURE_ALGORITHM;
    readonly fingerprint: string;
  };
  readonly events: readonly ManifestEvent[];
}

export interface ExportedEvent {
  readonly version: number;
  readonly id: string;
  readonly type: string;
  readonly hash: string;
  readonly metadata: { readonly at: string };
}

export const lineSha256 = (line: string): string =>
  createHash('sha256').update(line, 'utf8').digest('hex');

export class ManifestBuilder {
  private readonly events: ManifestEvent[] = [];
  private readonly counts: Record<string, number> = {};
  private from: string | undefined;
  private to: string | undefined;

  constructor(
    private readonly planId: string,
    private readonly streamId: string,
  ) {}

  add(event: ExportedEvent, line: string): void {
    this.events.push({
      version: event.version,
      id: event.id,
      type: event.type,
      hash: event.hash,
      lineSha256: lineSha256(line),
    });
    this.counts[event.type] = (this.counts[event.type] ?? 0) + 1;
    this.from ??= event.metadata.at;
    this.to = event.metadata.at;
  }

  finish(exportedAt: string, signerFingerprint: string): AuditManifest {
    const last = this.events[this.events.length - 1];
    return {
      format: AUDIT_EXPORT_FORMAT,
      planId: this.planId,
      exportedAt,
      eventsFile: EXPORT_EVENTS_FILE,
      stream: {
        streamId: this.streamId,
        eventCount: this.events.length,
        head: last ? { version: last.version, hash: last.hash } : null,
      },
      countsByType: this.counts,
      timeRange:
        this.from !== undefined && this.to !== undefined ? { from: this.from, to: this.to } : null,
      signer: { algorithm: AUDIT_SIGNATURE_ALGORITHM, fingerprint: signerFingerprint },
      events: this.events,
    };
  }
}

export function signManifest(manifest: AuditManifest, key: AuditSigningKey): string {
  return key.sign(canonicalJson(manifest));
}

export function manifestSignatureHolds(
  manifest: unknown,
  signatureBase64: string,
  key: AuditVerifyingKey,
): boolean {
  return key.verify(canonicalJson(manifest), signatureBase64.trim());
}
