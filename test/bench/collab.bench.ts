/**
 * Collaboration servers side by side, in one run: ours (stores every update durably before
 * it broadcasts) against the y-websocket@2 reference server and Hocuspocus 3.4.4 and 4.7.0
 * (all three in memory). Per server: fan-out latency and delivered counts with 50 and 200
 * clients on one document, server CPU time per update, and memory (RSS, and heap after a
 * forced GC) of an empty server, per idle loaded document and per idle connection. Clients
 * run in two child processes (writers, receivers); servers are child processes too, all
 * started with the same probe (server-probe-preload.cjs).
 *
 *   npm run bench:collab [-- --repeat 2 --quick --duration 10 --profile bench-results/prof]
 *     [--ours-env PROJECTION_MAX_BATCH_WINDOW_MS=50]
 *   npm run bench:collab -- --servers ours,hocuspocus4 --clients 50 --phases fan-out --repeat 1
 *   npm run bench:collab -- --edits plan   (each edit also changes a task: ours projects it)
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { machineLine, printTable, progress, saveRaw, type Row } from './bench-report';
import { ClientWorker } from './client-worker-commands';
import {
  ALL_SERVERS,
  REFERENCE_NAMES,
  prepareOurs,
  killAllServers,
  type ServerKind,
  type ServerName,
  type ServerUnderTest,
} from './collab-servers';
import { CpuWindow, loadAverage, rssKiB } from './process-stats';

const { values: args } = parseArgs({
  options: {
    repeat: { type: 'string' },
    quick: { type: 'boolean', default: false },
    duration: { type: 'string' },
    docs: { type: 'string', default: '100' },
    entries: { type: 'string', default: '200' },
    connections: { type: 'string', default: '200' },
    /** a directory: write a V8 CPU profile of every server over each fan-out edit phase */
    profile: { type: 'string' },
    /** comma-separated server names (default: every one installed) */
    servers: { type: 'string' },
    /** comma-separated client counts of the fan-out runs */
    clients: { type: 'string', default: '50,200' },
    /** comma-separated: fan-out, memory */
    phases: { type: 'string', default: 'fan-out,memory' },
    /**
     * stamp: an edit sets a send time in a map outside the plan (what every server can take);
     * plan: it also changes a task's percent complete, which ours projects into its read models
     */
    edits: { type: 'string', default: 'stamp' },
    /** KEY=VALUE, repeatable: settings for ours on top of the bench's own (to compare them) */
    'ours-env': { type: 'string', multiple: true, default: [] },
  },
});
const listArg = (value: string): string[] =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
if (args.edits !== 'stamp' && args.edits !== 'plan')
  throw new Error(`--edits: "stamp" or "plan", got ${JSON.stringify(args.edits)}`);
const PLAN_EDITS = args.edits === 'plan';
const OURS_ENV: Record<string, string> = Object.fromEntries(
  args['ours-env'].map((pair) => {
    const at = pair.indexOf('=');
    if (at < 1) throw new Error(`--ours-env wants KEY=VALUE, got ${JSON.stringify(pair)}`);
    return [pair.slice(0, at), pair.slice(at + 1)];
  }),
);
const QUICK = args.quick ?? false;
const REPEAT = Number(args.repeat ?? (QUICK ? 1 : 2));
const EDIT_PHASE_MS = Number(args.duration ?? (QUICK ? 3 : 10)) * 1000;
const EDIT_INTERVAL_MS = 50;
const MEMORY_DOCS = Number(args.docs);
const ENTRIES_PER_DOC = Number(args.entries);
const IDLE_CONNECTIONS = Number(args.connections);
const PROFILE_DIR = args.profile === undefined ? undefined : resolve(args.profile);
/**
 * Writers are full providers and count as clients; the rest are lightweight receivers. Each
 * writer edits every 50 ms. 50 clients get 10 writers; 200 clients get 5: 100 edits/s × 195
 * receivers is ~20k deliveries/s, which the references serve in about a quarter of a core; 10
 * writers (38k/s) already saturated both cores here and measured the box instead of the
 * servers. Other counts (for quick runs) get one writer per 5 clients, at most 10 (5 above 50).
 */
