/**
 * The demo plan (`npm run cli -- demo`, `DEMO=1 npm start`, and the tests that need a plan
 * with a past): the CRM rollout fixture as a plan with two weeks of history, written straight
 * into an event store with the times things happened (2027-02-26 to 2027-03-13), the way the
 * server would have stored them. The week of 8 March has a slipped milestone, rising and new
 * risks, a KPI going the wrong way, three tasks added after the baseline and open feedback.
 */
import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import { newMembershipEvent } from '@lib/auth';
import type { EventMetadata, EventStore, NewEvent } from '@lib/event-store';
import {
  COMMENT_POSTED,
  COMMENT_RESOLVED,
  importPlan,
  parseMentions,
  PlanDoc,
  type PlanFile,
} from '@lib/plan-domain';
import {
  baselineCapturedEvent,
  captureBaseline,
  commentEvent,
  kpiMeasuredEvent,
  PLAN_UPDATED,
  planStreamId,
  stakeholderUpdateSentEvent,
} from '@lib/projections';
import crm from '../../../plan-domain/src/scheduling/fixtures/crm-rollout.plan.json';

export const CRM_DEMO_PLAN_ID = 'crm-demo';

const at = (date: string, hour = 9) => `${date}T${String(hour).padStart(2, '0')}:00:00.000Z`;

/** The people the demo's history is written by; `maria` owns the plan. */
export const CRM_DEMO_OWNER = 'maria';

/**
 * Appends the demo's events to a store that does not have the plan yet (the first append
 * expects no stream, so a second run fails instead of doubling the history).
 */
