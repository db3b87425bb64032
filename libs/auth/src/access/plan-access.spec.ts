import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SQLITE_EVENTS_FILE, SqliteEventStore } from '@lib/event-store';
import { SILENT_LOG, createPlan, grant } from '../../test/membership-fixtures';
import {
  ForbiddenError,
  PlanNotFoundError,
  UnauthenticatedError,
  authErrorResponse,
} from '../auth-errors';
import { PlanMembership } from '../membership/plan-membership';
import { ACCESS_NEEDS, ROLES, type AccessNeed, type Role } from '../roles/role';
import { TokenService } from '../tokens/token.service';
import { PlanAccess } from './plan-access';

const ALLOWED: Record<Role | 'non-member', readonly AccessNeed[]> = {
  owner: ['read', 'edit', 'comment', 'audit', 'manage'],
  editor: ['read', 'edit', 'comment', 'audit'],
  viewer: ['read'],
  auditor: ['read', 'audit'],
  stakeholder: ['read', 'comment'],
  'non-member': [],
};

const decisions = [...ROLES, 'non-member' as const].flatMap((role) =>
  ACCESS_NEEDS.map((need) => ({ role, need, allowed: ALLOWED[role].includes(need) })),
);

describe('PlanAccess', () => {
  let dataDir: string;
  let store: SqliteEventStore;
  let membership: PlanMembership;
  const tokens = new TokenService('s'.repeat(64));
  let planId: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'plan-access-'));
    store = new SqliteEventStore({ file: join(dataDir, SQLITE_EVENTS_FILE) });
    membership = new PlanMembership(store, { log: SILENT_LOG });
    membership.start();
    planId = await createPlan(store, 'owner');
    for (const role of ['editor', 'viewer', 'auditor', 'stakeholder'] as const)
      await grant(store, planId, role, role);
  });
  afterAll(async () => {
    await membership.stop();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  describe('with AUTH=on', () => {
    const access = () => new PlanAccess('on', tokens, membership);

    it.each(decisions)(
      'given a caller who is $role, when they need $need, then allowed is $allowed',
      async ({ role, need, allowed }) => {
        const token = tokens.mint({ sub: role });
        const decision = access().authorize(token, planId, need);
        if (allowed) {
          await expect(decision).resolves.toEqual({
            principal: { userId: role },
            planId,
            role,
            archived: false,
          });
        } else {
          await expect(decision).rejects.toThrow(ForbiddenError);
          await expect(decision).rejects.toMatchObject({
            code: 'FORBIDDEN',
            planId,
            userId: role,
            need,
          });
        }
      },
    );

    it('given no token, then the caller is unauthenticated (401) before the plan is even looked up', async () => {
      for (const plan of [planId, randomUUID()]) {
        const decision = access().authorize(undefined, plan, 'read');
        await expect(decision).rejects.toThrow(UnauthenticatedError);
        await expect(decision).rejects.toMatchObject({
          code: 'UNAUTHENTICATED',
          reason: 'missing',
        });
      }
    });

    it('given a token signed with another secret, then the caller is unauthenticated', async () => {
      const forged = new TokenService('f'.repeat(64)).mint({ sub: 'owner' });
      await expect(access().authorize(forged, planId, 'read')).rejects.toMatchObject({
        reason: 'bad-signature',
      });
    });

    it('given a valid token and an unknown plan, then it is not found (404)', async () => {
      const unknown = randomUUID();
      const error = await access()
        .authorize(tokens.mint({ sub: 'owner' }), unknown, 'read')
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PlanNotFoundError);
      expect(authErrorResponse(error as PlanNotFoundError)).toEqual({
        statusCode: 404,
        error: 'Not Found',
        message: `plan ${unknown} does not exist`,
      });
    });

    it('given a forbidden request, then the HTTP body says 403 and why', async () => {
      const error = await access()
        .authorize(tokens.mint({ sub: 'viewer' }), planId, 'edit')
        .catch((e: unknown) => e);
      expect(authErrorResponse(error as ForbiddenError)).toEqual({
        statusCode: 403,
        error: 'Forbidden',
        message: `user viewer may not edit plan ${planId}: role viewer does not allow edit`,
      });
    });

    it('given an asserted x-user while auth is on, then it is ignored', async () => {
      const decision = access().authorize(tokens.mint({ sub: 'viewer' }), planId, 'manage', {
        assertedUserId: 'owner',
      });
      await expect(decision).rejects.toThrow(ForbiddenError);
      expect(() => access().authenticate(undefined, { assertedUserId: 'owner' })).toThrow(
        UnauthenticatedError,
      );
    });
  });

  describe('with AUTH=off', () => {
    const access = () => new PlanAccess('off', tokens, membership);

    it.each(ACCESS_NEEDS)(
      'given no token, when a request needs %s, then it is allowed as owner for anonymous',
      async (need) => {
        await expect(access().authorize(undefined, planId, need)).resolves.toEqual({
          principal: { userId: 'anonymous' },
          planId,
          role: 'owner',
          archived: false,
        });
      },
    );

    it('given an asserted user, then that user is the principal', async () => {
      const grant = await access().authorize(undefined, planId, 'manage', {
        assertedUserId: 'zoe',
      });
      expect(grant.principal).toEqual({ userId: 'zoe' });
      expect(access().authenticate('not-even-a-jwt')).toEqual({ userId: 'anonymous' });
    });

    it('given an unknown plan, then it is still not found', async () => {
      await expect(access().authorize(undefined, randomUUID(), 'read')).rejects.toThrow(
        PlanNotFoundError,
      );
    });
  });
});