function fanOutScenario(clients: number): { readonly clients: number; readonly writers: number } {
  if (!Number.isInteger(clients) || clients < 2)
    throw new Error(`--clients: ${clients} is not a whole number ≥ 2`);
  const writers = clients > 50 ? 5 : Math.max(1, Math.min(10, Math.floor(clients / 5)));
  return { clients, writers: Math.min(writers, clients - 1) };
}
const FAN_OUT = listArg(args.clients).map((count) => fanOutScenario(Number(count)));
const PHASES = new Set(listArg(args.phases));
for (const phase of PHASES)
  if (phase !== 'fan-out' && phase !== 'memory')
    throw new Error(`--phases: unknown phase "${phase}" (fan-out, memory)`);
const DRAIN_TIMEOUT_MS = 15_000;
const WARM_UP_MS = 2000;
/** RSS moves with GC for a while after a burst of work */
const SETTLE_MS = 1000;
/**
 * Ours parks a projector's copy of a plan once no one has edited it for PROJECTION_DOC_IDLE_MS
 * (default 10 s, swept every 5 s): the documents are sampled again after this long, idle
 * (the references hold the same memory either way).
 */
const IDLE_DOCS_WAIT_MS = 16_000;

type FanOut = ReturnType<typeof fanOutScenario>;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentOfCore = (cpuUs: number, wallMs: number) => ((cpuUs / 1000 / wallMs) * 100).toFixed(0);
const mib = (kib: number) => (kib / 1024).toFixed(1);

let writersProcess: ClientWorker | undefined;
let receiversProcess: ClientWorker | undefined;

function cleanUp(): void {
  writersProcess?.kill();
  receiversProcess?.kill();
  killAllServers();
}
process.on('exit', cleanUp);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    process.stderr.write(`\n${signal}: stopping every child process\n`);
    cleanUp();
    process.exit(130);
  });
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

interface FanOutResult {
  readonly run: number;
  readonly server: ServerName;
  readonly clients: number;
  readonly writers: number;
  readonly edits: number;
  readonly expected: number;
  readonly delivered: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly wallMs: number;
  readonly serverCpuUs: number;
  /** the server's main thread was runnable but had no core */
  readonly serverRunQueueWaitUs: number;
  /** p50 of the first and the last tenth of the samples in arrival order: a backlog shows as growth */
  readonly p50FirstTenthMs: number;
  readonly p50LastTenthMs: number;
  readonly writersCpuUs: number;
  readonly receiversCpuUs: number;
  readonly othersCpuUs: number;
  readonly receiversLoopP99Ms: number;
  readonly writersMaxTimerLagMs: number;
  readonly converged: string;
  /** updates that reached receivers without a stamp: anything the server sent besides the edits */
  readonly otherUpdates: number;
  readonly notes: string;
}

/** run 0 is a warm-up whose figures are thrown away */
const runLabel = (run: number) => (run === 0 ? 'warm-up' : `run ${run}`);

