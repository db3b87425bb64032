/**
 * The edit log bench:projections and bench:load write: the CRM rollout plan imported, then
 * small edits of the kinds a plan gets all day (progress, durations, risk scores, KPI values,
 * renames), drawn from a seeded generator so every run writes the same log.
 *
 *   const editor = new CrmPlanEditor(new PlanDoc(doc), lcg(42));
 *   editor.importPlan(doc);
 *   for (let i = 0; i < 1000; i++) editor.edit(i);
 */
import type * as Y from 'yjs';
import { importPlan, type PlanDoc } from '@lib/plan-domain';
import crmPlan from '../../libs/plan-domain/src/scheduling/fixtures/crm-rollout.plan.json';

export { crmPlan };

/** Deterministic pseudo-random numbers in [0, 1), so every run writes the same log. */
export function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

export class CrmPlanEditor {
  private readonly tasks = crmPlan.tasks.filter((t) => !t.milestone).map((t) => t.id);
  private readonly risks = crmPlan.risks.map((r) => r.id);
  private readonly objectives = crmPlan.objectives.map((o) => o.id);

  constructor(
    private readonly plan: PlanDoc,
    readonly random: () => number,
  ) {}

  importPlan(doc: Y.Doc): void {
    importPlan(doc, crmPlan);
  }

  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.random() * list.length)];
  }

  /** one small edit, in one transaction; `i` only names renamed tasks */
  edit(i: number): void {
    const { plan, random } = this;
    const kind = random();
    if (kind < 0.35)
      plan.updateTask(this.pick(this.tasks), { percentComplete: Math.floor(random() * 101) });
    else if (kind < 0.55)
      plan.updateTask(this.pick(this.tasks), { durationDays: 1 + Math.floor(random() * 15) });
    else if (kind < 0.75)
      plan.setRiskScore(
        this.pick(this.risks),
        1 + Math.floor(random() * 5),
        1 + Math.floor(random() * 5),
      );
    else if (kind < 0.9)
      plan.updateObjective(this.pick(this.objectives), { current: Math.floor(random() * 100) });
    else plan.updateTask(this.pick(this.tasks), { title: `Task ${i}` });
  }
}
