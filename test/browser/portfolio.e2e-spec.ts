/**
 * The portfolio end to end: GET /portfolio for a user with three plans of which one slips,
 * then the same in the browser (screenshot in test/artifacts/portfolio.png), and a second plan
 * slipping while the page is open shows up through the feed without a reload.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import type { PortfolioPlan } from '@lib/projections';
import { ARTIFACTS, launchChromium, signIn } from '../support/browser';
import { apiClient, eventually, tokenFor } from '../support/clients';
import { startServer, type ServerProcess } from '../support/server-process';

describe('the portfolio', () => {
  let server: ServerProcess;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const alice = tokenFor('alice', { name: 'Alice Martin' });
  const api = () => apiClient(server.baseUrl, alice);

  beforeAll(async () => {
    const [started, launched] = await Promise.allSettled([startServer(), launchChromium()]);
    if (started.status === 'fulfilled') server = started.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    if (started.status === 'rejected') throw started.reason;
    if (launched.status === 'rejected') throw launched.reason;
  }, 60_000);
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.dispose();
  });

  /** design (5 d) → build (5 d) → go-live milestone, a baseline of that, a budget */
  async function baselinedPlan(title: string, budget: number): Promise<string> {
    const planId = (
      await api().post<{ id: string }>('/plans', {
        title,
        start: '2027-03-01',
        currency: 'EUR',
        budget,
        // the dates below count calendar days
        calendarMode: 'calendar-days',
      })
    ).body.id;
    const post = async (path: string, body: unknown) => {
      const response = await api().post(`/plans/${planId}/${path}`, body);
      expect({ path, status: response.status }).toEqual({ path, status: 201 });
    };
    await post('tasks', { id: 'design', title: 'Design', durationDays: 5, cost: 40_000 });
    await post('tasks', {
      id: 'build',
      title: 'Build',
      durationDays: 5,
      cost: 60_000,
      dependsOn: [{ taskId: 'design', type: 'FS', lagDays: 0 }],
    });
    await post('milestones', {
      id: 'go-live',
      title: `${title} go-live`,
      dependsOn: [{ taskId: 'build', type: 'FS', lagDays: 0 }],
    });
    await post('baselines', { name: 'Approved' });
    return planId;
  }

  const portfolio = async () =>
    (await api().get<{ plans: PortfolioPlan[] }>('/portfolio')).body.plans;
  const line = (plans: PortfolioPlan[], planId: string) => plans.find((p) => p.planId === planId);

  it('given three plans of which one slipped 4 days, then GET /portfolio and the portfolio page show exactly that one slipping, and a new slip arrives live', async () => {
    const warehouse = await baselinedPlan('Warehouse move', 150_000);
    const crm = await baselinedPlan('CRM rollout', 120_000);
    const office = await baselinedPlan('Office refit', 80_000);
    await api().post(`/plans/${office}/risks`, {
      title: 'Asbestos found',
      probability: 4,
      impact: 5,
    });
    // someone else's plan is not in alice's portfolio
    await apiClient(server.baseUrl, tokenFor('bob')).post('/plans', { title: "Bob's plan" });
    // design takes 4 days longer: design and build are the critical path, the finish moves 4 days
    await api().patch(`/plans/${crm}/tasks/design`, { durationDays: 9 });

    await eventually(async () => {
      const plans = await portfolio();
      expect(plans.map((p) => p.title)).toEqual(['CRM rollout', 'Office refit', 'Warehouse move']);
      expect(line(plans, crm)).toMatchObject({
        slipping: true,
        finish: { forecast: '2027-03-15', baseline: '2027-03-11', deltaDays: 4 },
        criticalPathSlipDays: 4,
        nextMilestone: { id: 'go-live', date: '2027-03-15' },
        budget: { currency: 'EUR', budget: 120_000, plannedCost: 100_000, usedPercent: 83.3 },
        spi: null,
        cpi: null,
      });
      expect(line(plans, office)).toMatchObject({
        slipping: false,
        criticalPathSlipDays: 0,
        openRisks: { critical: 1, high: 0 },
      });
      expect(line(plans, warehouse)).toMatchObject({ slipping: false, finish: { deltaDays: 0 } });
    }, 15_000);

    const context = await browser.newContext({ viewport: { width: 1440, height: 720 } });
    contexts.push(context);
    const page = await context.newPage();
    await signIn(page, server.baseUrl, alice);
    await page.getByRole('link', { name: 'Portfolio' }).click();
    await page.getByRole('heading', { name: 'Portfolio', level: 1 }).waitFor();
    // subscribed to the feed's notices: from here on a change shows without reloading
    await page.locator('[data-testid="portfolio-live"]', { hasText: 'live' }).waitFor();
    const rows = page.locator('.portfolio-table tbody tr');
    await eventually(async () => expect(await rows.count()).toBe(3));
    const crmRow = page.locator(`tr[data-plan-id="${crm}"]`);
    expect(await crmRow.getAttribute('class')).toContain('slipping');
    expect(await crmRow.textContent()).toContain('+4 days');
    expect(await page.locator('tr.slipping').count()).toBe(1);
    expect(await page.locator('.portfolio-summary').textContent()).toContain('1 slipping');
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'portfolio.png'), fullPage: true });

    await api().patch(`/plans/${warehouse}/tasks/build`, { durationDays: 7 });
    await page.locator(`tr.slipping[data-plan-id="${warehouse}"]`).waitFor({ timeout: 15_000 });
    expect(await page.locator('tr.slipping').count()).toBe(2);
    await page.screenshot({ path: join(ARTIFACTS, 'portfolio-live.png'), fullPage: true });
  }, 90_000);
});
