/**
 * Signed audit exports and the read audit, on a real server and the real CLI: an auditor's
 * reads are listed in the access log; an export signed with the server's Ed25519 key verifies
 * offline against `GET /audit/public-key`; one changed byte is named by event; another key fails.
 */
import { generateKeyPairSync } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli-process';
import { apiClient, tokenFor } from '../support/clients';
import { startServer, type ServerProcess } from '../support/server-process';

const cli = (dataDir: string, args: string[]) => runCli({ DATA_DIR: dataDir }, args);

interface AccessLogBody {
  entries: {
    who: string;
    role?: string;
    what: string;
    query: Record<string, string>;
    via: string;
    when: string;
  }[];
}

describe('signed audit export and read audit', () => {
  let server: ServerProcess;
  let work: string;
  let planId: string;

  beforeAll(async () => {
    server = await startServer();
    work = mkdtempSync(join(tmpdir(), 'signed-export-'));
    const alice = apiClient(server.baseUrl, tokenFor('alice'));
    planId = (await alice.post<{ id: string }>('/plans', { title: 'Audited plan' })).body.id;
    await alice.post(`/plans/${planId}/tasks`, { id: 'a', title: 'Design', durationDays: 5 });
    await alice.post(`/plans/${planId}/tasks`, { id: 'b', title: 'Build', durationDays: 8 });
    await alice.patch(`/plans/${planId}/tasks/a`, { durationDays: 6 });
    await alice.post(`/plans/${planId}/members`, { userId: 'audrey', role: 'auditor' });
  }, 60_000);

  afterAll(async () => {
    await server?.dispose();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('given an auditor reading state, events, history and verify, when the access log is listed, then each read is there with who, what, query and when', async () => {
    const audrey = apiClient(server.baseUrl, tokenFor('audrey'));
    const before = Date.now();
    expect((await audrey.get(`/plans/${planId}/state?version=2`)).status).toBe(200);
    expect((await audrey.get(`/plans/${planId}/events?limit=2`)).status).toBe(200);
    expect((await audrey.get(`/plans/${planId}/history`)).status).toBe(200);
    expect((await audrey.get(`/plans/${planId}/verify`)).status).toBe(200);
    // a refused read is not a read
    expect(
      (await apiClient(server.baseUrl, tokenFor('mallory')).get(`/plans/${planId}/state?version=1`))
        .status,
    ).toBe(403);

    const log = await audrey.get<AccessLogBody>(`/plans/${planId}/access-log`);
    expect(log.status).toBe(200);
    expect(log.body.entries.map((e) => [e.who, e.role, e.what, e.via])).toEqual([
      ['audrey', 'auditor', 'state', 'http'],
      ['audrey', 'auditor', 'events', 'http'],
      ['audrey', 'auditor', 'history', 'http'],
      ['audrey', 'auditor', 'verify', 'http'],
    ]);
    expect(log.body.entries[0].query).toEqual({ version: '2' });
    for (const entry of log.body.entries)
      expect(Date.parse(entry.when)).toBeGreaterThanOrEqual(before - 1000);
    // the access log is itself hash-chained in the store
    expect((await cli(server.dataDir, ['verify', `access-${planId}`])).status).toBe(0);
    // viewers cannot see who audited
    await apiClient(server.baseUrl, tokenFor('alice')).post(`/plans/${planId}/members`, {
      userId: 'vic',
      role: 'viewer',
    });
    expect(
      (await apiClient(server.baseUrl, tokenFor('vic')).get(`/plans/${planId}/access-log`)).status,
    ).toBe(403);
  }, 60_000);

  it('given a signed export, when verified with the published key, then it passes; one changed byte names its event; another key fails', async () => {
    const published = await fetch(`${server.baseUrl}/audit/public-key?format=pem`);
    expect(published.status).toBe(200);
    const pem = await published.text();
    expect(pem).toContain('BEGIN PUBLIC KEY');
    const keyFile = join(work, 'server.pub.pem');
    writeFileSync(keyFile, pem);
    const json = (await (await fetch(`${server.baseUrl}/audit/public-key`)).json()) as {
      fingerprint: string;
    };
    expect(json).toMatchObject({ algorithm: 'Ed25519', publicKey: pem });
    // the CLI uses the same generated key as the server
    expect((await cli(server.dataDir, ['audit-key'])).stdout).toBe(pem);

    const dir = join(work, 'export');
    const exported = await cli(server.dataDir, [
      'export',
      planId,
      '--sign',
      '--out',
      dir,
      '--actor',
      'audrey',
    ]);
    expect(exported.stderr).not.toMatch(/error/i);
    expect(exported.status).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    const lines = readFileSync(join(dir, 'events.ndjson'), 'utf8').trim().split('\n');
    expect(manifest.stream.eventCount).toBe(lines.length);
    expect(manifest.stream.head.version).toBe(lines.length - 1);
    expect(manifest.countsByType).toMatchObject({ PlanCreated: 1, MemberGranted: 2 });
    expect(manifest.timeRange.from <= manifest.timeRange.to).toBe(true);
    expect(manifest.signer.fingerprint).toBe(json.fingerprint);

    const verified = await cli(server.dataDir, ['verify-export', dir, '--public-key', keyFile]);
    expect(verified.stdout).toContain(`OK plan ${planId}: ${lines.length} events`);
    expect(verified.status).toBe(0);

    // the export is in the access log too
    const log = await apiClient(server.baseUrl, tokenFor('audrey')).get<AccessLogBody>(
      `/plans/${planId}/access-log`,
    );
    expect(log.body.entries).toContainEqual(
      expect.objectContaining({
        who: 'audrey',
        what: 'export',
        via: 'cli',
        query: { signed: 'true' },
      }),
    );

    // one byte of the event at version 2 (a PlanUpdated: base64 Yjs update) changed
    const tampered = join(work, 'tampered');
    cpSync(dir, tampered, { recursive: true });
    const target = JSON.parse(lines[2]);
    const data: string = target.data;
    const flipped = data.slice(0, 10) + (data[10] === 'A' ? 'B' : 'A') + data.slice(11);
    const changed = [...lines];
    changed[2] = lines[2].replace(data, flipped);
    expect(changed[2]).not.toBe(lines[2]);
    writeFileSync(join(tampered, 'events.ndjson'), `${changed.join('\n')}\n`);
    const broken = await cli(server.dataDir, ['verify-export', tampered, '--public-key', keyFile]);
    expect(broken.status).toBe(1);
    expect(broken.stdout).toContain(`event version 2 (${target.type} ${target.id}) differs`);

    // a byte outside the hash chain (the informational position) is still named
    const moved = [...lines];
    moved[4] = lines[4].replace(/"position":(\d+)/, (_, p) => `"position":${Number(p) + 1}`);
    writeFileSync(join(tampered, 'events.ndjson'), `${moved.join('\n')}\n`);
    const outside = await cli(server.dataDir, ['verify-export', tampered, '--public-key', keyFile]);
    expect(outside.status).toBe(1);
    expect(outside.stdout).toContain('event version 4');

    const otherKey = join(work, 'other.pub.pem');
    writeFileSync(
      otherKey,
      generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    );
    const wrongKey = await cli(server.dataDir, ['verify-export', dir, '--public-key', otherKey]);
    expect(wrongKey.status).toBe(1);
    expect(wrongKey.stdout).toMatch(/signature does not verify .*different key/);
  }, 120_000);
});
