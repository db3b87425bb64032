/**
 * The auditor's CLI on real data: export a plan, import it into an empty store (restored
 * exactly: every hash matches), verify every chain, and find a row edited behind the
 * store's back.
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiClient, tokenFor } from '../support/clients';
import { startServer } from '../support/server-process';

const CLI = join(__dirname, '..', '..', 'dist', 'apps', 'cli', 'src', 'main.js');

function cli(dataDir: string, args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('audit CLI', () => {
  it('given a plan with history, when exported and imported elsewhere, then it verifies with identical hashes; and an edited row is named', async () => {
    const server = await startServer();
    const alice = tokenFor('alice');
    const api = apiClient(server.baseUrl, alice);
    const planId = (await api.post<{ id: string }>('/plans', { title: 'Audited plan' })).body.id;
    await api.post(`/plans/${planId}/tasks`, { id: 'a', title: 'A', durationDays: 5 });
    await api.post(`/plans/${planId}/risks`, {
      id: 'r',
      title: 'Vendor slips',
      probability: 2,
      impact: 5,
    });
    await api.patch(`/plans/${planId}/risks/r`, { probability: 4 });
    await api.post(`/plans/${planId}/members`, { userId: 'audrey', role: 'auditor' });
    await server.stop();

    const exported = cli(server.dataDir, ['export', planId]);
    expect(exported.status).toBe(0);
    const lines = exported.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(6);
    const file = join(mkdtempSync(join(tmpdir(), 'export-')), 'plan.ndjson');
    writeFileSync(file, exported.stdout);

    const target = mkdtempSync(join(tmpdir(), 'import-'));
    const imported = cli(target, ['import', file]);
    expect(imported.stdout).toContain(`${lines.length} events imported, 0 hash mismatches`);
    expect(imported.status).toBe(0);
    expect(cli(target, ['export', planId]).stdout.split('\n').map(stripPosition)).toEqual(
      exported.stdout.split('\n').map(stripPosition),
    );
    const again = cli(target, ['import', file]);
    expect(again.status).toBe(0);

    const verified = cli(target, ['verify', '--all']);
    expect(verified.status).toBe(0);
    // the plan stream, and its access log holding the export just read from this store
    expect(verified.stdout).toContain('2/2 streams verified');

    const db = new Database(join(server.dataDir, 'events.sqlite'));
    db.prepare(
      `UPDATE events SET metadata = json_set(metadata, '$.actor', 'mallory') WHERE stream_id = ? AND version = 3`,
    ).run(`plan-${planId}`);
    db.close();
    const broken = cli(server.dataDir, ['verify', `plan-${planId}`]);
    expect(broken.status).toBe(1);
    expect(broken.stdout).toMatch(new RegExp(`BROKEN plan-${planId} at version 3 .*hash`));
    expect(readFileSync(file, 'utf8')).toBe(exported.stdout);
    await server.dispose();
  }, 120_000);
});

function stripPosition(line: string): string {
  return line.replace(/,"position":\d+/, '');
}
