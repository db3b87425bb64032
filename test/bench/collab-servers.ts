/**
 * The servers bench:collab compares, each started as its own child process on 127.0.0.1 and
 * a free port: ours (the built Nest app, durable SQLite store), the y-websocket@2 reference
 * server (in memory), Hocuspocus 3.4.4 and 4.7.0 (no extensions; 3.x also with the SQLite
 * extension when it is installed). Every process started here is killed by `killAllServers`, also on errors.
 */
import { execFileSync, spawn, type ChildProcess, type Serializable } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOCUSPOCUS, Y_WEBSOCKET, type CollabTarget } from './collab-wire';

const ROOT = join(__dirname, '..', '..');
const OURS_DIST = join(ROOT, 'dist');
const oursMainIn = (dist: string) => join(dist, 'apps', 'server', 'src', 'main.js');
const Y_WEBSOCKET_SERVER = join(ROOT, 'node_modules', 'y-websocket-v2', 'bin', 'server.cjs');
const HOCUSPOCUS_LAUNCHER = join(__dirname, 'hocuspocus-server.cjs');
const SERVER_PROBE = join(__dirname, 'server-probe-preload.cjs');
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;

export type ServerName =
  'ours' | 'y-websocket' | 'hocuspocus3' | 'hocuspocus4' | 'hocuspocus3+sqlite';

/** bytes, from process.memoryUsage() inside the server right after a full GC */
export interface HeapAfterGc {
  readonly heapUsed: number;
  readonly rss: number;
  readonly external: number;
  readonly arrayBuffers: number;
}

/** what server-probe-preload.cjs answers */
interface ProbeReply {
  readonly benchHeap?: HeapAfterGc;
  readonly benchProfile?: string;
  readonly benchProbeError?: string;
}

export interface ServerUnderTest {
  readonly name: ServerName;
  readonly pid: number;
  readonly target: CollabTarget;
  /** forces a full GC in the server (through the heap probe every server preloads) */
  heapAfterGc(): Promise<HeapAfterGc>;
  /** V8 CPU profile of the server between these two calls, written as a .cpuprofile file */
  startProfile(): Promise<void>;
  stopProfile(file: string): Promise<void>;
  /** a document clients may open: ours needs a plan created over HTTP first, the others take any name */
  createDocument(title: string): Promise<string>;
  stop(): Promise<void>;
}

export interface ServerKind {
  readonly name: ServerName;
  /** why this server cannot run here, or undefined when it can */
  readonly unavailable: string | undefined;
  start(options?: { readonly env?: Record<string, string> }): Promise<ServerUnderTest>;
}

const running = new Set<ChildProcess>();
const tempDirs = new Set<string>();

