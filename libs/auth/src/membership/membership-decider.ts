/**
 * Who may do what on a plan, decided on the plan stream as it is: grant, revoke, archive and
 * restore are commands whose events are appended with the stream version their state was
 * folded from (handleCommand), so two owners acting at once cannot both pass a check that only
 * one of them may pass. Invariant: a plan always has an owner.
 *
 * ```ts
 * await handleCommand(store, planStreamId(planId), membershipDecider, {
 *   type: 'RevokeMember', planId, userId: 'bob', metadata: { actor: 'ana', at },
 * });
 * ```
 */
import {
  upcast,
  type Decider,
  type EventMetadata,
  type NewEvent,
  type RecordedEvent,
} from '@lib/event-store';
import { PlanNotFoundError } from '../auth-errors';

export { isPlanArchivedError, PlanArchivedError } from '@lib/plan-domain';
import type { Role } from '../roles/role';
import {
  MEMBERSHIP_UPCASTERS,
  newMembershipEvent,
  parseMembershipEvent,
  type MembershipEvent,
} from '../roles/membership-events';

export type MembershipCommand =
  | {
      readonly type: 'GrantMember';
      readonly planId: string;
      readonly userId: string;
      readonly role: Role;
      readonly metadata: EventMetadata;
    }
  | {
      readonly type: 'RevokeMember';
      readonly planId: string;
      readonly userId: string;
      readonly metadata: EventMetadata;
    }
  | {
      readonly type: 'ArchivePlan';
      readonly planId: string;
      readonly reason?: string;
      readonly metadata: EventMetadata;
    }
  | { readonly type: 'RestorePlan'; readonly planId: string; readonly metadata: EventMetadata };

export interface MembershipState {
  readonly exists: boolean;
  readonly archived: boolean;
  readonly members: ReadonlyMap<string, Role>;
}

/** The command would leave the plan without an owner. */
export class LastOwnerError extends Error {
  readonly code = 'LAST_OWNER';
  constructor(
    readonly planId: string,
    readonly userId: string,
  ) {
    super(
      `${userId} is the last owner of plan ${planId}; make someone else owner first, a plan always has an owner`,
    );
  }
}

export const isLastOwnerError = (e: unknown): e is LastOwnerError => e instanceof LastOwnerError;

const INITIAL: MembershipState = { exists: false, archived: false, members: new Map() };

export function evolveMembership(state: MembershipState, recorded: RecordedEvent): MembershipState {
  const parsed = parseMembershipEvent(upcast(recorded, MEMBERSHIP_UPCASTERS));
  // other events of the plan stream (content, comments) and malformed ones change no role
  if (!parsed.ok) return state;
  const event = parsed.event;
  switch (event.type) {
    case 'PlanCreated':
    case 'PlanImported':
      return {
        ...state,
        exists: true,
        members: withRole(state.members, event.data.ownerId, 'owner'),
      };
    case 'MemberGranted':
      return { ...state, members: withRole(state.members, event.data.userId, event.data.role) };
    case 'MemberRevoked':
      return { ...state, members: withRole(state.members, event.data.userId, undefined) };
    case 'PlanArchived':
      return { ...state, archived: true };
    case 'PlanRestored':
      return { ...state, archived: false };
    // a member's calendar feed is no role
    case 'CalendarFeedIssued':
    case 'CalendarFeedRevoked':
      return state;
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

export function decideMembership(
  command: MembershipCommand,
  state: MembershipState,
): readonly NewEvent[] {
  if (!state.exists) throw new PlanNotFoundError(command.planId);
  const emit = (event: MembershipEvent): NewEvent[] => [
    newMembershipEvent(event, command.metadata),
  ];
  switch (command.type) {
    case 'GrantMember': {
      const current = state.members.get(command.userId);
      if (current === command.role) return [];
      if (current === 'owner') assertAnotherOwner(command.planId, command.userId, state);
      return emit({
        type: 'MemberGranted',
        data: { userId: command.userId, role: command.role },
      });
    }
    case 'RevokeMember': {
      const current = state.members.get(command.userId);
      if (current === undefined) return [];
      if (current === 'owner') assertAnotherOwner(command.planId, command.userId, state);
      return emit({
        type: 'MemberRevoked',
        data: { userId: command.userId, previousRole: current },
      });
    }
    case 'ArchivePlan':
      if (state.archived) return [];
      return emit({
        type: 'PlanArchived',
        data: command.reason === undefined ? {} : { reason: command.reason },
      });
    case 'RestorePlan':
      if (!state.archived) return [];
      return emit({ type: 'PlanRestored', data: {} });
    default: {
      const unhandled: never = command;
      return unhandled;
    }
  }
}

export const membershipDecider: Decider<MembershipCommand, MembershipState> = {
  initialState: () => INITIAL,
  evolve: evolveMembership,
  decide: decideMembership,
};

function assertAnotherOwner(planId: string, userId: string, state: MembershipState): void {
  const others = [...state.members].filter(([id, role]) => id !== userId && role === 'owner');
  if (others.length === 0) throw new LastOwnerError(planId, userId);
}

function withRole(
  members: ReadonlyMap<string, Role>,
  userId: string,
  role: Role | undefined,
): ReadonlyMap<string, Role> {
  const next = new Map(members);
  if (role === undefined) next.delete(userId);
  else next.set(userId, role);
  return next;
}
