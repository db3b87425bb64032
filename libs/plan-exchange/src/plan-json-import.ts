/**
 * A plan as JSON → plan file: what `export-plan --format json` and `GET /plans/:id` give, or
 * a plan file like the CRM sample (milestones as tasks with `milestone: true`).
 */
import { COLLECTIONS, type PlanFile } from '@lib/plan-domain';
import type { ConvertedPlan } from './converted-plan';
import { ImportNotes, ImportRefusedError } from './import-report';

const TOP_LEVEL: ReadonlySet<string> = new Set(['meta', ...COLLECTIONS]);

export function readPlanJson(text: string): ConvertedPlan {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw new ImportRefusedError('json', [
      { at: jsonErrorPlace(text, error), message: (error as Error).message },
    ]);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ImportRefusedError('json', [
      { at: 'document', message: 'a plan is a JSON object with meta, phases, tasks…' },
    ]);
  }
  const notes = new ImportNotes();
  const origins = new Map<string, string>();
  const input = parsed as Record<string, unknown>;
  for (const [key, value] of Object.entries(input)) {
    if (!TOP_LEVEL.has(key) && value !== undefined)
      notes.notHeld(
        'document',
        key,
        `${key} ${JSON.stringify(value)?.slice(0, 60)} is not held (an import is a new plan)`,
      );
  }
  for (const collection of COLLECTIONS) {
    const list = input[collection];
    if (!Array.isArray(list)) continue;
    list.forEach((entry: unknown, i) => {
      const id = (entry as { id?: unknown } | null)?.id;
      if (typeof id === 'string') origins.set(`${collection}.${id}`, `${collection}[${i}]`);
      if (
        collection === 'tasks' &&
        (entry as { milestone?: unknown }).milestone === true &&
        typeof id === 'string'
      )
        origins.set(`milestones.${id}`, `${collection}[${i}]`);
    });
  }
  const file: Record<string, unknown> = {};
  for (const key of TOP_LEVEL) if (input[key] !== undefined) file[key] = input[key];
  return {
    format: 'json',
    file: file as PlanFile,
    notes,
    origins,
    fallbacks: new Map(),
    baselines: [],
  };
}

function jsonErrorPlace(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const lineColumn = /line (\d+) column (\d+)/.exec(message);
  if (lineColumn) return `line ${lineColumn[1]}, column ${lineColumn[2]}`;
  const position = /position (\d+)/.exec(message);
  if (!position) return 'document';
  const before = text.slice(0, Number(position[1]));
  const line = before.split('\n').length;
  return `line ${line}, column ${before.length - before.lastIndexOf('\n')}`;
}
