/**
 * Route decorators: `@PlanRole('edit')` on routes with a plan id parameter, `@Authenticated()`
 * on routes without a plan (`POST /plans`, `GET /plans`), `@Public()` for health and metrics;
 * `@CurrentPrincipal()` / `@CurrentAccess()` hand the decision to the handler.
 */
import {
  applyDecorators,
  createParamDecorator,
  SetMetadata,
  UseGuards,
  type ExecutionContext,
} from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { AccessGrant } from '../access/plan-access';
import type { AccessNeed } from '../roles/role';
import type { Principal } from '../tokens/principal';
import {
  ACCESS_EXTENSION,
  AUTH_REQUIREMENT,
  type AuthRequirement,
  type GuardedRequest,
} from './auth-requirement';
import { PlanAccessGuard } from './plan-access.guard';

/**
 * Each rule is also written into the route's OpenAPI operation as `x-access`, so the document
 * a running server publishes says who may call what, and a check over it finds any route
 * that declares no rule.
 */
const requirement = (value: AuthRequirement) =>
  applyDecorators(SetMetadata(AUTH_REQUIREMENT, value), ApiExtension(ACCESS_EXTENSION, value));

export const Public = () => requirement({ kind: 'public' });

export const Authenticated = () =>
  applyDecorators(requirement({ kind: 'authenticated' }), UseGuards(PlanAccessGuard));

/** server-wide administration: a signed-in caller whom the handler finds in ADMIN_USERS */
export const Admin = () =>
  applyDecorators(requirement({ kind: 'admin' }), UseGuards(PlanAccessGuard));

/** a route that carries its own credential in the URL (no bearer token), checked by its handler */
export const UrlToken = () => requirement({ kind: 'url-token' });

/** `param` names the route parameter holding the plan id (default `id`, as in `/plans/:id/...`) */
export const PlanRole = (need: AccessNeed, options: { readonly param?: string } = {}) =>
  applyDecorators(
    requirement({ kind: 'plan', need, param: options.param ?? 'id' }),
    UseGuards(PlanAccessGuard),
  );

export const CurrentPrincipal = createParamDecorator(
  (_: unknown, context: ExecutionContext): Principal => {
    const auth = context.switchToHttp().getRequest<GuardedRequest>().auth;
    // a handler reading a principal its route never checked is a wiring mistake, not a 401
    if (!auth)
      throw new Error('@CurrentPrincipal() on a route without @Authenticated() or @PlanRole()');
    return auth.principal;
  },
);

export const CurrentAccess = createParamDecorator(
  (_: unknown, context: ExecutionContext): AccessGrant => {
    const access = context.switchToHttp().getRequest<GuardedRequest>().auth?.access;
    if (!access) throw new Error('@CurrentAccess() on a route without @PlanRole()');
    return access;
  },
);
