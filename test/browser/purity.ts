/**
 * The browser-purity check: bundles modules for the browser platform with esbuild and reports
 * what a browser could not run: a `node:` (or bare Node built-in) import, or a reference to
 * `process`. docs/architecture.md promises that everything outside `src/cli` runs unchanged in
 * a browser; this is what keeps the promise.
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build } from 'esbuild';

/** Every non-test TypeScript module under `dir`, skipping the folders in `skip`. */
export function modulesUnder(dir: string, skip: readonly string[]): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return skip.includes(p) ? [] : modulesUnder(p, skip);
    return p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

/** What a browser bundle of `entries` would need that a browser lacks. */
export interface PurityReport {
  /** Imports esbuild could not resolve for the browser (Node built-ins), with the importer. */
  readonly unresolved: readonly string[];
  /** Source lines of the bundle that name `process`. */
  readonly processRefs: readonly string[];
  /** Every input file that went into the bundle, relative to `root`. */
  readonly inputs: readonly string[];
  readonly bytes: number;
}

/**
 * Whether a bundle line uses the global `process` where a browser has none. Guarded uses
 * (`typeof process != "undefined" && …`, as parsers in the editor do), comments and methods
 * that happen to be called `process(…)`, and the word inside a string literal are fine.
 */
function unguardedProcess(line: string): boolean {
  // The word inside a string literal is text ("Calico process is running."), not the global.
  const code = line.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
  if (!/(?<![.\w$])process(?![\w$])/.test(code)) return false;
  if (/^\s*(\/\/|\*|\/\*)/.test(line) || /typeof process\b/.test(line)) return false;
  return !/^\s*process\s*\(/.test(line);
}

/** Bundles `entries` (paths relative to `root`) as one browser ESM bundle and reports. */
export async function checkBrowserPurity(root: string, entries: readonly string[], extra = ''): Promise<PurityReport> {
  const contents = entries.map((f, i) => `export * as m${i} from './${relative(root, f)}';`).join('\n') + extra;
  try {
    const r = await build({
      stdin: { contents, resolveDir: root, loader: 'ts' },
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
      loader: { '.yaml': 'text' },
    });
    const text = r.outputFiles[0]?.text ?? '';
    const processRefs = text.split('\n').filter(unguardedProcess);
    return { unresolved: [], processRefs, inputs: Object.keys(r.metafile.inputs), bytes: text.length };
  } catch (e) {
    const errors = (e as { errors?: { text: string; location?: { file: string } | null }[] }).errors ?? [];
    return { unresolved: errors.map((x) => `${x.location?.file ?? '?'}: ${x.text}`), processRefs: [], inputs: [], bytes: 0 };
  }
}
