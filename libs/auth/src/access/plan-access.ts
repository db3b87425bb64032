/**
 * The one access decision, used alike by HTTP guards, the Yjs websocket and the change feed.
 *
 * Order: authenticate (401) before looking the plan up, so a caller without a valid token
 * learns nothing about which plans exist. Then an unknown plan is 404 and an existing plan
 * the caller has no sufficient role on is 403: an authenticated user can tell that a plan id
 * exists, which we accept because the ids are random UUIDs and "not found" vs "ask the owner
 * for access" is the more useful answer.
 *
 * With AUTH=off (explicit configuration only) everyone is owner of every existing plan, and
 * the principal is whoever the request says it is, else `anonymous`.
 */
import type { AuthMode } from '@lib/config';
import { ForbiddenError, PlanNotFoundError } from '../auth-errors';
import { PlanArchivedError } from '@lib/plan-domain';
import type { PlanMembership } from '../membership/plan-membership';
import { roleAllows, type AccessNeed, type Role } from '../roles/role';
import { ANONYMOUS, type Principal } from '../tokens/principal';
import type { TokenService } from '../tokens/token.service';

export interface AccessGrant {
  readonly principal: Principal;
  readonly planId: string;
  readonly role: Role;
  /** an archived plan is still readable; whether it may change is the caller's rule */
  readonly archived: boolean;
}

export interface CallerHints {
  /** with AUTH=off: the user the request claims to be (`x-user` / `user`); ignored when auth is on */
  readonly assertedUserId?: string;
}

export class PlanAccess {
  constructor(
    readonly mode: AuthMode,
    private readonly tokens: TokenService,
    private readonly membership: PlanMembership,
  ) {}

  /** who is calling; throws UnauthenticatedError (401 / websocket close) */
  authenticate(token: string | undefined, hints: CallerHints = {}): Principal {
    if (this.mode === 'off')
      return hints.assertedUserId ? { userId: hints.assertedUserId } : ANONYMOUS;
    return this.tokens.verify(token);
  }

  /**
   * Throws UnauthenticatedError (401), PlanNotFoundError (404), ForbiddenError (403) or, for a
   * write to an archived plan, PlanArchivedError (409); sees
   * every membership change committed before the call (see PlanMembership.catchUp).
   */
  async authorize(
    token: string | undefined,
    planId: string,
    need: AccessNeed,
    hints: CallerHints = {},
  ): Promise<AccessGrant> {
    const principal = this.authenticate(token, hints);
    const found = await this.membership.membershipOf(planId, principal.userId);
    if (!found) throw new PlanNotFoundError(planId);
    const role = this.mode === 'off' ? 'owner' : found.role;
    if (role === undefined)
      throw new ForbiddenError(planId, principal.userId, need, 'not a member of the plan');
    if (!roleAllows(role, need))
      throw new ForbiddenError(
        planId,
        principal.userId,
        need,
        `role ${role} does not allow ${need}`,
      );
    // an archived plan is read-only for every role: content and conversation alike
    if (found.plan.archived && (need === 'edit' || need === 'comment'))
      throw new PlanArchivedError(planId);
    return { principal, planId, role, archived: found.plan.archived };
  }
}
