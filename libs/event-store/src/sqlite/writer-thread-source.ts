/**
 * Starting the writer thread when this library runs from its TypeScript source (jest, ts-node
 * scripts and benches) rather than from the build. A worker thread cannot load .ts, and
 * registering ts-node in every new thread costs a second or more of CPU per store opened. So the
 * worker's modules are transpiled once (cached on disk by content hash) and handed to the
 * thread, which compiles them under their real paths: their own imports (better-sqlite3)
 * resolve as usual.
 */
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { threadId } from 'node:worker_threads';

/** transpiled JavaScript by absolute .ts path */
export type CompiledSources = Readonly<Record<string, string>>;

/** what the eval'd bootstrap of a source-mode writer thread receives as workerData */
export interface SourceWorkerData {
  readonly entry: string;
  readonly compiled: CompiledSources;
}

/** runs in the new thread, before anything else: .ts files come from workerData.compiled */
export const SOURCE_BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
const Module = require('node:module');
Module._extensions['.ts'] = (module, filename) => {
  const code = workerData.compiled[filename];
  if (code === undefined) throw new Error(filename + ' was not transpiled for the writer thread');
  module._compile(code, filename);
};
require(workerData.entry);
`;

const RELATIVE_IMPORT = /(?:from|import)\s+'(\.{1,2}\/[^']+)'/g;

export function compileWorkerSources(entry: string): CompiledSources {
  const files = relativeImportClosure(entry);
  const texts = [...files.values()];
  const key = createHash('sha256')
    .update(JSON.stringify([...files]))
    .digest('hex')
    .slice(0, 24);
  const cacheFile = join(tmpdir(), `event-store-writer-${key}.json`);
  try {
    return JSON.parse(readFileSync(cacheFile, 'utf8')) as CompiledSources;
  } catch {
    // not cached yet (or a torn file from a crash): transpile below
  }
  // loaded only on a cache miss: the build never runs this module, and TypeScript is a
  // development dependency
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require('typescript') as typeof import('typescript');
  const compiled: Record<string, string> = {};
  [...files.keys()].forEach((file, i) => {
    compiled[file] = ts.transpileModule(texts[i], {
      fileName: file,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
      },
    }).outputText;
  });
  // written aside and renamed: parallel test workers may fill the cache at the same time
  const partial = `${cacheFile}.${process.pid}-${threadId}`;
  writeFileSync(partial, JSON.stringify(compiled));
  renameSync(partial, cacheFile);
  return compiled;
}

/** the entry and every .ts module it imports by relative path, transitively, with their text */
function relativeImportClosure(entry: string): Map<string, string> {
  const files = new Map<string, string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    const text = readFileSync(file, 'utf8');
    files.set(file, text);
    for (const [, specifier] of text.matchAll(RELATIVE_IMPORT))
      visit(`${resolve(dirname(file), specifier)}.ts`);
  };
  visit(entry);
  return files;
}
