/**
 * The browser editor end to end: the built server serves dist/web, real Chromium (Debian's
 * /usr/bin/chromium driven by playwright-core; browsers are never downloaded) signs in with
 * real tokens and edits a plan live while a viewer watches. Screenshots go to test/artifacts/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { importPlan, PlanDoc } from '@lib/plan-domain';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import fixture from '../../libs/plan-domain/src/scheduling/fixtures/crm-rollout.plan.json';
import expectedTimeline from '../../libs/plan-domain/src/scheduling/fixtures/crm-rollout.expected-timeline.json';
import { apiClient, ClientPool, eventually, tokenFor } from '../support/clients';
import { startServer, type ServerProcess } from '../support/server-process';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, '..', 'artifacts');
/**
 * How long a page may take to show what another page did. Each wait starts from an event the
 * code exposes (the writer's save status turning "saved": the server acknowledged the write
 * durably), so this bound only catches a change that never arrives; it is not a latency claim
 * that a loaded machine could break. Latencies are printed instead.
 */
const LIVE_WITHIN_MS = 15_000;

/**
 * The DOM shapes the in-page callbacks use: the test tsconfig has no DOM lib, and the casts
 * are erased before playwright sends a callback's source to the page.
 */
interface PageElement {
  readonly value: string;
  readonly readOnly: boolean;
  getAttribute(name: string): string | null;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
}
interface PageGlobals {
  readonly document: PageElement & { readonly activeElement: PageElement | null };
}

const EXPECTED_CRITICAL = Object.entries(expectedTimeline.tasks)
  .filter(([, activity]) => activity.critical)
  .map(([id]) => id)
  .sort();

