/**
 * Plan roles and what each may do. `owner > editor > viewer` is a ladder; `auditor` stands
 * beside it: it reads the plan, its history, past states and the hash-chain verification,
 * and never writes. `stakeholder` reads the plan and takes part in its conversation
 * (comments) without editing it. This table is the only place capabilities are decided.
 */

export const ROLES = ['owner', 'editor', 'viewer', 'auditor', 'stakeholder'] as const;
export type Role = (typeof ROLES)[number];

/**
 * what a request needs: `read` the plan, `edit` it, `comment` on it (feedback threads, which
 * are not plan content), `audit` its history/state/verify, `manage` members
 */
export const ACCESS_NEEDS = ['read', 'edit', 'comment', 'audit', 'manage'] as const;
export type AccessNeed = (typeof ACCESS_NEEDS)[number];

// Editors may audit: the people changing a plan need to see who changed what (the change log);
// viewers only see the current plan. Commenting is granted separately from editing so a
// sponsor or key user can give feedback without being able to change the plan itself.
const CAPABILITIES: Readonly<Record<Role, ReadonlySet<AccessNeed>>> = {
  owner: new Set(['read', 'edit', 'comment', 'audit', 'manage']),
  editor: new Set(['read', 'edit', 'comment', 'audit']),
  viewer: new Set(['read']),
  auditor: new Set(['read', 'audit']),
  stakeholder: new Set(['read', 'comment']),
};

export const isRole = (value: unknown): value is Role =>
  (ROLES as readonly unknown[]).includes(value);
export const isAccessNeed = (value: unknown): value is AccessNeed =>
  (ACCESS_NEEDS as readonly unknown[]).includes(value);

export const roleAllows = (role: Role, need: AccessNeed): boolean => CAPABILITIES[role].has(need);
export const canRead = (role: Role): boolean => roleAllows(role, 'read');
export const canEdit = (role: Role): boolean => roleAllows(role, 'edit');
export const canComment = (role: Role): boolean => roleAllows(role, 'comment');
export const canAudit = (role: Role): boolean => roleAllows(role, 'audit');
export const canManageMembers = (role: Role): boolean => roleAllows(role, 'manage');
