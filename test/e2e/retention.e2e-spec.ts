/**
 * Retention on real data: a plan archived longer ago than its `retainDays` is purged by the CLI
 * (a dry run first only reports), leaving a signed tombstone that names the purged head; other
 * plans stay, every remaining chain verifies, and the server no longer knows the purged plan.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { AuditVerifyingKey, tombstoneSignatureHolds, type PlanTombstone } from '@lib/audit';
import { SqliteEventStore } from '@lib/event-store';
import { runCli } from '../support/cli-process';
import { apiClient, tokenFor } from '../support/clients';
import { startServer } from '../support/server-process';

const DAY_MS = 86_400_000;

describe('retention', () => {
  it('given plans with retention, when the retention run passes, then only the plan archived past retainDays is purged under a signed tombstone', async () => {
    let server = await startServer();
    const cli = (args: string[]) => runCli(server.env, args);
    const alice = apiClient(server.baseUrl, tokenFor('alice'));
    const plan = async (title: string) => {
      const id = (await alice.post<{ id: string }>('/plans', { title })).body.id;
      await alice.post(`/plans/${id}/tasks`, { title: `${title} task`, durationDays: 2 });
      return id;
    };
    const [expired, active, recent] = [
      await plan('Expired'),
      await plan('Active'),
      await plan('Recent'),
    ];
    for (const id of [expired, active, recent]) {
      const set = await alice.put<{ retainDays: number; due: boolean }>(`/plans/${id}/retention`, {
        retainDays: 30,
      });
      expect(set.status).toBe(200);
      expect(set.body).toMatchObject({ retainDays: 30, archivedAt: null, due: false });
    }
    expect((await alice.put(`/plans/${expired}/retention`, { retainDays: 0 })).status).toBe(400);
    await server.stop();

    // archived 40 and 1 days ago (the archive command is another module's; its event is what counts)
    const store = new SqliteEventStore({ file: join(server.dataDir, 'events.sqlite') });
    const archive = (planId: string, daysAgo: number) =>
      store.appendToStream(`plan-${planId}`, [
        {
          id: randomUUID(),
          type: 'PlanArchived',
          data: {},
          metadata: { actor: 'alice', at: new Date(Date.now() - daysAgo * DAY_MS).toISOString() },
        },
      ]);
    await archive(expired, 40);
    await archive(recent, 1);
    const head = (
      await store.readStream(`plan-${expired}`, { direction: 'backwards', maxCount: 1 })
    )[0];
    await store.close();

    const dry = await cli(['retention', '--dry-run']);
    expect(dry.status).toBe(0);
    expect(dry.stdout).toContain(`WOULD PURGE plan ${expired}`);
    expect(dry.stdout).toContain(`KEEP plan ${active}: not archived`);
    expect(dry.stdout).toMatch(new RegExp(`KEEP plan ${recent}: archived .* retained until`));
    expect(dry.stdout).toContain('1 of 3 plans would be purged (dry run)');
    expect((await cli(['export', expired])).stdout.trim().split('\n').length).toBe(
      head.version + 1,
    );

    const run = await cli(['retention']);
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(
      `PURGED plan ${expired}: ${head.version + 1} events up to version ${head.version} (head ${head.hash})`,
    );

    const after = new SqliteEventStore({ file: join(server.dataDir, 'events.sqlite') });
    expect(await after.streamVersion(`plan-${expired}`)).toBe(-1);
    expect(await after.streamVersion(`plan-${active}`)).toBeGreaterThan(0);
    const [tombstoneEvent] = await after.readStream(`purged-${expired}`);
    await after.close();
    const tombstone = tombstoneEvent.data as unknown as PlanTombstone;
    expect(tombstone).toMatchObject({
      planId: expired,
      retainDays: 30,
      eventCount: head.version + 1,
      head: { version: head.version, hash: head.hash },
      countsByType: expect.objectContaining({ PlanCreated: 1, PlanArchived: 1 }),
    });
    const key = AuditVerifyingKey.fromPem((await cli(['audit-key'])).stdout);
    expect(tombstoneSignatureHolds(tombstone, key)).toBe(true);
    expect(tombstoneSignatureHolds({ ...tombstone, eventCount: 1 }, key)).toBe(false);

    const verified = await cli(['verify', '--all']);
    expect(verified.status).toBe(0);
    expect((await cli(['retention', '--dry-run'])).stdout).toContain(`PURGED plan ${expired}`);

    server = await server.restart();
    const again = apiClient(server.baseUrl, tokenFor('alice'));
    expect((await again.get(`/plans/${expired}`)).status).toBe(404);
    expect((await again.get(`/plans/${active}`)).status).toBe(200);
    // archived plans are listed apart
    const listed = await again.get<{ planId: string }[]>('/plans');
    expect(listed.body.map((p) => p.planId)).toEqual([active]);
    const archived = await again.get<{ planId: string }[]>('/plans?archived=true');
    expect(archived.body.map((p) => p.planId)).toEqual([recent]);
    await server.dispose();
  }, 180_000);
});
