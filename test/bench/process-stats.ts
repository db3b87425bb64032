/**
 * CPU time and resident memory of child processes, and how busy the whole box was, read
 * from /proc (Linux only), so every server is measured the same way from outside.
 */
import { readFileSync } from 'node:fs';

/** USER_HZ: /proc reports CPU time in these ticks; 100 on every Linux we run on */
const TICKS_PER_SECOND = 100;

/** user + system CPU time of one process so far, in µs (10 ms resolution) */
export function cpuTimeUs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // the command name (field 2) may contain spaces and parentheses: count fields after the last ')'
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1e6) / TICKS_PER_SECOND;
}

/** VmRSS of one process, in KiB */
export function rssKiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
  if (!match) throw new Error(`no VmRSS in /proc/${pid}/status (process gone?)`);
  return Number(match[1]);
}

/** CPU time all cores spent on anything but idle and iowait since boot, in µs */
export function boxBusyUs(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const [user, nice, system, , , irq, softirq, steal] = line
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return ((user + nice + system + irq + softirq + steal) * 1e6) / TICKS_PER_SECOND;
}

export function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

/**
 * Time the process' main thread spent runnable but waiting for a core, in µs: how much of the
 * phase other processes took from it (/proc/<pid>/schedstat: run ns, wait ns, timeslices).
 */
export function runQueueWaitUs(pid: number): number {
  const [, waitNs] = readFileSync(`/proc/${pid}/schedstat`, 'utf8').trim().split(' ').map(Number);
  return waitNs / 1000;
}

interface ProcessTimes {
  readonly cpuUs: number;
  readonly waitUs: number;
}

function timesOf(pids: Record<string, number>): Record<string, ProcessTimes> {
  return Object.fromEntries(
    Object.entries(pids).map(([name, pid]) => [
      name,
      { cpuUs: cpuTimeUs(pid), waitUs: runQueueWaitUs(pid) },
    ]),
  );
}

/** CPU time of a set of processes over one phase: `const cpu = CpuWindow.start(pids); …; cpu.stop()` */
export class CpuWindow {
  private constructor(
    private readonly pids: Record<string, number>,
    private readonly started: Record<string, ProcessTimes>,
    private readonly boxStartedUs: number,
    private readonly wallStartedMs: number,
  ) {}

  static start(pids: Record<string, number>): CpuWindow {
    return new CpuWindow(pids, timesOf(pids), boxBusyUs(), performance.now());
  }

  /**
   * Per named process: CPU µs (all threads) and main-thread run-queue wait µs; `boxUs` is
   * the CPU time of everything on all cores, `wallMs` the phase's length.
   */
  stop(): {
    cpuUs: Record<string, number>;
    waitUs: Record<string, number>;
    boxUs: number;
    wallMs: number;
  } {
    const now = timesOf(this.pids);
    const cpuUs: Record<string, number> = {};
    const waitUs: Record<string, number> = {};
    for (const name of Object.keys(this.pids)) {
      cpuUs[name] = now[name].cpuUs - this.started[name].cpuUs;
      waitUs[name] = now[name].waitUs - this.started[name].waitUs;
    }
    return {
      cpuUs,
      waitUs,
      boxUs: boxBusyUs() - this.boxStartedUs,
      wallMs: performance.now() - this.wallStartedMs,
    };
  }
}