async function fanOut(
  server: ServerUnderTest,
  scenario: FanOut,
  run: number,
  editPhaseMs = EDIT_PHASE_MS,
): Promise<FanOutResult> {
  const writers = writersProcess!;
  const receivers = receiversProcess!;
  const receiverCount = scenario.clients - scenario.writers;
  const docName = await server.createDocument('bench');
  progress(
    `${runLabel(run)}: ${server.name}, ${scenario.clients} clients (${scenario.writers} writers), opening`,
  );
  await receivers.request(
    {
      type: 'open-receivers',
      target: server.target,
      docNames: Array(receiverCount).fill(docName),
      seedEntries: 0,
      recordLatency: true,
    },
    'opened',
  );
  await writers.request(
    { type: 'open-writers', target: server.target, docName, count: scenario.writers },
    'opened',
  );
  await sleep(500); // awareness announcements of the writers pass before the measured phase
  await writers.request({ type: 'start-phase' }, 'started');
  await receivers.request({ type: 'start-phase' }, 'started');

  progress(
    `${runLabel(run)}: ${server.name}, ${scenario.clients} clients, editing for ${editPhaseMs / 1000} s`,
  );
  const profiling = PROFILE_DIR !== undefined && run > 0;
  if (profiling) await server.startProfile();
  const cpu = CpuWindow.start({
    server: server.pid,
    writers: writers.pid,
    receivers: receivers.pid,
    bench: process.pid,
  });
  const edited = await writers.request(
    { type: 'edit', durationMs: editPhaseMs, intervalMs: EDIT_INTERVAL_MS, planEdits: PLAN_EDITS },
    'edited',
  );
  const collected = await receivers.request(
    { type: 'collect', expectedStampsPerReceiver: edited.edits, timeoutMs: DRAIN_TIMEOUT_MS },
    'collected',
  );
  const { cpuUs, waitUs, boxUs, wallMs } = cpu.stop();
  if (profiling) {
    const file = join(
      PROFILE_DIR,
      `${server.name}-${scenario.clients}-clients-run${run}.cpuprofile`,
    );
    await server.stopProfile(file);
    progress(`CPU profile: ${file}`);
  }
  const convergence = await writers.request(
    { type: 'check-convergence', timeoutMs: 5000 },
    'convergence',
  );
  await writers.request({ type: 'close-all' }, 'closed');
  await receivers.request({ type: 'close-all' }, 'closed');

  const tenth = Math.max(1, Math.floor(collected.latenciesMs.length / 10));
  const median = (samples: Float64Array) => percentile(samples.sort(), 50);
  const p50FirstTenthMs = median(collected.latenciesMs.slice(0, tenth));
  const p50LastTenthMs = median(collected.latenciesMs.slice(-tenth));
  const sorted = collected.latenciesMs.sort();
  const expected = edited.edits * receiverCount;
  const notes = [
    collected.delivered !== expected
      ? `MISMATCH: per receiver ${collected.minPerReceiver}…${collected.maxPerReceiver} of ${edited.edits}`
      : '',
    collected.failures.length > 0
      ? `${collected.failures.length} receivers failed: ${collected.failures[0]}`
      : '',
  ]
    .filter(Boolean)
    .join('; ');
  if (notes) progress(`${runLabel(run)}: ${server.name}, ${scenario.clients} clients: ${notes}`);
  return {
    run,
    server: server.name,
    clients: scenario.clients,
    writers: scenario.writers,
    edits: edited.edits,
    expected,
    delivered: collected.delivered,
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.length > 0 ? sorted[sorted.length - 1] : Number.NaN,
    wallMs,
    serverCpuUs: cpuUs.server,
    serverRunQueueWaitUs: waitUs.server,
    p50FirstTenthMs,
    p50LastTenthMs,
    writersCpuUs: cpuUs.writers,
    receiversCpuUs: cpuUs.receivers,
    othersCpuUs: Math.max(0, boxUs - cpuUs.server - cpuUs.writers - cpuUs.receivers - cpuUs.bench),
    receiversLoopP99Ms: collected.loopDelay.p99Ms,
    writersMaxTimerLagMs: edited.maxTimerLagMs,
    converged: convergence.converged ? 'yes' : `NO: ${convergence.detail}`,
    otherUpdates: collected.otherUpdates,
    notes,
  };
}

/** RSS from /proc and the server's own heap after a forced full GC, in KiB */
interface MemorySample {
  readonly rssKiB: number;
  readonly heapKiB: number;
}

interface MemoryResult {
  readonly run: number;
  readonly server: ServerName;
  readonly baseline: MemorySample;
  readonly withDocs: MemorySample;
  /** the same documents after IDLE_DOCS_WAIT_MS without an edit, still held by their connections */
  readonly withIdleDocs: MemorySample;
  /** measured on a second fresh process, against its own baseline */
  readonly connectionsBaseline: MemorySample;
  readonly withConnections: MemorySample;
}

async function sampleMemory(server: ServerUnderTest): Promise<MemorySample> {
  await sleep(SETTLE_MS);
  const heap = await server.heapAfterGc();
  return { rssKiB: rssKiB(server.pid), heapKiB: heap.heapUsed / 1024 };
}

/**
 * The memory a server holds before any document is loaded. One connection is opened and
 * closed first, so the baseline already holds the code paths a first connection loads.
 */
