/**
 * HTTP side of PlanAccess: reads the bearer token (or, with AUTH=off, `x-user`/`?user=`),
 * decides with PlanAccess and attaches `request.auth`. Refusals are thrown as the typed auth
 * errors; the server's exception filter maps them with `authErrorResponse`.
 *
 * A route without any auth decorator is treated as @Authenticated(), so registering this
 * guard as APP_GUARD makes every route deny-by-default and @Public() the visible exception.
 */
import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { PlanAccess, type CallerHints } from '../access/plan-access';
import { AUTH_OFF_USER_HEADER, AUTH_OFF_USER_QUERY, bearerToken } from '../access/credentials';
import {
  AUTH_REQUIREMENT,
  type AuthRequirement,
  type GuardedRequest,
  type RequestAuth,
} from './auth-requirement';

const AUTHENTICATED: AuthRequirement = { kind: 'authenticated' };

/** the requirement each request was already granted: as APP_GUARD and via @PlanRole the guard runs twice */
const decided = new WeakMap<object, AuthRequirement>();

@Injectable()
export class PlanAccessGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(PlanAccess) private readonly access: PlanAccess,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const requirement =
      this.reflector.getAllAndOverride<AuthRequirement | undefined>(AUTH_REQUIREMENT, [
        context.getHandler(),
        context.getClass(),
      ]) ?? AUTHENTICATED;
    if (requirement.kind === 'public' || requirement.kind === 'url-token') return true;
    if (context.getType() !== 'http') {
      // websocket and feed gateways authorize on connect with PlanAccess; a guard there would
      // only see individual messages
      throw new Error(`PlanAccessGuard guards HTTP routes only, not ${context.getType()}`);
    }
    const request = context.switchToHttp().getRequest<GuardedRequest>();
    if (decided.get(request) === requirement) return true;
    request.auth = await this.decide(request, requirement);
    decided.set(request, requirement);
    return true;
  }

  private async decide(
    request: GuardedRequest,
    requirement: Exclude<AuthRequirement, { kind: 'public' | 'url-token' }>,
  ): Promise<RequestAuth> {
    const token = bearerToken(request.headers.authorization);
    const hints = callerHints(request);
    switch (requirement.kind) {
      case 'authenticated':
      case 'admin':
        return { principal: this.access.authenticate(token, hints) };
      case 'plan': {
        const planId = request.params?.[requirement.param];
        if (!planId) throw new Error(`@PlanRole needs a :${requirement.param} route parameter`);
        const access = await this.access.authorize(token, planId, requirement.need, hints);
        return { principal: access.principal, access };
      }
      default: {
        const unhandled: never = requirement;
        throw new Error(`unknown auth requirement ${JSON.stringify(unhandled)}`);
      }
    }
  }
}

function callerHints(request: GuardedRequest): CallerHints {
  const header = request.headers[AUTH_OFF_USER_HEADER];
  const query = request.query?.[AUTH_OFF_USER_QUERY];
  const asserted =
    typeof header === 'string' && header !== ''
      ? header
      : typeof query === 'string' && query !== ''
        ? query
        : undefined;
  return asserted === undefined ? {} : { assertedUserId: asserted };
}
