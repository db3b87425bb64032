/**
 * `cli report` on a seeded demo store: the CRM rollout with two weeks of history. Writes the
 * HTML report to test/artifacts/ (gitignored) for people to look at, and checks what it says.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SQLITE_EVENTS_FILE, SqliteEventStore } from '@lib/event-store';
import { CRM_DEMO_PLAN_ID, seedCrmDemo } from '../support/crm-demo-plan';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'apps', 'cli', 'src', 'main.js');
const ARTIFACTS = join(ROOT, 'test', 'artifacts');

function cli(dataDir: string, args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    encoding: 'utf8',
    timeout: 120_000,
  });
}

describe('cli report', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'report-cli-'));
    const store = new SqliteEventStore({ file: join(dataDir, SQLITE_EVENTS_FILE) });
    await seedCrmDemo(store);
    await store.close();
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('given the seeded CRM demo, when the week of 8 March is reported as HTML, then the file is one page naming the slip, the rising risk, the KPI and the scope creep', () => {
    const out = join(ARTIFACTS, 'crm-status-report.html');
    const run = cli(dataDir, [
      'report',
      CRM_DEMO_PLAN_ID,
      '--format',
      'html',
      '--out',
      out,
      '--since',
      '2027-03-08',
      '--today',
      '2027-03-15',
    ]);
    expect(run.stderr).toContain(`written to ${out}`);
    expect(run.status).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script|src=|href=/);
    expect(html.match(/<svg /g)?.length).toBeGreaterThanOrEqual(5);
    expect(html).toContain('Milestone &quot;Requirements signed off&quot; slipped');
    expect(html).toContain(
      'Risk &quot;Dirty legacy data delays migration&quot; rose from 16 to 20',
    );
    expect(html).toMatch(
      /KPI &quot;share of accounts with merged history&quot; is (at-risk|off-track)/,
    );
    expect(html).toContain('scope creep');
    expect(html).toContain('Mobile app pilot');
  });

  it('given the same store, when reported as Markdown for the CFO to stdout, then it has the same facts; a wrong format is refused', () => {
    const run = cli(dataDir, [
      'report',
      CRM_DEMO_PLAN_ID,
      '--format',
      'md',
      '--since',
      '2027-03-08',
      '--today',
      '2027-03-15',
      '--audience',
      'CFO',
    ]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('# Status report: CRM system rollout');
    expect(run.stdout).toContain('Prepared for CFO (budget holder) via report, monthly.');
    expect(run.stdout).toMatch(/\| Requirements signed off \| 2027-03-19 \| 2027-03-15 \| \+4 \|/);
    const bad = cli(dataDir, ['report', CRM_DEMO_PLAN_ID, '--format', 'pdf']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--format must be one of json, md, html');
    const unknown = cli(dataDir, ['report', 'no-such-plan']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('plan no-such-plan is not in this store');
  });
});
