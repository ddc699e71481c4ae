/**
 * Reading a node dump folder (scripts/collect-node-dump.sh) for `netsim import` and the
 * `--node-dump DIR` option of `show` and `trace`: the files the importer knows, by name; a file
 * the collect script could not write is simply absent.
 */
import type { Diagnostic } from '../diag/diagnostic.js';
import { error } from '../diag/diagnostic.js';
import { DUMP_FILES, type ImportedNode, importNodeDump } from '../kernel/import/node-dump.js';
import { formatDiagnostics } from '../render/diagnostics.js';
import { hasErrors, type Parsed } from '../diag/diagnostic.js';
import { errnoCode, readUserFile } from './files.js';
import type { CliIo } from './io.js';

/** The `--node-dump` option of `show` and `trace`. */
export const NODE_DUMP_OPTION = {
  type: 'string',
  describe: 'a real node\'s dump folder (scripts/collect-node-dump.sh): use that node instead of a scenario',
} as const;

/** The dump's files (name → text), or why the folder cannot be read. */
export function readNodeDump(io: CliIo, dir: string): { files: Record<string, string> } | { diagnostic: Diagnostic } {
  let names: string[];
  try {
    names = io.readDir?.(dir) ?? [];
  } catch (e) {
    return { diagnostic: error('FILE_UNREADABLE', `${dir}: cannot list the folder (${errnoCode(e) ?? 'unknown error'})`) };
  }
  const known = new Set<string>(Object.values(DUMP_FILES));
  const files: Record<string, string> = {};
  for (const name of names.filter((n) => known.has(n))) {
    const read = readUserFile(io, `${dir.replace(/\/+$/, '')}/${name}`);
    if ('diagnostic' in read) return read;
    files[name] = read.text;
  }
  if (Object.keys(files).length === 0) return { diagnostic: error('FILE_UNREADABLE', `${dir}: not a node dump (none of ${[...known].join(', ')})`) };
  return { files };
}

/**
 * Reads and imports a dump; prints its diagnostics (with the source line and a caret) on
 * stderr. Undefined when the folder cannot be read or a file has errors.
 */
export function loadNodeDump(io: CliIo, dir: string, name?: string): Parsed<ImportedNode> | undefined {
  const read = readNodeDump(io, dir);
  if ('diagnostic' in read) {
    io.stderr(formatDiagnostics([read.diagnostic]));
    return undefined;
  }
  const prefix = dir.replace(/\/+$/, '');
  const r = importNodeDump(read.files, { dir: prefix, ...(name !== undefined ? { name } : {}) });
  if (r.diagnostics.length > 0) io.stderr(formatDiagnostics(r.diagnostics, (f) => read.files[f.slice(prefix.length + 1)]));
  return hasErrors(r.diagnostics) ? undefined : r;
}
