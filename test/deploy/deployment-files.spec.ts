/**
 * The deployment files cannot run here (no Docker engine); these checks keep them consistent
 * with the server: the compose file parses, every node gets the settings multi-node needs,
 * and the load balancer config passes `nginx -t` (nginx is required; .ci/run installs it).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { loadConfig } from '@lib/config';

const ROOT = join(__dirname, '..', '..');

interface Compose {
  services: Record<
    string,
    { environment?: Record<string, string | number>; image?: string; build?: unknown }
  >;
}

describe('deployment files', () => {
  const compose = load(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as Compose;

  it('given the compose file, then it runs two server nodes, a load balancer, PostgreSQL, Redis and KurrentDB', () => {
    expect(Object.keys(compose.services).sort()).toEqual([
      'kurrentdb',
      'lb',
      'node-a',
      'node-b',
      'postgres',
      'redis',
    ]);
  });

  it.each(['node-a', 'node-b'])(
    'given %s, then its environment is a valid server configuration sharing the store and Redis',
    (name) => {
      const env = Object.fromEntries(
        Object.entries(compose.services[name].environment ?? {}).map(([k, v]) => [
          k,
          String(v).replace(/\$\{(\w+):[-?]([^}]*)\}/g, (_, variable: string, fallback: string) =>
            variable === 'AUTH_JWT_SECRET' ? 'x'.repeat(40) : fallback,
          ),
        ]),
      );
      const config = loadConfig(env);
      expect(config).toMatchObject({ eventStore: 'postgres', redisUrl: 'redis://redis:6379' });
      expect(config.databaseUrl).toContain('@postgres:5432/');
    },
  );

  it('given the nginx config, then nginx -t accepts it (with the node hosts mapped to loopback)', () => {
    const nginx = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));
    const source = readFileSync(join(ROOT, 'docker', 'nginx.conf'), 'utf8');
    expect(source).toMatch(/proxy_set_header Upgrade \$http_upgrade/);
    expect(source).toMatch(/server node-a:3000/);
    expect(source).toMatch(/server node-b:3000/);
    // .ci/run installs Debian's nginx: a missing nginx is a broken environment, not a pass
    if (!nginx) throw new Error('nginx is not installed: apt-get install -y nginx');
    const dir = mkdtempSync(join(tmpdir(), 'nginx-'));
    const file = join(dir, 'nginx.conf');
    writeFileSync(
      file,
      source.replace('node-a:3000', '127.0.0.1:3001').replace('node-b:3000', '127.0.0.1:3002'),
    );
    const output = execFileSync(
      nginx,
      ['-t', '-c', file, '-g', `pid ${dir}/nginx.pid; error_log ${dir}/error.log;`],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    expect(output).toBe('');
  });
});