async function warmBaseline(server: ServerUnderTest): Promise<MemorySample> {
  const receivers = receiversProcess!;
  const doc = await server.createDocument('bench-warm-up');
  await receivers.request(
    {
      type: 'open-receivers',
      target: server.target,
      docNames: [doc],
      seedEntries: 0,
      recordLatency: false,
    },
    'opened',
  );
  await receivers.request({ type: 'close-all' }, 'closed');
  return sampleMemory(server);
}

async function memoryPerDocument(
  server: ServerUnderTest,
  run: number,
): Promise<{ baseline: MemorySample; withDocs: MemorySample; withIdleDocs: MemorySample }> {
  const receivers = receiversProcess!;
  const baseline = await warmBaseline(server);
  progress(
    `run ${run}: ${server.name}, loading ${MEMORY_DOCS} documents of ${ENTRIES_PER_DOC} entries`,
  );
  const docNames: string[] = [];
  for (let i = 0; i < MEMORY_DOCS; i++)
    docNames.push(await server.createDocument(`bench-memory-${i}`));
  // each document stays held by the idle connection that wrote it: Hocuspocus without
  // persistence unloads (and loses) a document when its last connection closes
  await receivers.request(
    {
      type: 'open-receivers',
      target: server.target,
      docNames,
      seedEntries: ENTRIES_PER_DOC,
      recordLatency: false,
    },
    'opened',
  );
  const withDocs = await sampleMemory(server);
  progress(`run ${run}: ${server.name}, documents idle for ${IDLE_DOCS_WAIT_MS / 1000} s`);
  await sleep(IDLE_DOCS_WAIT_MS);
  const withIdleDocs = await sampleMemory(server);
  await receivers.request({ type: 'close-all' }, 'closed');
  return { baseline, withDocs, withIdleDocs };
}

async function memoryPerConnection(
  server: ServerUnderTest,
  run: number,
): Promise<{ connectionsBaseline: MemorySample; withConnections: MemorySample }> {
  const receivers = receiversProcess!;
  const doc = await server.createDocument('bench-connections');
  const connectionsBaseline = await warmBaseline(server);
  progress(`run ${run}: ${server.name}, ${IDLE_CONNECTIONS} idle connections on one document`);
  await receivers.request(
    {
      type: 'open-receivers',
      target: server.target,
      docNames: Array(IDLE_CONNECTIONS).fill(doc),
      seedEntries: 0,
      recordLatency: false,
    },
    'opened',
  );
  const withConnections = await sampleMemory(server);
  await receivers.request({ type: 'close-all' }, 'closed');
  return { connectionsBaseline, withConnections };
}

/** "1.23×" of ours over a reference in the same run and configuration, "—" elsewhere */
function ratio<T extends { run: number; server: ServerName }>(
  results: readonly T[],
  row: T,
  reference: ServerName,
  value: (r: T) => number,
  sameConfig: (a: T, b: T) => boolean = () => true,
): string {
  if (row.server !== 'ours') return '—';
  const ref = results.find(
    (r) => r.server === reference && r.run === row.run && sameConfig(r, row),
  );
  if (!ref || !Number.isFinite(value(ref)) || value(ref) === 0) return '—';
  return `${(value(row) / value(ref)).toFixed(2)}×`;
}

/** short column labels of the references every table compares against */
const REFERENCE_LABELS: Record<(typeof REFERENCE_NAMES)[number], string> = {
  'y-websocket': 'y-ws',
  hocuspocus3: 'hp3',
  hocuspocus4: 'hp4',
};

/** one ratio column per reference: "<figure> vs y-ws", "… vs hp3", "… vs hp4" */
function ratios<T extends { run: number; server: ServerName }>(
  results: readonly T[],
  row: T,
  figure: string,
  value: (r: T) => number,
  sameConfig?: (a: T, b: T) => boolean,
): Row {
  return Object.fromEntries(
    REFERENCE_NAMES.map((reference) => [
      `${figure} vs ${REFERENCE_LABELS[reference]}`,
      ratio(results, row, reference, value, sameConfig),
    ]),
  );
}

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(value < 10 ? 2 : 1) : '—');

