/**
 * `retention [--dry-run] [--plan <id>] [--now <ISO>]`: purges the plans whose retention has run
 * out (archived, and `retainDays` passed since): each plan stream is deleted after a signed
 * `PlanPurged` tombstone is appended, its snapshots are dropped and the read models rebuilt
 * without it. `--dry-run` only says what would be purged. Run it with the server stopped.
 */
import { parseArgs } from 'node:util';
import {
  loadAuditSigningKey,
  plansWithRetention,
  purgePlan,
  retentionStatus,
  type RetentionStatus,
} from '@lib/audit';
import { openSnapshotStore } from '@lib/collab';
import type { AppConfig } from '@lib/config';
import { openEventStore } from '@lib/event-store';
import { rebuildCommand } from './rebuild.command';

export const RETENTION_USAGE =
  '  retention [--dry-run] [--plan <id>] [--now <ISO>]   purge archived plans past retainDays (signed tombstones)\n';

export async function retentionCommand(config: AppConfig, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      'dry-run': { type: 'boolean' },
      plan: { type: 'string' },
      now: { type: 'string' },
    },
  });
  const now = values.now === undefined ? new Date() : new Date(values.now);
  if (Number.isNaN(now.getTime())) {
    process.stderr.write(`retention: --now must be an ISO time, got "${values.now}"\n`);
    return 2;
  }
  const dryRun = values['dry-run'] ?? false;
  const store = await openEventStore(config);
  let purged = 0;
  try {
    const plans = values.plan ? [values.plan] : await plansWithRetention(store);
    const statuses: RetentionStatus[] = [];
    for (const planId of plans) statuses.push(await retentionStatus(store, planId, now));
    for (const s of statuses) process.stdout.write(`${describe(s, dryRun)}\n`);
    const due = statuses.filter((s) => s.due);
    if (dryRun || due.length === 0) {
      process.stdout.write(
        `${due.length} of ${statuses.length} plans ${dryRun ? 'would be' : 'were'} purged${dryRun ? ' (dry run)' : ''}\n`,
      );
      return 0;
    }
    const key = loadAuditSigningKey(config);
    const snapshots = await openSnapshotStore(config);
    try {
      for (const status of due) {
        const tombstone = await purgePlan(store, status, key, now);
        await snapshots.prune(status.planId, 0);
        purged += 1;
        process.stdout.write(
          `PURGED plan ${status.planId}: ${tombstone.eventCount} events up to version ${tombstone.head.version} (head ${tombstone.head.hash}); tombstone in purged-${status.planId}\n`,
        );
      }
    } finally {
      await snapshots.close();
    }
  } finally {
    await store.close();
  }
  process.stdout.write(`${purged} plans purged; rebuilding read models without them\n`);
  return rebuildCommand(config, ['all']);
}

function describe(s: RetentionStatus, dryRun: boolean): string {
  if (s.tombstone && !s.head) return `PURGED plan ${s.planId} at ${s.tombstone.purgedAt}`;
  if (s.retainDays === null) return `KEEP plan ${s.planId}: no retention set`;
  if (s.archivedAt === null)
    return `KEEP plan ${s.planId}: not archived (retain ${s.retainDays} days after archiving)`;
  if (!s.due) return `KEEP plan ${s.planId}: archived ${s.archivedAt}, retained until ${s.dueAt}`;
  const counts = Object.entries(s.countsByType)
    .map(([type, n]) => `${n} ${type}`)
    .join(', ');
  return (
    `${dryRun ? 'WOULD PURGE' : 'DUE'} plan ${s.planId}: archived ${s.archivedAt}, retained until ${s.dueAt}; ` +
    `${s.eventCount} events (${counts}) up to version ${s.head?.version} (head ${s.head?.hash})`
  );
}
