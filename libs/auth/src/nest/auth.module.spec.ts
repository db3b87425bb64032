import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ArgumentsHost,
  Catch,
  Controller,
  ExceptionFilter,
  Get,
  HttpException,
  Post,
  type INestApplication,
  type Provider,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import type { AuthMode } from '@lib/config';
import type { EventStore } from '@lib/event-store';
import { EVENT_STORE, EventStoreModule } from '@lib/event-store/nest';
import { createPlan, grant } from '../../test/membership-fixtures';
import { authErrorResponse, isAuthError } from '../auth-errors';
import type { AccessGrant } from '../access/plan-access';
import { JWT_SECRET_FILE } from '../tokens/jwt-secret';
import type { Principal } from '../tokens/principal';
import { TokenService } from '../tokens/token.service';
import {
  Authenticated,
  CurrentAccess,
  CurrentPrincipal,
  PlanRole,
  Public,
} from './auth.decorators';
import { AuthModule } from './auth.module';
import { PlanAccessGuard } from './plan-access.guard';

@Controller()
class ProbeController {
  @Get('health')
  @Public()
  health() {
    return { ok: true };
  }

  @Get('plans')
  @Authenticated()
  list(@CurrentPrincipal() principal: Principal) {
    return { principal };
  }

  @Post('plans/:id/tasks')
  @PlanRole('edit')
  addTask(@CurrentAccess() access: AccessGrant) {
    return { access };
  }

  @Get('plans/:id/history')
  @PlanRole('audit')
  history(@CurrentAccess() access: AccessGrant) {
    return { access };
  }

  @Get('undecorated')
  undecorated(@CurrentPrincipal() principal: Principal) {
    return { principal };
  }
}

/** stands in for the server's one exception filter */
@Catch()
class ProbeErrorFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost) {
    const response = host
      .switchToHttp()
      .getResponse<{ status(code: number): { json(body: unknown): void } }>();
    if (isAuthError(error))
      return response.status(authErrorResponse(error).statusCode).json(authErrorResponse(error));
    if (error instanceof HttpException)
      return response.status(error.getStatus()).json(error.getResponse());
    response
      .status(500)
      .json({ statusCode: 500, error: 'Internal Server Error', message: String(error) });
  }
}

interface Probe {
  readonly app: INestApplication;
  readonly baseUrl: string;
  readonly store: EventStore;
  readonly tokens: TokenService;
  readonly dataDir: string;
  close(): Promise<void>;
}