function fanOutRows(results: readonly FanOutResult[]): { latency: Row[]; cpu: Row[] } {
  const same = (a: FanOutResult, b: FanOutResult) => a.clients === b.clients;
  const perEdit = (r: FanOutResult) => r.serverCpuUs / r.edits;
  const perDelivered = (r: FanOutResult) => r.serverCpuUs / r.delivered;
  const latency = results.map((r): Row => ({
    run: r.run,
    clients: `${r.clients} (${r.writers} w + ${r.clients - r.writers} r)`,
    server: r.server,
    'edits/s': Math.round(r.edits / (EDIT_PHASE_MS / 1000)),
    'delivered / expected': `${r.delivered} / ${r.expected}${r.delivered === r.expected ? '' : ' ✗'}`,
    'p50 ms': ms(r.p50Ms),
    'p50 first → last tenth': `${ms(r.p50FirstTenthMs)} → ${ms(r.p50LastTenthMs)}`,
    'p95 ms': ms(r.p95Ms),
    'p99 ms': ms(r.p99Ms),
    'max ms': ms(r.maxMs),
    ...ratios(results, r, 'p50', (x) => x.p50Ms, same),
    ...ratios(results, r, 'p99', (x) => x.p99Ms, same),
    converged: r.converged,
  }));
  const cpu = results.map((r): Row => ({
    run: r.run,
    clients: r.clients,
    server: r.server,
    'server CPU (% of a core)': percentOfCore(r.serverCpuUs, r.wallMs),
    'server waited for a core (% of wall)': percentOfCore(r.serverRunQueueWaitUs, r.wallMs),
    'µs per edit': perEdit(r).toFixed(0),
    'µs per delivered update': perDelivered(r).toFixed(1),
    ...ratios(results, r, 'per delivered', perDelivered, same),
    'writers proc (% core)': percentOfCore(r.writersCpuUs, r.wallMs),
    'receivers proc (% core)': percentOfCore(r.receiversCpuUs, r.wallMs),
    'receivers loop delay p99 ms': r.receiversLoopP99Ms.toFixed(1),
    'writer timer lag max ms': r.writersMaxTimerLagMs.toFixed(1),
    'other processes (% core)': percentOfCore(r.othersCpuUs, r.wallMs),
  }));
  return { latency, cpu };
}

/** the headline figures: what an empty server holds, and what each idle loaded plan adds */
function idleMemoryRows(results: readonly MemoryResult[]): Row[] {
  const emptyRss = (r: MemoryResult) => r.baseline.rssKiB;
  const rssPerIdleDoc = (r: MemoryResult) =>
    (r.withIdleDocs.rssKiB - r.baseline.rssKiB) / MEMORY_DOCS;
  const heapPerIdleDoc = (r: MemoryResult) =>
    (r.withIdleDocs.heapKiB - r.baseline.heapKiB) / MEMORY_DOCS;
  return results.map((r): Row => ({
    run: r.run,
    server: r.server,
    'empty server RSS MiB': mib(emptyRss(r)),
    ...ratios(results, r, 'empty RSS', emptyRss),
    'RSS KiB per idle loaded plan': rssPerIdleDoc(r).toFixed(0),
    ...ratios(results, r, 'per idle plan RSS', rssPerIdleDoc),
    'heap KiB per idle loaded plan': heapPerIdleDoc(r).toFixed(0),
    ...ratios(results, r, 'per idle plan heap', heapPerIdleDoc),
  }));
}