/** synchronous, so it also works from process 'exit' and signal handlers */
export function killAllServers(): void {
  for (const child of running)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  running.clear();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

function isInstalled(moduleName: string): boolean {
  try {
    require.resolve(moduleName, { paths: [ROOT] });
    return true;
  } catch {
    return false;
  }
}

interface Launch {
  readonly name: ServerName;
  readonly args: readonly string[];
  readonly env: Record<string, string>;
  /** an HTTP path that answers 200 once the server accepts connections */
  readonly readyPath: string;
  readonly target: (port: number) => CollabTarget;
  readonly createDocument: (baseUrl: string, title: string) => Promise<string>;
  readonly dataDir?: string;
}

async function launch(spec: Launch, port: number): Promise<ServerUnderTest> {
  // every server gets the same flags: the probe only acts when asked over IPC
  const child = spawn(process.execPath, ['--expose-gc', '-r', SERVER_PROBE, ...spec.args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...spec.env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  running.add(child);
  let output = '';
  /** the probe answers requests in order, one at a time */
  const probeWaiters: Array<{
    resolve: (reply: ProbeReply) => void;
    reject: (error: Error) => void;
  }> = [];
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.on('message', (reply: ProbeReply) => {
    const waiter = probeWaiters.shift();
    if (reply.benchProbeError)
      waiter?.reject(new Error(`${spec.name} probe: ${reply.benchProbeError}`));
    else waiter?.resolve(reply);
  });
  const probe = (request: Serializable): Promise<ProbeReply> =>
    new Promise<ProbeReply>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${spec.name} did not answer the probe:\n${output}`)),
        30_000,
      );
      probeWaiters.push({
        resolve: (reply) => (clearTimeout(timer), resolve(reply)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
      child.send(request);
    });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const baseUrl = `http://127.0.0.1:${port}`;

  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`${spec.name} exited with ${child.exitCode} on start:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(
        `${spec.name} did not answer ${spec.readyPath} within ${START_TIMEOUT_MS} ms:\n${output}`,
      );
    }
    try {
      if ((await fetch(`${baseUrl}${spec.readyPath}`)).status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (child.pid === undefined) throw new Error(`${spec.name} has no pid`);

  return {
    name: spec.name,
    pid: child.pid,
    target: spec.target(port),
    createDocument: (title) => spec.createDocument(baseUrl, title),
    heapAfterGc: async () => {
      const { benchHeap } = await probe('bench-heap');
      if (!benchHeap) throw new Error(`${spec.name} probe answered without heap figures`);
      return benchHeap;
    },
    startProfile: async () => void (await probe('bench-profile-start')),
    stopProfile: async (file) => void (await probe({ benchProfileStop: file })),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
      running.delete(child);
      if (spec.dataDir) {
        rmSync(spec.dataDir, { recursive: true, force: true });
        tempDirs.delete(spec.dataDir);
      }
    },
  };
}

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

let documentCounter = 0;
const anyName = async (_baseUrl: string, title: string) =>
  `${title}-${process.pid}-${++documentCounter}`;

let oursMain: string | undefined;

/**
 * Builds ours if dist is missing, then copies the build aside (under the ignored
 * bench-results/, so node_modules still resolves): every start in this run uses the same
 * build even when someone rebuilds dist meanwhile. Returns a line naming the build.
 */
export function prepareOurs(): string {
  if (!existsSync(oursMainIn(OURS_DIST))) {
    process.stderr.write(`… ${oursMainIn(OURS_DIST)} is missing: npx nest build server\n`);
    execFileSync('npx', ['nest', 'build', 'server'], {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
  }
  const parent = join(ROOT, 'bench-results');
  mkdirSync(parent, { recursive: true });
  const copy = mkdtempSync(join(parent, 'ours-dist-'));
  tempDirs.add(copy);
  for (const part of ['apps', 'libs'])
    cpSync(join(OURS_DIST, part), join(copy, part), { recursive: true });
  oursMain = oursMainIn(copy);
  const builtAt = statSync(oursMainIn(OURS_DIST)).mtime.toISOString();
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
    cwd: ROOT,
    encoding: 'utf8',
  }).trim();
  return `ours: dist built ${builtAt} (HEAD ${commit}; the working tree it was built from may differ)`;
}

export const OURS: ServerKind = {
  name: 'ours',
  unavailable: undefined,
  async start(options = {}) {
    if (!oursMain) throw new Error('prepareOurs() must run before ours starts');
    const dataDir = tempDir('bench-collab-ours-');
    return launch(
      {
        name: 'ours',
        args: [oursMain],
        env: {
          AUTH: 'off',
          DATA_DIR: dataDir,
          LOG_LEVEL: 'warn',
          // loaded documents stay loaded for the whole run, like the in-memory references
          DOC_IDLE_UNLOAD_MS: '600000',
          // with AUTH=off every client is the same user "anonymous", and the bench opens 200
          // clients on one plan: lift both connection limits (0 = none); rate limits stay on
          MAX_CONNECTIONS_PER_USER: '0',
          MAX_CONNECTIONS_PER_PLAN: '0',
          ...options.env,
        },
        readyPath: '/health',
        target: (port) => ({ dialect: Y_WEBSOCKET, baseUrl: `ws://127.0.0.1:${port}/collab` }),
        createDocument: async (baseUrl, title) => {
          const response = await fetch(`${baseUrl}/plans`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ title }),
          });
          const body = (await response.json()) as { id?: string };
          if (response.status !== 201 || typeof body.id !== 'string') {
            throw new Error(`POST /plans answered ${response.status}: ${JSON.stringify(body)}`);
          }
          return body.id;
        },
        dataDir,
      },
      await freePort(),
    );
  },
};

