/**
 * `verify-export <dir> --public-key <file>`: checks a signed audit export offline, with no
 * store and no server. In order: the manifest's signature against the given public key, then
 * every exported line against the digest the manifest signed for it and the hash chain
 * recomputed from its content, then the count and head. The first event that differs is named
 * by version and id.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  AUDIT_EXPORT_FORMAT,
  AuditVerifyingKey,
  EXPORT_EVENTS_FILE,
  EXPORT_MANIFEST_FILE,
  EXPORT_SIGNATURE_FILE,
  lineSha256,
  manifestSignatureHolds,
  type AuditManifest,
} from '@lib/audit';
import { ChainVerifier, type RecordedEvent } from '@lib/event-store';
import { InvalidEventLineError, readEventLine } from './event-lines';

export const VERIFY_EXPORT_USAGE =
  '  verify-export <dir> --public-key <file>   check a signed export offline; names the first event that differs\n';

export type ExportVerdict =
  | { readonly ok: true; readonly manifest: AuditManifest }
  | { readonly ok: false; readonly problem: string };

export function verifyExportCommand(args: string[]): number {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { 'public-key': { type: 'string' } },
  });
  const [dir] = positionals;
  const keyFile = values['public-key'];
  if (!dir || !keyFile) {
    process.stderr.write(
      `verify-export: name the export directory and --public-key\n${VERIFY_EXPORT_USAGE}`,
    );
    return 2;
  }
  const key = AuditVerifyingKey.fromPem(readFileSync(keyFile, 'utf8'), keyFile);
  const verdict = verifyExport(dir, key);
  if (!verdict.ok) {
    process.stdout.write(`FAILED ${dir}: ${verdict.problem}\n`);
    return 1;
  }
  const { manifest } = verdict;
  process.stdout.write(
    `OK plan ${manifest.planId}: ${manifest.stream.eventCount} events` +
      (manifest.stream.head
        ? ` up to version ${manifest.stream.head.version} (head ${manifest.stream.head.hash})`
        : '') +
      (manifest.timeRange ? `, ${manifest.timeRange.from} to ${manifest.timeRange.to}` : '') +
      `, signed by ${manifest.signer.fingerprint}\n`,
  );
  return 0;
}

export function verifyExport(dir: string, key: AuditVerifyingKey): ExportVerdict {
  const fail = (problem: string): ExportVerdict => ({ ok: false, problem });
  for (const file of [EXPORT_MANIFEST_FILE, EXPORT_SIGNATURE_FILE, EXPORT_EVENTS_FILE])
    if (!existsSync(join(dir, file))) return fail(`${file} is missing`);
  let manifest: AuditManifest;
  try {
    manifest = JSON.parse(readFileSync(join(dir, EXPORT_MANIFEST_FILE), 'utf8')) as AuditManifest;
  } catch {
    return fail(`${EXPORT_MANIFEST_FILE} is not JSON`);
  }
  const signature = readFileSync(join(dir, EXPORT_SIGNATURE_FILE), 'utf8');
  if (!manifestSignatureHolds(manifest, signature, key)) {
    const signer = manifest?.signer?.fingerprint;
    return fail(
      `the manifest signature does not verify with the given public key ${key.fingerprint}` +
        (signer && signer !== key.fingerprint
          ? ` (the manifest names signer ${signer}: a different key)`
          : ' (the manifest or its signature was changed)'),
    );
  }
  // from here on the manifest is what the key's owner signed
  if (manifest.format !== AUDIT_EXPORT_FORMAT)
    return fail(`format ${String(manifest.format)} is not ${AUDIT_EXPORT_FORMAT}`);
  const text = readFileSync(join(dir, EXPORT_EVENTS_FILE), 'utf8');
  const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  if (text === '') lines.length = 0;
  const chain = new ChainVerifier(manifest.stream.streamId);
  for (let i = 0; i < manifest.events.length; i++) {
    const signed = manifest.events[i];
    const name = `event version ${signed.version} (${signed.type} ${signed.id})`;
    const line = lines[i];
    if (line === undefined) return fail(`${name} is missing from ${EXPORT_EVENTS_FILE}`);
    let why: string | undefined;
    if (lineSha256(line) !== signed.lineSha256) why = 'its line differs from the signed digest';
    let event: RecordedEvent | undefined;
    try {
      const parsed = readEventLine(line, i + 1);
      event = { ...parsed, data: parsed.payload };
    } catch (error) {
      if (!(error instanceof InvalidEventLineError)) throw error;
      return fail(`${name} differs: ${why ?? 'its line'} and is unreadable (${error.message})`);
    }
    if (!chain.push(event)) {
      const broken = chain.result();
      const reason = broken.ok ? '' : broken.reason;
      return fail(`${name} differs: ${why ?? 'hash chain broken'}; ${reason}`);
    }
    if (event.hash !== signed.hash)
      return fail(`${name} differs: its hash ${event.hash} is not the signed ${signed.hash}`);
    if (why) return fail(`${name} differs: ${why} (a field outside the hash chain changed)`);
  }
  if (lines.length > manifest.events.length)
    return fail(
      `${EXPORT_EVENTS_FILE} has ${lines.length - manifest.events.length} line(s) after the signed ${manifest.events.length} events`,
    );
  const result = chain.result();
  const head = manifest.stream.head;
  if (manifest.stream.eventCount !== manifest.events.length)
    return fail(
      `the manifest counts ${manifest.stream.eventCount} events but lists ${manifest.events.length}`,
    );
  if (head && result.ok && result.lastHash !== head.hash)
    return fail(`the chain ends at ${result.lastHash}, not at the signed head ${head.hash}`);
  return { ok: true, manifest };
}