function memoryRows(results: readonly MemoryResult[]): Row[] {
  const rssPerDoc = (r: MemoryResult) => (r.withDocs.rssKiB - r.baseline.rssKiB) / MEMORY_DOCS;
  const heapPerDoc = (r: MemoryResult) => (r.withDocs.heapKiB - r.baseline.heapKiB) / MEMORY_DOCS;
  const heapPerIdleDoc = (r: MemoryResult) =>
    (r.withIdleDocs.heapKiB - r.baseline.heapKiB) / MEMORY_DOCS;
  const rssPerConnection = (r: MemoryResult) =>
    (r.withConnections.rssKiB - r.connectionsBaseline.rssKiB) / IDLE_CONNECTIONS;
  const heapPerConnection = (r: MemoryResult) =>
    (r.withConnections.heapKiB - r.connectionsBaseline.heapKiB) / IDLE_CONNECTIONS;
  return results.map((r): Row => ({
    run: r.run,
    server: r.server,
    'baseline RSS / heap MiB': `${mib(r.baseline.rssKiB)} / ${mib(r.baseline.heapKiB)}`,
    [`${MEMORY_DOCS} docs RSS / heap MiB`]: `${mib(r.withDocs.rssKiB)} / ${mib(r.withDocs.heapKiB)}`,
    'per doc RSS KiB': rssPerDoc(r).toFixed(0),
    'per doc heap KiB': heapPerDoc(r).toFixed(0),
    ...ratios(results, r, 'per doc heap', heapPerDoc),
    [`per idle doc heap KiB (${IDLE_DOCS_WAIT_MS / 1000} s later)`]: heapPerIdleDoc(r).toFixed(0),
    ...ratios(results, r, 'per idle doc heap', heapPerIdleDoc),
    'per conn RSS KiB': rssPerConnection(r).toFixed(1),
    'per conn heap KiB': heapPerConnection(r).toFixed(1),
    ...ratios(results, r, 'per conn heap', heapPerConnection),
  }));
}

function versionsLine(): string {
  const version = (name: string): string =>
    (
      JSON.parse(
        readFileSync(join(__dirname, '..', '..', 'node_modules', name, 'package.json'), 'utf8'),
      ) as { version: string }
    ).version;
  return [
    `yjs ${version('yjs')}`,
    `y-websocket server ${version('y-websocket-v2')} (its own ws ${version('y-websocket-v2/node_modules/ws')})`,
    `y-websocket client ${version('y-websocket')}`,
    `@hocuspocus/server ${version('@hocuspocus/server')} and ${version('hocuspocus-server-v4')}`,
    `@hocuspocus/provider ${version('@hocuspocus/provider')} and ${version('hocuspocus-provider-v4')}`,
    `ws ${version('ws')}`,
  ].join(', ');
}

/**
 * One retry: a server that fails to start once should not void the whole run, but the
 * failure is a finding, so it goes into the notes printed under the tables.
 */
async function startServer(kind: ServerKind, notes: string[]): Promise<ServerUnderTest> {
  const options = kind.name === 'ours' ? { env: OURS_ENV } : {};
  try {
    return await kind.start(options);
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n');
    const cause = reason.find((line) => /error/i.test(line) && line !== reason[0]) ?? '';
    notes.push(`${kind.name} failed to start once (${reason[0]} ${cause.trim()}); retried`);
    progress(notes[notes.length - 1]);
    return kind.start(options);
  }
}

