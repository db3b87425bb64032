/**
 * `export <planId>`: the plan stream as NDJSON on stdout (progress on stderr).
 * `export <planId> --sign [--out <dir>]`: a signed audit export: `events.ndjson`, a
 * `manifest.json` (stream head, counts, time range, per-event digests) and `manifest.sig`
 * (Ed25519 with the server's audit key), checked offline by `verify-export`.
 * Either way the read is recorded in the plan's access log.
 */
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  AccessLog,
  EXPORT_EVENTS_FILE,
  EXPORT_MANIFEST_FILE,
  EXPORT_SIGNATURE_FILE,
  ManifestBuilder,
  loadAuditSigningKey,
  signManifest,
} from '@lib/audit';
import type { AppConfig } from '@lib/config';
import { openEventStore, type EventStore, type RecordedEvent } from '@lib/event-store';
import { planStreamId } from '@lib/plan-domain';
import { Progress } from '../progress';
import { writeEventLine } from './event-lines';

export const EXPORT_USAGE =
  '  export <planId> > plan.ndjson    every event of the plan, with hashes, one JSON line each\n' +
  '  export <planId> --sign [--out <dir>] [--actor <who>]\n' +
  '                                   signed audit export: events.ndjson + manifest.json + manifest.sig\n';

const PAGE = 1000;

export async function exportCommand(config: AppConfig, args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { sign: { type: 'boolean' }, out: { type: 'string' }, actor: { type: 'string' } },
  });
  const [planId] = positionals;
  if (!planId) {
    process.stderr.write(`export: name a plan\n${EXPORT_USAGE}`);
    return 2;
  }
  if (values.out !== undefined && !values.sign) {
    process.stderr.write('export: --out is for a signed export (--sign)\n');
    return 2;
  }
  const outDir = resolve(values.out ?? `audit-export-${planId}`);
  if (values.sign && existsSync(outDir) && readdirSync(outDir).length > 0) {
    process.stderr.write(`export: ${outDir} is not empty; name another --out\n`);
    return 2;
  }
  const store = await openEventStore(config);
  try {
    const stream = planStreamId(planId);
    const total = (await store.streamVersion(stream)) + 1;
    if (total === 0) {
      process.stderr.write(`export: plan ${planId} does not exist\n`);
      return 1;
    }
    const who = values.actor ?? `cli:${userInfo().username}`;
    await new AccessLog(store).record(planId, {
      who,
      what: 'export',
      query: values.sign ? { signed: 'true' } : {},
      via: 'cli',
      when: new Date().toISOString(),
    });
    if (!values.sign) {
      await eachPage(store, stream, total, planId, async (page) => {
        const chunk = page.map((e) => `${writeEventLine(e)}\n`).join('');
        if (!process.stdout.write(chunk))
          await new Promise((done) => process.stdout.once('drain', done));
      });
      return 0;
    }
    // the key is loaded (or generated) before anything is written, so a bad key leaves no files
    const key = loadAuditSigningKey(config);
    mkdirSync(outDir, { recursive: true });
    const manifest = new ManifestBuilder(planId, stream);
    const fd = openSync(join(outDir, EXPORT_EVENTS_FILE), 'w');
    try {
      await eachPage(store, stream, total, planId, async (page) => {
        const lines = page.map((e) => {
          const line = writeEventLine(e);
          manifest.add(e, line);
          return `${line}\n`;
        });
        writeSync(fd, lines.join(''));
      });
    } finally {
      closeSync(fd);
    }
    const signed = manifest.finish(new Date().toISOString(), key.publicKey.fingerprint);
    writeFileSync(join(outDir, EXPORT_MANIFEST_FILE), `${JSON.stringify(signed, null, 2)}\n`);
    writeFileSync(join(outDir, EXPORT_SIGNATURE_FILE), `${signManifest(signed, key)}\n`);
    process.stdout.write(
      `signed export of plan ${planId}: ${signed.stream.eventCount} events in ${outDir}\n` +
        `signer ${signed.signer.algorithm} ${signed.signer.fingerprint}\n`,
    );
    return 0;
  } finally {
    await store.close();
  }
}

async function eachPage(
  store: EventStore,
  stream: string,
  total: number,
  planId: string,
  handle: (page: RecordedEvent[]) => Promise<void>,
): Promise<void> {
  const progress = new Progress(`export ${planId}`, total);
  for (let from = 0; from < total; from += PAGE) {
    // capped at the head read first: events appended meanwhile belong to a later export
    const page = await store.readStream(stream, {
      fromVersion: from,
      maxCount: Math.min(PAGE, total - from),
    });
    await handle(page);
    progress.advance(page.length);
  }
  progress.finish();
}
