/**
 * Starts the built server (`dist/apps/server`) as a child process on a free loopback port,
 * the way an operator runs it, so e2e tests can `kill -9` and restart it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'apps', 'server', 'src', 'main.js');
export const TEST_JWT_SECRET = 'e2e-test-secret-that-is-at-least-32-chars-long';

export interface ServerProcess {
  /** the server's process id (for CPU and memory readings) */
  readonly pid: number;
  readonly port: number;
  readonly baseUrl: string;
  readonly wsUrl: string;
  readonly dataDir: string;
  readonly env: Record<string, string>;
  readonly output: () => string;
  /** SIGKILL: no shutdown hooks, no flushing */
  kill(): Promise<void>;
  /** SIGTERM and wait for a clean exit */
  stop(): Promise<void>;
  /** starts a new process with the same port, data and environment */
  restart(): Promise<ServerProcess>;
  /** stops the process and removes the data dir it created */
  dispose(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export interface StartOptions {
  /**
   * runs the server under another command, e.g. `['prlimit', '--fsize=2000000']` to make file
   * writes past 2 MB fail (a full disk as seen by the process); kept on restart
   */
  readonly commandPrefix?: readonly string[];
}

export async function startServer(
  env: Record<string, string> = {},
  port?: number,
  options: StartOptions = {},
): Promise<ServerProcess> {
  if (!existsSync(MAIN))
    throw new Error(`${MAIN} is missing: run "npm run build" first (npm test does)`);
  const ownDataDir = env.DATA_DIR === undefined;
  const dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'plan-server-'));
  const chosenPort = port ?? (await freePort());
  const fullEnv: Record<string, string> = {
    LOG_LEVEL: 'warn',
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    ...env,
    PORT: String(chosenPort),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
  };
  const [command, ...args] = [...(options.commandPrefix ?? []), process.execPath, MAIN];
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...fullEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  await waitForHealth(chosenPort, child, () => output);
  const server: ServerProcess = {
    pid: child.pid ?? -1,
    port: chosenPort,
    baseUrl: `http://127.0.0.1:${chosenPort}`,
    wsUrl: `ws://127.0.0.1:${chosenPort}/collab`,
    dataDir,
    env: fullEnv,
    output: () => output,
    kill: async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
    restart: async () => {
      await server.stop();
      const next = await startServer({ ...env, DATA_DIR: dataDir }, chosenPort, options);
      const dispose = async (): Promise<void> => {
        await next.stop();
        if (ownDataDir) rmSync(dataDir, { recursive: true, force: true });
      };
      return { ...next, dispose };
    },
    dispose: async () => {
      await server.stop();
      if (ownDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return server;
}

async function waitForHealth(
  port: number,
  child: ChildProcess,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`server exited with ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not answer /health within 30 s:\n${output()}`);
}
