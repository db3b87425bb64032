/** What a route requires, set by the auth decorators and read by PlanAccessGuard. */
import type { AccessGrant } from '../access/plan-access';
import type { AccessNeed } from '../roles/role';
import type { Principal } from '../tokens/principal';

export const AUTH_REQUIREMENT = 'plan-collab:auth-requirement';
/** the OpenAPI operation extension holding a route's AuthRequirement */
export const ACCESS_EXTENSION = 'x-access';

export type AuthRequirement =
  | { readonly kind: 'public' }
  | { readonly kind: 'authenticated' }
  /** signed in and listed in ADMIN_USERS (the handler checks the list) */
  | { readonly kind: 'admin' }
  /** a credential of its own in the URL (a calendar feed token), checked by the handler */
  | { readonly kind: 'url-token' }
  | { readonly kind: 'plan'; readonly need: AccessNeed; readonly param: string };

/** what the guard attaches to the request as `request.auth` */
export interface RequestAuth {
  readonly principal: Principal;
  /** present on routes guarded by @PlanRole */
  readonly access?: AccessGrant;
}

/** the parts of an HTTP request (Express or Fastify) the guard reads and writes */
export interface GuardedRequest {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly query?: Readonly<Record<string, unknown>>;
  readonly params?: Readonly<Record<string, string | undefined>>;
  auth?: RequestAuth;
}
