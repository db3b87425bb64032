/**
 * Who holds which role on which plan, folded from membership events in log order. Pure and
 * synchronous: `PlanMembership` feeds it from the store; tests feed it directly.
 */
import type { Role } from '../roles/role';
import type { MembershipEvent } from '../roles/membership-events';

export interface PlanSummary {
  readonly planId: string;
  readonly title: string;
  /** ISO time of PlanCreated (or PlanImported) */
  readonly createdAt: string;
  readonly archived: boolean;
}

export interface PlanOfUser extends PlanSummary {
  readonly role: Role;
}

export interface PlanMember {
  readonly userId: string;
  readonly role: Role;
}

/** `role: undefined` means the user lost access to the plan */
export interface MembershipChange {
  readonly planId: string;
  readonly userId: string;
  readonly role: Role | undefined;
  readonly previousRole: Role | undefined;
  /** whether the plan is archived (read-only for every role) after the change */
  readonly archived: boolean;
}

interface PlanEntry {
  // membership events can precede PlanCreated only in a damaged or hand-written log; they are
  // kept so the outcome does not depend on order, but the plan only exists once created
  created: boolean;
  title: string;
  createdAt: string;
  archived: boolean;
  readonly members: Map<string, Role>;
  /** the current calendar feed id per user */
  readonly feeds: Map<string, string>;
}

export class MembershipView {
  private readonly plans = new Map<string, PlanEntry>();

  /** applies one event; returns the role changes it caused (none when nothing changed) */
  apply(planId: string, event: MembershipEvent, at: string): MembershipChange[] {
    const plan = this.entry(planId);
    switch (event.type) {
      case 'PlanCreated':
      case 'PlanImported':
        if (!plan.created) {
          plan.created = true;
          plan.title = event.data.title;
          plan.createdAt = at;
        }
        return this.setRole(planId, plan, event.data.ownerId, 'owner');
      case 'MemberGranted':
        return this.setRole(planId, plan, event.data.userId, event.data.role);
      case 'MemberRevoked':
        // a feed outlives no membership: granted again, the member issues a new one
        plan.feeds.delete(event.data.userId);
        return this.setRole(planId, plan, event.data.userId, undefined);
      case 'PlanArchived':
      case 'PlanRestored': {
        const archived = event.type === 'PlanArchived';
        if (plan.archived === archived) return [];
        plan.archived = archived;
        // nobody's role changed, but what every member may do did: open connections must hear it
        return [...plan.members].map(([userId, role]) => ({
          planId,
          userId,
          role,
          previousRole: role,
          archived,
        }));
      }
      case 'CalendarFeedIssued':
        plan.feeds.set(event.data.userId, event.data.feedId);
        return [];
      case 'CalendarFeedRevoked':
        plan.feeds.delete(event.data.userId);
        return [];
      default: {
        const unhandled: never = event;
        throw new Error(`unhandled membership event ${JSON.stringify(unhandled)}`);
      }
    }
  }

  planExists(planId: string): boolean {
    return this.plans.get(planId)?.created ?? false;
  }

  plan(planId: string): PlanSummary | undefined {
    const plan = this.plans.get(planId);
    return plan?.created ? summary(planId, plan) : undefined;
  }

  roleOf(planId: string, userId: string): Role | undefined {
    const plan = this.plans.get(planId);
    return plan?.created ? plan.members.get(userId) : undefined;
  }

  /** the id of the user's current calendar feed on the plan, if any */
  calendarFeedOf(planId: string, userId: string): string | undefined {
    const plan = this.plans.get(planId);
    return plan?.created ? plan.feeds.get(userId) : undefined;
  }

  membersOf(planId: string): PlanMember[] | undefined {
    const plan = this.plans.get(planId);
    if (!plan?.created) return undefined;
    return [...plan.members]
      .map(([userId, role]) => ({ userId, role }))
      .sort((a, b) => a.userId.localeCompare(b.userId));
  }

  /** in creation order, so a list does not reshuffle when roles change */
  plansOf(userId: string): PlanOfUser[] {
    const result: PlanOfUser[] = [];
    for (const [planId, plan] of this.plans) {
      const role = plan.members.get(userId);
      if (plan.created && role) result.push({ ...summary(planId, plan), role });
    }
    return result.sort(
      (a, b) => a.createdAt.localeCompare(b.createdAt) || a.planId.localeCompare(b.planId),
    );
  }

  private entry(planId: string): PlanEntry {
    let plan = this.plans.get(planId);
    if (!plan) {
      plan = {
        created: false,
        title: '',
        createdAt: '',
        archived: false,
        members: new Map(),
        feeds: new Map(),
      };
      this.plans.set(planId, plan);
    }
    return plan;
  }

  private setRole(
    planId: string,
    plan: PlanEntry,
    userId: string,
    role: Role | undefined,
  ): MembershipChange[] {
    const previousRole = plan.members.get(userId);
    if (previousRole === role) return [];
    if (role === undefined) plan.members.delete(userId);
    else plan.members.set(userId, role);
    return [{ planId, userId, role, previousRole, archived: plan.archived }];
  }
}

function summary(planId: string, plan: PlanEntry): PlanSummary {
  return { planId, title: plan.title, createdAt: plan.createdAt, archived: plan.archived };
}
