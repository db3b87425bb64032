/**
 * A log with something of everything, for specs that compare whole read models: three plans
 * written interleaved over several days, tasks with dependencies, milestones, risks whose
 * scores move, members granted and revoked, a baseline, an archived plan, KPI readings, a
 * comment thread with mentions, an edit and a resolution, and a stakeholder update.
 */
import { captureBaseline, baselineCapturedEvent, planStreamId } from '@lib/projections';
import type { ProjectionHarness } from './plan-log.harness';

const day = (n: number, hour = 9): string =>
  `2027-03-${String(n).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00.000Z`;

export async function writeSampleLog(harness: ProjectionHarness, rounds = 3): Promise<number> {
  const plans = ['alpha', 'beta', 'gamma'].map((id) => harness.writer(id));
  for (const [i, writer] of plans.entries()) {
    await writer.create('maria', day(1, 8 + i), `Plan ${writer.planId}`);
    await writer.json('MemberGranted', { userId: 'bob', role: 'editor' }, 'maria', day(1, 8 + i));
    await writer.edit('maria', day(1, 10), (plan) => {
      const phase = plan.addPhase({ id: 'ph1', title: 'Build' });
      plan.addTask({ id: 'A', title: 'Design', durationDays: 5, phaseId: phase.id, cost: 5000 });
      plan.addTask({
        id: 'B',
        title: 'Build',
        durationDays: 3,
        phaseId: phase.id,
        cost: 3000,
        dependsOn: [{ taskId: 'A', type: 'FS', lagDays: 0 }],
      });
      plan.addMilestone({
        id: 'M',
        title: 'Go live',
        dependsOn: [{ taskId: 'B', type: 'FS', lagDays: 0 }],
      });
      plan.addRisk({
        id: 'r1',
        title: 'Vendor late',
        probability: 2,
        impact: 3,
        linkedTaskIds: ['A'],
        reviewDate: '2027-03-05',
      });
      plan.addStakeholder({ id: 's1', name: 'Sponsor', influence: 5, interest: 4 });
      plan.addObjective({
        id: 'o1',
        title: 'Adoption',
        kpi: 'weekly users',
        unit: '%',
        target: 90,
        baseline: 0,
      });
    });
  }
  for (let round = 0; round < rounds; round++) {
    for (const [i, writer] of plans.entries()) {
      const d = 2 + round;
      await writer.edit('bob', day(d, 9 + i), (plan) =>
        plan.updateTask('A', { durationDays: 5 + round + i }),
      );
      await writer.edit('carol', day(d, 11), (plan) =>
        plan.setRiskScore('r1', 1 + ((round + i) % 5), 1 + ((round * 2 + i) % 5)),
      );
      await writer.edit('bob', day(d, 12), (plan) =>
        plan.addTask({
          id: `T${round}`,
          title: `Extra ${round}`,
          durationDays: 1 + round,
          dependsOn: [{ taskId: 'A', type: 'SS', lagDays: round }],
        }),
      );
      if (round === 0) {
        const data = captureBaseline(writer.plan.toJSON(), {
          baselineId: `b-${writer.planId}`,
          name: 'Approved',
          capturedAt: day(d, 13),
        });
        await harness.store.appendToStream(planStreamId(writer.planId), [
          baselineCapturedEvent(data, { actor: 'maria', at: day(d, 13) }),
        ]);
      }
      await writer.edit('dana', day(d, 14), (plan) =>
        plan.updateObjective('o1', { current: 10 * (round + 1) }),
      );
      await writer.json(
        'KpiMeasured',
        { objectiveId: 'o1', value: 5 * (round + 1), at: day(d, 15) },
        'dana',
        day(d, 15),
      );
      const thread = `c-${writer.planId}`;
      if (round === 0) {
        const target = { type: 'task', id: 'A' };
        await writer.json(
          'CommentPosted',
          { commentId: thread, target, text: '@bob is A on time?', mentions: ['bob'] },
          'carol',
          day(d, 16),
        );
      } else if (round === 1) {
        const target = { type: 'task', id: 'A' };
        await writer.json(
          'CommentPosted',
          {
            commentId: `${thread}-r`,
            target,
            parentId: thread,
            text: 'late, ask @dana',
            mentions: ['dana'],
          },
          'bob',
          day(d, 16),
        );
        await writer.json(
          'CommentEdited',
          { commentId: `${thread}-r`, text: 'a day late, ask @dana and @maria' },
          'bob',
          day(d, 17),
        );
      } else {
        await writer.json('CommentResolved', { commentId: thread }, 'carol', day(d, 16));
        await writer.json(
          'StakeholderUpdateSent',
          { stakeholderIds: ['s1'], sentAt: day(d, 17) },
          'maria',
          day(d, 17),
        );
      }
    }
  }
  await plans[2].json('MemberRevoked', { userId: 'bob' }, 'maria', day(9));
  await plans[2].json('PlanArchived', { reason: 'merged into alpha' }, 'maria', day(9));
  return harness.store.headPosition();
}
