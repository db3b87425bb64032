/**
 * Shared output of the benchmarks: one markdown table per run on stdout and the raw
 * results as JSON lines under bench-results/ (not committed).
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

export type Row = Record<string, string | number>;

export function machineLine(): string {
  return `${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(
    totalmem() / 2 ** 30,
  )} GiB, Node ${process.version}`;
}

export function printTable(title: string, rows: readonly Row[]): void {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]);
  const lines = [
    `### ${title}`,
    '',
    `| ${columns.join(' | ')} |`,
    `|${columns.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${columns.map((c) => String(r[c])).join(' | ')} |`),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

export function saveRaw(bench: string, rows: readonly Row[]): string {
  const dir = join(__dirname, '..', '..', 'bench-results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${bench}.jsonl`);
  const at = new Date().toISOString();
  for (const row of rows) appendFileSync(file, `${JSON.stringify({ at, bench, ...row })}\n`);
  return file;
}

/** A one-line progress indicator on stderr for long benchmark runs. */
export function progress(message: string): void {
  process.stderr.write(`… ${message}\n`);
}