export const Y_WEBSOCKET_REFERENCE: ServerKind = {
  name: 'y-websocket',
  unavailable: existsSync(Y_WEBSOCKET_SERVER)
    ? undefined
    : `${Y_WEBSOCKET_SERVER} is missing (npm alias y-websocket-v2)`,
  async start(options = {}) {
    return launch(
      {
        name: 'y-websocket',
        args: [Y_WEBSOCKET_SERVER],
        env: { ...options.env },
        readyPath: '/',
        target: (port) => ({ dialect: Y_WEBSOCKET, baseUrl: `ws://127.0.0.1:${port}` }),
        createDocument: anyName,
      },
      await freePort(),
    );
  },
};

/** 4.x declares Node ≥ 22 but loads and serves on Node 20; installed under an npm alias */
const HOCUSPOCUS_4_MODULE = 'hocuspocus-server-v4';

export const HOCUSPOCUS_REFERENCE: ServerKind = {
  name: 'hocuspocus3',
  unavailable: isInstalled('@hocuspocus/server')
    ? undefined
    : '@hocuspocus/server is not installed',
  async start(options = {}) {
    return launch(
      {
        name: 'hocuspocus3',
        args: [HOCUSPOCUS_LAUNCHER],
        env: { HOCUSPOCUS_MODULE: '@hocuspocus/server', ...options.env },
        readyPath: '/',
        target: (port) => ({
          dialect: HOCUSPOCUS,
          baseUrl: `ws://127.0.0.1:${port}`,
          providerMajor: 3,
        }),
        createDocument: anyName,
      },
      await freePort(),
    );
  },
};

export const HOCUSPOCUS_4_REFERENCE: ServerKind = {
  name: 'hocuspocus4',
  unavailable: isInstalled(HOCUSPOCUS_4_MODULE)
    ? undefined
    : `${HOCUSPOCUS_4_MODULE} is not installed (npm alias of @hocuspocus/server@4)`,
  async start(options = {}) {
    return launch(
      {
        name: 'hocuspocus4',
        args: [HOCUSPOCUS_LAUNCHER],
        env: { HOCUSPOCUS_MODULE: HOCUSPOCUS_4_MODULE, ...options.env },
        readyPath: '/',
        target: (port) => ({
          dialect: HOCUSPOCUS,
          baseUrl: `ws://127.0.0.1:${port}`,
          providerMajor: 4,
        }),
        createDocument: anyName,
      },
      await freePort(),
    );
  },
};

export const HOCUSPOCUS_SQLITE_REFERENCE: ServerKind = {
  name: 'hocuspocus3+sqlite',
  unavailable: isInstalled('@hocuspocus/extension-sqlite')
    ? undefined
    : '@hocuspocus/extension-sqlite is not installed',
  async start(options = {}) {
    const dataDir = tempDir('bench-collab-hocuspocus-');
    return launch(
      {
        name: 'hocuspocus3+sqlite',
        args: [HOCUSPOCUS_LAUNCHER],
        env: {
          HOCUSPOCUS_MODULE: '@hocuspocus/server',
          HOCUSPOCUS_SQLITE: join(dataDir, 'hocuspocus.sqlite'),
          ...options.env,
        },
        readyPath: '/',
        target: (port) => ({
          dialect: HOCUSPOCUS,
          baseUrl: `ws://127.0.0.1:${port}`,
          providerMajor: 3,
        }),
        createDocument: anyName,
        dataDir,
      },
      await freePort(),
    );
  },
};

/** the servers every table of bench:collab states ours as a ratio of */
export const REFERENCE_NAMES = [
  'y-websocket',
  'hocuspocus3',
  'hocuspocus4',
] as const satisfies readonly ServerName[];

export const ALL_SERVERS: readonly ServerKind[] = [
  OURS,
  Y_WEBSOCKET_REFERENCE,
  HOCUSPOCUS_REFERENCE,
  HOCUSPOCUS_4_REFERENCE,
  HOCUSPOCUS_SQLITE_REFERENCE,
];
