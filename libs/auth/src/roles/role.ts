/**
 * Plan roles and what each may do. `owner > editor > viewer` is a ladder; `auditor` stands
 * beside it: it reads the plan, its history, past states and the hash-chain verification,
 * and never writes. This table is the only place capabilities are decided.
 */

export const ROLES = ['owner', 'editor', 'viewer', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** what a request needs: `read` the plan, `edit` it, `audit` its history/state/verify, `manage` members */
export const ACCESS_NEEDS = ['read', 'edit', 'audit', 'manage'] as const;
export type AccessNeed = (typeof ACCESS_NEEDS)[number];

// Editors may audit: the people changing a plan need to see who changed what (the change log);
// viewers only see the current plan.
const CAPABILITIES: Readonly<Record<Role, ReadonlySet<AccessNeed>>> = {
  owner: new Set(['read', 'edit', 'audit', 'manage']),
  editor: new Set(['read', 'edit', 'audit']),
  viewer: new Set(['read']),
  auditor: new Set(['read', 'audit']),
};

export const isRole = (value: unknown): value is Role =>
  (ROLES as readonly unknown[]).includes(value);
export const isAccessNeed = (value: unknown): value is AccessNeed =>
  (ACCESS_NEEDS as readonly unknown[]).includes(value);

export const roleAllows = (role: Role, need: AccessNeed): boolean => CAPABILITIES[role].has(need);
export const canRead = (role: Role): boolean => roleAllows(role, 'read');
export const canEdit = (role: Role): boolean => roleAllows(role, 'edit');
export const canAudit = (role: Role): boolean => roleAllows(role, 'audit');
export const canManageMembers = (role: Role): boolean => roleAllows(role, 'manage');