describe('the browser plan editor', () => {
  let server: ServerProcess;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pool = new ClientPool();
  const alice = tokenFor('alice', { name: 'Alice Martin' });
  const vera = tokenFor('vera', { name: 'Vera Viewer' });
  const sam = tokenFor('sam', { name: 'Sam Sponsor' });
  let planId: string;
  let owner: Page;
  let viewer: Page;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `${CHROMIUM} is missing: apt-get install -y chromium (or set CHROMIUM_PATH); .ci/run installs it`,
      );
    }
    // settled, not all: whichever started must be there for afterAll to stop it
    const [started, launched] = await Promise.allSettled([
      startServer(),
      chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      }),
    ]);
    if (started.status === 'fulfilled') server = started.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    if (started.status === 'rejected') throw started.reason;
    if (launched.status === 'rejected') throw launched.reason;
    const api = apiClient(server.baseUrl, alice);
    const created = await api.post<{ id: string }>('/plans', {
      title: 'CRM system rollout',
      start: '2027-03-01',
    });
    expect(created.status).toBe(201);
    planId = created.body.id;
    expect(
      (await api.post(`/plans/${planId}/members`, { userId: 'vera', role: 'viewer' })).status,
    ).toBe(201);
    expect(
      (await api.post(`/plans/${planId}/members`, { userId: 'sam', role: 'stakeholder' })).status,
    ).toBe(201);

    // the sample plan goes in the way any y-websocket client writes: one CRDT update
    const loader = pool.connect(server.wsUrl, planId, { token: alice, ack: '1' });
    await eventually(() => expect(loader.provider.synced).toBe(true));
    importPlan(loader.doc, fixture);
    await loader.acks.whenSaved();
    pool.destroyAll();

    [owner, viewer] = await Promise.all([openPlan(alice), openPlan(vera)]);
  }, 90_000);

  afterAll(async () => {
    pool.destroyAll();
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.dispose();
  });

  async function openPlan(token: string, title = 'CRM system rollout'): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 960 } });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/`);
    await page.getByLabel('Access token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Your plans' }).waitFor();
    await page.getByRole('link', { name: title }).click();
    await page.getByRole('heading', { name: title, level: 1 }).waitFor();
    await page.locator('[data-testid="save-status"][data-link="connected"]').waitFor();
    await page.locator('[role="grid"] tbody tr[data-row-id]').first().waitFor();
    return page;
  }

  /** resolves once a cell input of the page's grids shows `value`; fails after `timeoutMs` */
  function cellShowing(page: Page, value: string, timeoutMs = LIVE_WITHIN_MS): Promise<unknown> {
    return page.waitForFunction(
      (wanted) => {
        const { document } = globalThis as unknown as PageGlobals;
        return [...document.querySelectorAll('[role="grid"] input')].some(
          (i) => i.value === wanted,
        );
      },
      value,
      { timeout: timeoutMs, polling: 'raf' },
    );
  }

  async function tab(page: Page, name: string): Promise<void> {
    await page.getByRole('tab', { name }).click();
  }

  it('given an owner and a viewer on the plan, when the owner adds a task and changes a risk score, then the viewer sees both once saved', async () => {
    await owner.getByRole('button', { name: 'Add task' }).click();
    const title = owner.getByRole('textbox', { name: /^Title, task \d+ New task$/ });
    await title.click();
    await title.press('Enter');
    await title.press('Control+A');
    await title.pressSequentially('Go-live rehearsal');
    await title.press('Enter');
    await owner.locator('[data-testid="save-status"][data-saved="true"]').waitFor();
    const saved = Date.now();
    await cellShowing(viewer, 'Go-live rehearsal');
    console.log(`viewer showed the owner's saved task ${Date.now() - saved} ms after the save`);
    expect(await owner.getByTestId('save-status').textContent()).toContain('All changes saved');

    await tab(owner, 'Risks');
    await tab(viewer, 'Risks');
    const probability = owner.getByRole('textbox', {
      name: 'Probability, risk GDPR finding in security review',
    });
    await probability.click();
    await probability.press('Enter');
    // the viewer sees where the owner is editing
    await viewer
      .locator('td[data-field="probability"][data-peer="Alice Martin"]')
      .waitFor({ timeout: LIVE_WITHIN_MS });
    await probability.press('Control+A');
    await probability.pressSequentially('4');
    await probability.press('Enter');
    await viewer.waitForFunction(
      () => {
        const { document } = globalThis as unknown as PageGlobals;
        const row = [...document.querySelectorAll('[role="grid"] tr')].find((tr) =>
          [...tr.querySelectorAll('input')].some(
            (i) => i.value === 'GDPR finding in security review',
          ),
        );
        const value = (field: string) =>
          row?.querySelector(`td[data-field="${field}"] input`)?.value;
        return value('probability') === '4' && value('score') === '20';
      },
      undefined,
      { timeout: LIVE_WITHIN_MS, polling: 'raf' },
    );
    expect(
      await viewer
        .locator('td.heat[data-probability="4"][data-impact="5"]')
        .getAttribute('data-count'),
    ).toBe('1');
    expect(
      await viewer
        .getByRole('list', { name: 'People here' })
        .getByRole('listitem')
        .allTextContents(),
    ).toEqual(expect.arrayContaining(['AM', 'VV']));

    mkdirSync(ARTIFACTS, { recursive: true });
    await owner.screenshot({ path: join(ARTIFACTS, 'plan-editor-risks.png'), fullPage: true });
  }, 60_000);

  it('given a viewer, when they try to edit, then every cell is read-only and nothing changes', async () => {
    await tab(viewer, 'Tasks & timeline');
    const grid = viewer.getByRole('grid', { name: 'Tasks and milestones' });
    expect(await grid.getAttribute('aria-readonly')).toBe('true');
    const inputs = grid.locator('input');
    expect(await inputs.count()).toBeGreaterThan(30);
    expect(await inputs.evaluateAll((all: PageElement[]) => all.every((i) => i.readOnly))).toBe(
      true,
    );
    expect(await viewer.getByRole('button', { name: 'Add task' }).count()).toBe(0);

    const cell = viewer.getByRole('textbox', { name: /^Title, task \d+ Kick-off workshop$/ });
    await cell.click();
    await cell.press('Enter');
    await cell.pressSequentially('typed by a viewer');
    await cell.press('Enter');
    expect(await cell.inputValue()).toBe('Kick-off workshop');
    expect(await viewer.getByTestId('save-status').textContent()).toContain('read-only');
  });

  it('given the sample plan, when the timeline is shown, then the Gantt marks exactly the critical path', async () => {
    await tab(owner, 'Tasks & timeline');
    const bars = owner.locator('svg.gantt-svg [role="listitem"]');
    await eventually(async () => expect(await bars.count()).toBe(fixture.tasks.length + 1));
    const critical = await owner
      .locator('svg.gantt-svg [role="listitem"][data-critical="true"]')
      .evaluateAll((all: PageElement[]) =>
        all.map((g) => g.getAttribute('data-activity-id')!).sort(),
      );
    expect(critical).toEqual(EXPECTED_CRITICAL);
    const kickOff = owner.locator('svg.gantt-svg [data-activity-id="t01"]');
    expect(await kickOff.getAttribute('aria-label')).toBe(
      'Kick-off workshop: 2027-03-01 to 2027-03-02, on the critical path',
    );
    expect(await owner.getByTestId('critical-path').textContent()).toContain(
      `Critical path (${EXPECTED_CRITICAL.length})`,
    );

    // keyboard: arrows move between cells, Escape drops an edit
    const title = owner.getByRole('textbox', { name: /^Title, task \d+ Kick-off workshop$/ });
    await title.click();
    await owner.keyboard.press('ArrowRight');
    await owner.keyboard.press('ArrowRight');
    expect(
      await owner.evaluate(() =>
        (globalThis as unknown as PageGlobals).document.activeElement?.getAttribute('aria-label'),
      ),
    ).toMatch(/^Assignees, task \d+ Kick-off workshop$/);
    await owner.keyboard.press('Enter');
    await owner.keyboard.type('nobody');
    await owner.keyboard.press('Escape');
    expect(
      await owner
        .getByRole('textbox', { name: /^Assignees, task \d+ Kick-off workshop$/ })
        .inputValue(),
    ).toBe('maria');

    mkdirSync(ARTIFACTS, { recursive: true });
    await owner.screenshot({ path: join(ARTIFACTS, 'plan-editor.png'), fullPage: true });
  });

  it("given the sample plan, when each view is opened, then it lists the plan's items", async () => {
    const views = [
      {
        tab: 'Resources & budget',
        grid: 'Resources',
        rows: fixture.resources.length,
        shot: 'resources',
      },
      {
        tab: 'Stakeholders',
        grid: 'Stakeholders',
        rows: fixture.stakeholders.length,
        shot: 'stakeholders',
      },
      {
        tab: 'Objectives',
        grid: 'Objectives',
        rows: fixture.objectives.length,
        shot: 'objectives',
      },
    ];
    for (const view of views) {
      await tab(viewer, view.tab);
      const rows = viewer.getByRole('grid', { name: view.grid }).locator('tbody tr[data-row-id]');
      await eventually(async () => expect(await rows.count()).toBe(view.rows));
      await viewer.screenshot({
        path: join(ARTIFACTS, `plan-editor-${view.shot}.png`),
        fullPage: true,
      });
    }
    await tab(viewer, 'Resources & budget');
    expect(await viewer.getByTestId('planned-cost').textContent()).toMatch(/\d/);
  });

  it('given edits in the change log, when the history slider moves back, then the plan shows as it was before them', async () => {
    await tab(owner, 'History');
    const log = owner.getByRole('list', { name: 'Changes, newest first' });
    await log
      .getByText(/Go-live rehearsal/)
      .first()
      .waitFor();
    const addedAt = Math.min(
      ...(await log
        .locator('li', { hasText: 'Go-live rehearsal' })
        .evaluateAll((items: PageElement[]) =>
          items.map((li) => Number(li.getAttribute('data-version'))),
        )),
    );
    expect(
      await log.locator('li', { hasText: 'Go-live rehearsal' }).first().textContent(),
    ).toContain('alice');

    const slider = owner.getByRole('slider', { name: 'Version' });
    await slider.focus();
    await slider.press('Home');
    for (let v = 0; v < addedAt - 1; v++) await slider.press('ArrowRight');
    expect(await owner.getByTestId('selected-version').textContent()).toMatch(
      new RegExp(`^${addedAt - 1} / `),
    );

    const past = owner.getByRole('region', { name: `Plan at version ${addedAt - 1}` });
    await past.waitFor();
    const titles = await past
      .getByRole('grid')
      .locator('td[data-field="title"] input')
      .evaluateAll((all: PageElement[]) => all.map((i) => i.value));
    expect(titles).toContain('Kick-off workshop');
    expect(titles).not.toContain('Go-live rehearsal');
    expect(titles).not.toContain('New task');
    expect(await past.getByRole('grid').getAttribute('aria-readonly')).toBe('true');
    await owner.screenshot({ path: join(ARTIFACTS, 'plan-editor-history.png'), fullPage: true });

    await owner.getByRole('button', { name: 'Back to now' }).click();
    expect(await past.count()).toBe(0);
  });

  it('given a stakeholder, when they comment on a task mentioning the owner, then the owner is told and sees the thread live, and the reply reaches the stakeholder', async () => {
    const stakeholder = await openPlan(sam);
    expect(await stakeholder.getByTestId('save-status').textContent()).toContain('read-only');
    await tab(owner, 'Comments');
    await tab(stakeholder, 'Comments');

    const form = stakeholder.getByRole('form', { name: 'New thread' });
    await form.getByLabel('About').selectOption({ label: 'Task “Kick-off workshop”' });
    await form.getByLabel('Comment').fill('@alice can we move this a week?');
    await form.getByRole('button', { name: 'Post comment' }).click();

    const mentions = owner.getByRole('region', { name: 'Mentions of you' });
    await mentions
      .getByText('can we move this a week?', { exact: false })
      .waitFor({ timeout: LIVE_WITHIN_MS });
    expect(await mentions.textContent()).toContain('sam mentioned you');
    const thread = owner.locator('li.thread', { hasText: 'can we move this a week?' });
    await thread.waitFor({ timeout: LIVE_WITHIN_MS });
    expect(await thread.locator('.thread-head').textContent()).toContain(
      'Task “Kick-off workshop”',
    );
    expect(await thread.locator('mark.mention.me').textContent()).toBe('@alice');

    await thread
      .getByRole('textbox', { name: /^Reply to the thread about/ })
      .fill('Yes, if @sam signs off the new date');
    await thread.getByRole('button', { name: 'Reply' }).click();
    const reply = stakeholder.locator('li.thread li.comment', {
      hasText: 'signs off the new date',
    });
    await reply.waitFor({ timeout: LIVE_WITHIN_MS });
    expect(await reply.locator('.comment-author').textContent()).toBe('alice');
    await stakeholder
      .getByRole('region', { name: 'Mentions of you' })
      .getByText('signs off the new date', { exact: false })
      .waitFor({ timeout: LIVE_WITHIN_MS });
    await stakeholder.screenshot({
      path: join(ARTIFACTS, 'plan-editor-comments.png'),
      fullPage: true,
    });

    // a viewer reads the conversation and cannot take part
    await tab(viewer, 'Comments');
    await viewer.locator('li.thread', { hasText: 'can we move this a week?' }).waitFor();
    expect(await viewer.getByRole('form', { name: 'New thread' }).count()).toBe(0);
    expect(await viewer.getByRole('button', { name: 'Reply' }).count()).toBe(0);

    // resolving moves the thread out of the open list everywhere
    await thread.getByRole('button', { name: 'Resolve' }).click();
    await stakeholder
      .getByTestId('thread-counts')
      .getByText('0 open · 1 resolved')
      .waitFor({ timeout: LIVE_WITHIN_MS });
    expect(
      await stakeholder.locator('li.thread', { hasText: 'can we move this a week?' }).count(),
    ).toBe(0);
  }, 60_000);

  it('given the sample plan, when the status report is opened, then the server-built report shows in the page', async () => {
    await tab(owner, 'Status report');
    const report = owner.frameLocator('iframe[title="Status report"]');
    const heading = report.getByRole('heading', { level: 1 });
    await heading.waitFor();
    expect(await heading.textContent()).toBe('Status report: CRM system rollout');
    expect(await report.locator('svg').count()).toBeGreaterThan(0);
    await owner.screenshot({ path: join(ARTIFACTS, 'plan-editor-report.png'), fullPage: true });
  });

  it('given a plan on working days, when its timeline is shown, then weekends are shaded, progress and constraints are drawn, the leveling preview shows ghost bars and earned value its S-curve', async () => {
    const api = apiClient(server.baseUrl, alice);
    const id = (
      await api.post<{ id: string }>('/plans', { title: 'Office move', start: '2027-03-01' })
    ).body.id;
    await api.post(`/plans/${id}/resources`, { id: 'ana', name: 'Ana', kind: 'person' });
    await api.post(`/plans/${id}/tasks`, {
      id: 'critical',
      title: 'Data model',
      durationDays: 4,
      resourceIds: ['ana'],
      cost: 4000,
      percentComplete: 50,
      actualStart: '2027-03-01',
    });
    await api.post(`/plans/${id}/tasks`, {
      id: 'after',
      title: 'Import',
      durationDays: 5,
      dependsOn: [{ taskId: 'critical', type: 'FS', lag: '0d' }],
      constraint: { type: 'FNLT', date: '2027-03-10' },
    });
    await api.post(`/plans/${id}/tasks`, {
      id: 'side',
      title: 'Glossary',
      durationDays: 3,
      resourceIds: ['ana'],
    });
    await api.post(`/plans/${id}/tasks/critical/actual-costs`, {
      amount: 2500,
      date: '2027-03-02',
    });
    await api.patch(`/plans/${id}`, { statusDate: '2027-03-02' });

    const page = await openPlan(alice, 'Office move');
    await tab(page, 'Tasks & timeline');
    const svg = page.locator('svg.gantt-svg');
    // the chart runs to Friday 12 March: the weekend of 6–7 March (days 5 and 6) is shaded
    await eventually(async () =>
      expect(
        await svg
          .locator('.gantt-nonworking rect')
          .evaluateAll((all: PageElement[]) => all.map((r) => r.getAttribute('data-day'))),
      ).toEqual(['5', '6']),
    );
    expect(await svg.locator('[data-activity-id="critical"] .gantt-progress').count()).toBe(1);
    // Import works 5–11 March: an FNLT on 10 March cannot hold
    await eventually(async () =>
      expect(
        await svg.locator('[data-activity-id="after"] .gantt-constraint.conflict').count(),
      ).toBe(1),
    );

    await page.getByRole('button', { name: 'Preview leveling' }).click();
    await svg.locator('[data-ghost-for="side"]').waitFor();
    // Glossary waits for the status date (Tue 2 March) and then for Ana, busy until Thu 4
    expect(await page.getByTestId('leveling-preview').textContent()).toMatch(
      /Glossary: 2027-03-03 → 2027-03-05/,
    );
    await page.getByRole('button', { name: 'Discard preview' }).click();
    expect(await svg.locator('[data-ghost-for="side"]').count()).toBe(0);

    const evm = page.locator('figure.evm');
    await evm.waitFor();
    expect(await evm.textContent()).toMatch(/SPI/);
    expect(await evm.locator('polyline').count()).toBe(3);
    await page.screenshot({ path: join(ARTIFACTS, 'plan-editor-scheduling.png'), fullPage: true });
  });

  // last: the cycle it leaves would change what the earlier checks see
  it('given two offline clients, when their dependencies close a cycle between them, then the editor marks both rows with the problem', async () => {
    const api = apiClient(server.baseUrl, alice);
    for (const task of [
      { id: 'cycle-x', title: 'Cycle X', durationDays: 1 },
      { id: 'cycle-y', title: 'Cycle Y', durationDays: 1 },
    ])
      expect((await api.post(`/plans/${planId}/tasks`, task)).status).toBe(201);
    const [left, right] = [0, 1].map(() => pool.connect(server.wsUrl, planId, { token: alice }));
    await eventually(() => {
      for (const client of [left, right])
        expect(new PlanDoc(client.doc).get('tasks', 'cycle-y')).toBeDefined();
    });
    left.provider.disconnect();
    right.provider.disconnect();
    new PlanDoc(left.doc).addDependency('cycle-y', { taskId: 'cycle-x', type: 'FS', lagDays: 0 });
    new PlanDoc(right.doc).addDependency('cycle-x', { taskId: 'cycle-y', type: 'FS', lagDays: 0 });
    left.provider.connect();
    right.provider.connect();

    await tab(owner, 'Tasks & timeline');
    for (const id of ['cycle-x', 'cycle-y']) {
      await owner
        .locator(`tr[data-row-id="${id}"][data-problem~="DEPENDENCY_CYCLE"]`)
        .waitFor({ timeout: 5000 });
    }
    const marker = owner.locator('tr[data-row-id="cycle-x"] .row-problem');
    expect(await marker.getAttribute('aria-label')).toMatch(/dependency cycle/);
    expect(await owner.locator('tr[data-problem]').count()).toBe(2);
    await owner.screenshot({ path: join(ARTIFACTS, 'plan-editor-cycle.png'), fullPage: true });
  }, 30_000);
});
