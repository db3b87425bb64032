import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '../support/postgres-database';
import { startServer, type ServerProcess } from '../support/server-process';

const MAIN = join(__dirname, '..', '..', 'dist', 'apps', 'server', 'src', 'main.js');

describe('starting the server', () => {
  let server: ServerProcess | undefined;
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await server?.dispose();
    await database?.drop();
    server = undefined;
    database = undefined;
  });

  it('given no configuration, when started, then /health reports the embedded sqlite store as reachable', async () => {
    server = await startServer();
    const response = await fetch(`${server.baseUrl}/health`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { info: { eventStore: unknown } };
    expect(body.info.eventStore).toMatchObject({
      store: 'sqlite',
      reachable: true,
      headPosition: 0,
    });
  });

  it('given EVENT_STORE=postgres and a DATABASE_URL, when started, then /health reports postgres', async () => {
    database = await createTestDatabase();
    server = await startServer({ EVENT_STORE: 'postgres', DATABASE_URL: database.url });
    const body = (await (await fetch(`${server.baseUrl}/health`)).json()) as {
      info: { eventStore: unknown };
    };
    expect(body.info.eventStore).toMatchObject({ store: 'postgres', reachable: true });
  });

  it.each([
    [{ EVENT_STORE: 'mongo' }, 'EVENT_STORE must be one of sqlite|postgres|kurrentdb, got "mongo"'],
    [{ PORT: 'abc' }, 'PORT must be an integer from 0 to 65535, got "abc"'],
    [{ EVENT_STORE: 'postgres' }, 'DATABASE_URL is required when EVENT_STORE=postgres'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of'],
  ])(
    'given the bad setting %p, when started, then it exits non-zero naming the variable',
    (env, message) => {
      const result = spawnSync(process.execPath, [MAIN], {
        env: { PATH: process.env.PATH ?? '', DATA_DIR: '/tmp/never-created', ...env },
        encoding: 'utf8',
        timeout: 20_000,
      });
      expect(result.status).toBe(2);
      expect(result.stderr).toContain(`config error: ${message}`);
    },
  );
});