export async function seedCrmDemo(store: EventStore, planId = CRM_DEMO_PLAN_ID): Promise<void> {
  const doc = new Y.Doc();
  const plan = new PlanDoc(doc);
  const stream = planStreamId(planId);
  let first = true;
  const append = (...events: NewEvent[]) => {
    const options = first ? { expectedVersion: 'no_stream' as const } : undefined;
    first = false;
    return store.appendToStream(stream, events, options);
  };
  const meta = (actor: string, time: string): EventMetadata => ({ actor, at: time });
  const edit = async (actor: string, time: string, change: (p: PlanDoc) => void) => {
    const before = Y.encodeStateVector(doc);
    change(plan);
    await append({
      id: randomUUID(),
      type: PLAN_UPDATED,
      data: Y.encodeStateAsUpdate(doc, before),
      metadata: meta(actor, time),
    });
  };
  const comment = (
    actor: string,
    time: string,
    commentId: string,
    target: { type: 'plan' | 'task' | 'milestone' | 'risk'; id: string },
    text: string,
    parentId?: string,
  ) =>
    append(
      commentEvent(
        {
          type: COMMENT_POSTED,
          data: {
            commentId,
            target,
            text,
            mentions: parseMentions(text),
            ...(parentId ? { parentId } : {}),
          },
        },
        meta(actor, time),
      ),
    );

  const created = at('2027-02-26', 8);
  importPlan(doc, crm as PlanFile);
  await append(
    newMembershipEvent(
      { type: 'PlanCreated', data: { planId, title: 'CRM system rollout', ownerId: 'maria' } },
      meta('maria', created),
    ),
    {
      id: randomUUID(),
      type: PLAN_UPDATED,
      data: Y.encodeStateAsUpdate(doc),
      metadata: meta('maria', created),
    },
  );
  for (const [userId, role] of [
    ['ken', 'editor'],
    ['ana', 'editor'],
    ['raj', 'editor'],
    ['hos', 'stakeholder'],
    ['cfo', 'stakeholder'],
  ] as const) {
    await append(
      newMembershipEvent(
        { type: 'MemberGranted', data: { userId, role } },
        meta('maria', at('2027-02-26', 8)),
      ),
    );
  }
  const baselineAt = at('2027-02-26', 16);
  await append(
    baselineCapturedEvent(
      captureBaseline(plan.toJSON(), {
        baselineId: 'kick-off',
        name: 'Kick-off baseline',
        capturedAt: baselineAt,
      }),
      meta('maria', baselineAt),
    ),
  );

  await append(
    kpiMeasuredEvent(
      { objectiveId: 'o01', value: 20, at: at('2027-03-01') },
      meta('ana', at('2027-03-01')),
    ),
  );
  await append(
    kpiMeasuredEvent(
      { objectiveId: 'o02', value: 35, at: at('2027-03-01') },
      meta('ana', at('2027-03-01')),
    ),
  );
  await append(
    kpiMeasuredEvent(
      { objectiveId: 'o03', value: 0, at: at('2027-03-01') },
      meta('ana', at('2027-03-01')),
    ),
  );
  await edit('maria', at('2027-03-02', 17), (p) =>
    p.updateTask('t01', { status: 'done', percentComplete: 100 }),
  );
  await comment(
    'hos',
    at('2027-03-04', 10),
    'c-demo',
    { type: 'plan', id: 'meta' },
    '@maria when will the sales team see a first demo?',
  );
  await comment(
    'maria',
    at('2027-03-04', 12),
    'c-demo-re',
    { type: 'plan', id: 'meta' },
    'After design sign-off, around mid-April. @ken will set it up.',
    'c-demo',
  );
  await edit('ken', at('2027-03-05', 16), (p) => {
    p.updateTask('t02', { status: 'in-progress', percentComplete: 50 });
    p.updateTask('t03', { status: 'in-progress', percentComplete: 60 });
  });
  await append(
    stakeholderUpdateSentEvent(
      {
        stakeholderIds: ['s01', 's02', 's03', 's05'],
        sentAt: at('2027-03-05', 17),
        note: 'week 1 status',
      },
      meta('maria', at('2027-03-05', 17)),
    ),
  );
  await append(
    commentEvent(
      { type: COMMENT_RESOLVED, data: { commentId: 'c-demo' } },
      meta('hos', at('2027-03-06', 9)),
    ),
  );

  // the week reported on
  await edit('ken', at('2027-03-09', 11), (p) =>
    p.updateTask('t02', { durationDays: 12, percentComplete: 55 }),
  );
  await comment(
    'ken',
    at('2027-03-09', 12),
    'c-mapping',
    { type: 'task', id: 't02' },
    'Process mapping needs four more workshops: support has 3 undocumented flows. @maria @ana FYI',
  );
  await edit('ana', at('2027-03-10', 10), (p) => {
    p.setRiskScore('r02', 5, 4);
    p.setRiskScore('r03', 2, 3);
    p.addRisk({
      id: 'r09',
      title: 'Key users unavailable during peak season',
      category: 'organisational',
      probability: 3,
      impact: 3,
      owner: 'ken',
      response: 'mitigate',
      mitigation: 'Book workshop slots now',
      linkedTaskIds: ['t02', 't22'],
    });
  });
  await edit('ken', at('2027-03-11', 15), (p) => {
    p.updateTask('t03', { status: 'done', percentComplete: 100 });
    p.updateTask('t02', { percentComplete: 70 });
    p.updateTask('t05', { status: 'in-progress', percentComplete: 40 });
  });
  await append(
    kpiMeasuredEvent(
      { objectiveId: 'o02', value: 33, at: at('2027-03-11') },
      meta('ana', at('2027-03-11', 16)),
    ),
  );
  await append(
    kpiMeasuredEvent(
      { objectiveId: 'o01', value: 21, at: at('2027-03-11') },
      meta('ana', at('2027-03-11', 16)),
    ),
  );
  await edit('raj', at('2027-03-12', 10), (p) => {
    p.addTask({
      id: 't30',
      title: 'Sales dashboard prototype',
      phaseId: 'ph-build',
      durationDays: 8,
      cost: 18_000,
      assignees: ['raj', 'sam'],
      dependsOn: [{ taskId: 't11', type: 'SS', lagDays: 0 }],
    });
    p.addTask({
      id: 't31',
      title: 'Marketing automation connector',
      phaseId: 'ph-build',
      durationDays: 10,
      cost: 24_000,
      assignees: ['raj'],
      dependsOn: [{ taskId: 't12', type: 'SS', lagDays: 2 }],
    });
  });
  await edit('ken', at('2027-03-12', 14), (p) =>
    p.addTask({
      id: 't32',
      title: 'Mobile app pilot',
      phaseId: 'ph-rollout',
      durationDays: 6,
      cost: 15_000,
      assignees: ['ken', 'ops'],
      dependsOn: [{ taskId: 't24', type: 'FS', lagDays: 0 }],
    }),
  );
  await comment(
    'hos',
    at('2027-03-12', 16),
    'c-mobile',
    { type: 'task', id: 't32' },
    '@raj is the mobile pilot in the budget? It was not in the kick-off scope.',
  );
  await comment(
    'cfo',
    at('2027-03-13', 9),
    'c-budget',
    { type: 'plan', id: 'meta' },
    'Please show the licence budget separately in the next report.',
  );
}
