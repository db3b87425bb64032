/**
 * The newcomer's path: `npm run cli -- demo` on an empty data dir prints a URL and a token;
 * the server started on that data dir serves the demo plan, and Chromium opens it with that
 * token — tasks, history by several users, comments. Then the plan list's Import button brings
 * in an MS Project file and shows the import report. Screenshots go to test/artifacts/.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalizePlanImport, type PlanFile } from '@lib/plan-domain';
import { writeMspdi } from '@lib/plan-exchange';
import { chromium, type Browser } from 'playwright-core';
import crm from '../../libs/plan-domain/src/scheduling/fixtures/crm-rollout.plan.json';
import { startServer, TEST_JWT_SECRET, type ServerProcess } from '../support/server-process';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'apps', 'cli', 'src', 'main.js');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, '..', 'artifacts');

describe('the demo in one command, opened in the browser', () => {
  let dataDir: string;
  let server: ServerProcess;
  let browser: Browser;
  let demo: { url: string; token: string };

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `${CHROMIUM} is missing: apt-get install -y chromium (or set CHROMIUM_PATH); .ci/run installs it`,
      );
    }
    dataDir = mkdtempSync(join(tmpdir(), 'demo-'));
    const run = spawnSync(process.execPath, [CLI, 'demo'], {
      env: {
        PATH: process.env.PATH ?? '',
        DATA_DIR: dataDir,
        AUTH_JWT_SECRET: TEST_JWT_SECRET,
        PORT: '3999',
      },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const url = /^url: +(\S+)$/m.exec(run.stdout)?.[1];
    const token = /^token: +(\S+)$/m.exec(run.stdout)?.[1];
    expect(url).toBe('http://localhost:3999/p/crm-demo');
    demo = { url: url!, token: token! };
    // a second run finds the plan and does not load it twice
    const again = spawnSync(process.execPath, [CLI, 'demo'], {
      env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, AUTH_JWT_SECRET: TEST_JWT_SECRET },
      encoding: 'utf8',
    });
    expect(again.stdout).toMatch(/is already in sqlite/);

    server = await startServer({ DATA_DIR: dataDir });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-sync',
      ],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('given the printed URL and token, when opened, then the demo plan shows its tasks, its history by several users and its comments', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 960 } });
    const page = await context.newPage();
    // the printed URL on the port the server really listens on
    await page.goto(demo.url.replace('http://localhost:3999', server.baseUrl));
    await page.getByLabel('Access token').fill(demo.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'CRM system rollout', level: 1 }).waitFor();
    await page.locator('[role="grid"] tbody tr[data-row-id]').first().waitFor();
    expect(
      await page.locator('[role="grid"] tbody tr[data-row-id]').count(),
    ).toBeGreaterThanOrEqual(30);

    await page.getByRole('tab', { name: /history/i }).click();
    for (const who of ['maria', 'ken', 'ana', 'raj'])
      await page
        .getByText(new RegExp(`\\b${who}\\b`))
        .first()
        .waitFor();
    await page.getByRole('tab', { name: /feedback|comments/i }).click();
    await page.getByText('Please show the licence budget separately in the next report.').waitFor();
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'demo-plan.png'), fullPage: true });
    await context.close();
  }, 60_000);

  it('given the plan list, when an MS Project file is imported with the Import button, then the report shows what arrived and the new plan opens', async () => {
    const file = join(dataDir, 'warehouse.xml');
    const plan = normalizePlanImport({
      ...(crm as PlanFile),
      meta: { ...(crm as PlanFile).meta, title: 'Imported CRM' },
    });
    writeFileSync(file, writeMspdi(plan, { fallbackStart: '2027-03-01' }));
    const context = await browser.newContext({ viewport: { width: 1440, height: 960 } });
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/`);
    await page.getByLabel('Access token').fill(demo.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Your plans' }).waitFor();
    await page.getByLabel('MS Project XML, CSV or JSON file').setInputFiles(file);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const status = page.getByRole('status').filter({ hasText: 'Imported' });
    await status.waitFor();
    expect(await status.textContent()).toMatch(
      /Imported Imported CRM from mspdi: 5 phases, 29 tasks, 5 milestones, 12 resources/,
    );
    await page.getByRole('link', { name: 'Open the imported plan' }).click();
    await page.getByRole('heading', { name: 'Imported CRM', level: 1 }).waitFor();
    await page.locator('[role="grid"] tbody tr[data-row-id]').first().waitFor();
    await context.close();
  }, 60_000);
});