async function startProbe(auth: AuthMode, extraProviders: Provider[] = []): Promise<Probe> {
  const dataDir = mkdtempSync(join(tmpdir(), 'auth-module-'));
  const moduleRef = await Test.createTestingModule({
    imports: [
      EventStoreModule.forRoot({ eventStore: 'sqlite', dataDir }),
      AuthModule.forRoot({ auth, authJwtSecret: undefined, dataDir }),
    ],
    controllers: [ProbeController],
    providers: extraProviders,
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false, forceCloseConnections: true });
  app.useGlobalFilters(new ProbeErrorFilter());
  await app.listen(0, '127.0.0.1');
  return {
    app,
    baseUrl: await app.getUrl(),
    store: app.get<EventStore>(EVENT_STORE),
    tokens: app.get(TokenService),
    dataDir,
    close: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function call(
  probe: Probe,
  method: string,
  path: string,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${probe.baseUrl}${path}`, { method, headers });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('AuthModule over HTTP', () => {
  describe('given AUTH=on and routes guarded by decorators', () => {
    let probe: Probe;
    let planId: string;
    beforeAll(async () => {
      probe = await startProbe('on');
      planId = await createPlan(probe.store, 'alice');
      await grant(probe.store, planId, 'vic', 'viewer');
    });
    afterAll(() => probe.close());

    it('then the generated secret sits in DATA_DIR with mode 0600', () => {
      expect(statSync(join(probe.dataDir, JWT_SECRET_FILE)).mode & 0o777).toBe(0o600);
    });

    it('when a public route is called without a token, then it answers', async () => {
      expect(await call(probe, 'GET', '/health')).toEqual({ status: 200, body: { ok: true } });
    });

    it('when an authenticated route is called without a token, then 401 with {statusCode, error, message}', async () => {
      expect(await call(probe, 'GET', '/plans')).toEqual({
        status: 401,
        body: { statusCode: 401, error: 'Unauthorized', message: expect.stringMatching(/missing/) },
      });
    });

    it('when it is called with a token, then the handler gets the principal', async () => {
      const token = probe.tokens.mint({ sub: 'alice', name: 'Alice' });
      expect(await call(probe, 'GET', '/plans', bearer(token))).toEqual({
        status: 200,
        body: { principal: { userId: 'alice', name: 'Alice' } },
      });
    });

    it('when the owner edits, then the handler gets the access grant', async () => {
      const { status, body } = await call(
        probe,
        'POST',
        `/plans/${planId}/tasks`,
        bearer(probe.tokens.mint({ sub: 'alice' })),
      );
      expect(status).toBe(201);
      expect(body.access).toEqual({
        principal: { userId: 'alice' },
        planId,
        role: 'owner',
        archived: false,
      });
    });

    it('when a viewer edits, then 403; when a stranger reads history, then 403', async () => {
      const viewer = await call(
        probe,
        'POST',
        `/plans/${planId}/tasks`,
        bearer(probe.tokens.mint({ sub: 'vic' })),
      );
      expect(viewer).toEqual({
        status: 403,
        body: { statusCode: 403, error: 'Forbidden', message: expect.any(String) },
      });
      const stranger = await call(
        probe,
        'GET',
        `/plans/${planId}/history`,
        bearer(probe.tokens.mint({ sub: 'eve' })),
      );
      expect(stranger.status).toBe(403);
    });

    it('when an unknown plan is asked for with a token, then 404; without one, 401', async () => {
      const unknown = randomUUID();
      expect(
        (
          await call(
            probe,
            'GET',
            `/plans/${unknown}/history`,
            bearer(probe.tokens.mint({ sub: 'alice' })),
          )
        ).status,
      ).toBe(404);
      expect((await call(probe, 'GET', `/plans/${unknown}/history`)).status).toBe(401);
    });

    it('when the Authorization header is not Bearer, then 401 malformed', async () => {
      const { status, body } = await call(probe, 'GET', '/plans', {
        authorization: 'Basic YWxpY2U6cHc=',
      });
      expect(status).toBe(401);
      expect(body.message).toMatch(/malformed/);
    });

    it('when x-user is sent without a token, then it is not trusted', async () => {
      expect((await call(probe, 'GET', '/plans', { 'x-user': 'alice' })).status).toBe(401);
    });
  });

  describe('given AUTH=off', () => {
    let probe: Probe;
    let planId: string;
    beforeAll(async () => {
      probe = await startProbe('off');
      planId = await createPlan(probe.store, 'alice');
    });
    afterAll(() => probe.close());

    it('when anyone edits without a token, then they are allowed as owner (anonymous, or x-user / ?user=)', async () => {
      const anonymous = await call(probe, 'POST', `/plans/${planId}/tasks`);
      expect(anonymous.body.access).toEqual({
        principal: { userId: 'anonymous' },
        planId,
        role: 'owner',
        archived: false,
      });
      const named = await call(probe, 'POST', `/plans/${planId}/tasks`, { 'x-user': 'zoe' });
      expect(named.body.access).toMatchObject({ principal: { userId: 'zoe' }, role: 'owner' });
      const byQuery = await call(probe, 'GET', '/plans?user=yan');
      expect(byQuery.body).toEqual({ principal: { userId: 'yan' } });
    });

    it('when an unknown plan is asked for, then 404', async () => {
      expect((await call(probe, 'GET', `/plans/${randomUUID()}/history`)).status).toBe(404);
    });
  });

  describe('given AUTH=on and the guard registered as APP_GUARD', () => {
    let probe: Probe;
    beforeAll(async () => {
      probe = await startProbe('on', [{ provide: APP_GUARD, useClass: PlanAccessGuard }]);
    });
    afterAll(() => probe.close());

    it('when a route without any auth decorator is called without a token, then 401 (deny by default)', async () => {
      expect((await call(probe, 'GET', '/undecorated')).status).toBe(401);
      const ok = await call(
        probe,
        'GET',
        '/undecorated',
        bearer(probe.tokens.mint({ sub: 'alice' })),
      );
      expect(ok).toEqual({ status: 200, body: { principal: { userId: 'alice' } } });
    });

    it('when a @Public route is called, then it answers; decorated routes still decide once', async () => {
      expect((await call(probe, 'GET', '/health')).status).toBe(200);
      const planId = await createPlan(probe.store, 'alice');
      const owner = await call(
        probe,
        'POST',
        `/plans/${planId}/tasks`,
        bearer(probe.tokens.mint({ sub: 'alice' })),
      );
      expect(owner.status).toBe(201);
    });
  });
});