async function main(): Promise<void> {
  const servers: ServerKind[] = [];
  const notes: string[] = [];
  const wanted = args.servers === undefined ? undefined : new Set(listArg(args.servers));
  for (const name of wanted ?? []) {
    if (!ALL_SERVERS.some((kind) => kind.name === name))
      throw new Error(
        `--servers: unknown server "${name}" (${ALL_SERVERS.map((k) => k.name).join(', ')})`,
      );
  }
  for (const kind of ALL_SERVERS) {
    if (wanted && !wanted.has(kind.name)) continue;
    if (kind.unavailable) notes.push(`${kind.name}: skipped, ${kind.unavailable}`);
    else servers.push(kind);
  }
  if (servers.length === 0) throw new Error('no server to measure');
  for (const note of notes) progress(note);
  const oursBuild = prepareOurs();
  if (PROFILE_DIR) {
    mkdirSync(PROFILE_DIR, { recursive: true });
    notes.push(`profiled (${PROFILE_DIR}): server CPU figures include the profiler's overhead`);
  }
  const loadAtStart = loadAverage();
  writersProcess = ClientWorker.start('writers');
  receiversProcess = ClientWorker.start('receivers');

  // the client processes' code gets hot before anything is measured, so the first server
  // measured does not pay for the clients' JIT warm-up
  const warmUpScenario = fanOutScenario(50);
  progress('warming up the client processes (not measured)');
  const warmUpServer = await servers[servers.length - 1].start();
  await fanOut(warmUpServer, warmUpScenario, 0, WARM_UP_MS).finally(() => warmUpServer.stop());

  const fanOutResults: FanOutResult[] = [];
  const memoryResults: MemoryResult[] = [];
  for (let run = 1; run <= REPEAT; run++) {
    for (const kind of PHASES.has('fan-out') ? servers : []) {
      const server = await startServer(kind, notes);
      try {
        // unmeasured edits first: a fresh process pays for its JIT warm-up on the first
        // updates it handles (seconds of backlog for ours), which is not the steady state
        await fanOut(server, warmUpScenario, 0, WARM_UP_MS);
        for (const scenario of FAN_OUT) fanOutResults.push(await fanOut(server, scenario, run));
      } finally {
        await server.stop();
      }
    }
    for (const kind of PHASES.has('memory') ? servers : []) {
      // per document and per connection each on a fresh process, so neither inherits the other's heap growth
      const docsServer = await startServer(kind, notes);
      const perDocument = await memoryPerDocument(docsServer, run).finally(() => docsServer.stop());
      const connectionsServer = await startServer(kind, notes);
      const perConnection = await memoryPerConnection(connectionsServer, run).finally(() =>
        connectionsServer.stop(),
      );
      memoryResults.push({ run, server: kind.name, ...perDocument, ...perConnection });
    }
  }

  const machine = machineLine();
  const { latency, cpu } = fanOutRows(fanOutResults);
  process.stdout.write(
    `\nMachine: ${machine}; load average at start ${loadAtStart}\nVersions: ${versionsLine()}\n${oursBuild}\n\n`,
  );
  printTable(
    `Fan-out latency (one document, each writer edits every ${EDIT_INTERVAL_MS} ms for ${EDIT_PHASE_MS / 1000} s${PLAN_EDITS ? ', each edit also changing a task of the plan' : ''}; w = full-provider writers, r = lightweight receivers; latency = receiver arrival − writer send time)`,
    latency,
  );
  printTable('Server CPU time per update over the edit phase (incl. drain), and client load', cpu);
  printTable(
    `Memory: an empty server (warmed up by one connection) and each of ${MEMORY_DOCS} loaded plans of ${ENTRIES_PER_DOC} map entries, idle for ${IDLE_DOCS_WAIT_MS / 1000} s after its last edit, its connection still open; RSS from /proc, heap = heapUsed after a forced full GC`,
    idleMemoryRows(memoryResults),
  );
  printTable(
    `Memory in detail: ${MEMORY_DOCS} loaded documents of ${ENTRIES_PER_DOC} map entries (each held by the idle connection that wrote it), and ${IDLE_CONNECTIONS} idle connections on one document (on a second fresh process); deltas over a warmed-up empty server; heap = heapUsed after a forced full GC`,
    memoryRows(memoryResults),
  );
  for (const note of notes) process.stdout.write(`- ${note}\n`);
  const file = saveRaw('collab', [
    ...fanOutResults.map((r): Row => ({ kind: 'fan-out', ...r, machine })),
    ...memoryResults.map((r): Row => ({
      kind: 'memory',
      run: r.run,
      server: r.server,
      ...Object.fromEntries(
        (
          [
            'baseline',
            'withDocs',
            'withIdleDocs',
            'connectionsBaseline',
            'withConnections',
          ] as const
        ).flatMap((k) => [
          [`${k}RssKiB`, r[k].rssKiB],
          [`${k}HeapKiB`, Math.round(r[k].heapKiB)],
        ]),
      ),
      machine,
    })),
  ]);
  process.stderr.write(`raw results: ${file}\n`);
  const mismatches = fanOutResults.filter(
    (r) => r.delivered !== r.expected || r.converged !== 'yes',
  );
  if (mismatches.length > 0) {
    process.stderr.write(
      `${mismatches.length} fan-out runs delivered ≠ expected or did not converge (see tables)\n`,
    );
    process.exitCode = 1;
  }
}

main()
  .catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  })
  .finally(() => {
    cleanUp();
    // IPC channels and timers of the client processes must not keep the bench alive
    process.exit();
  });
