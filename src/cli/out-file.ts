/**
 * `--out FILE`: every command that prints a report can write it to a file instead of standard
 * output (`-o` names the format, `--out` the file). The commands print through a {@link CliIo};
 * this swaps its stdout for a buffer and writes the buffer when the command is done, so no
 * command needs its own file handling. `iptables trace` and `nft trace` are not among them:
 * there `--out` is the outgoing interface, as `iptables -o` is; `diagram` writes its own
 * (binary) files.
 */
import { formatDiagnostics } from '../render/diagnostics.js';
import { writeUserFile } from './files.js';
import { type CliIo, EXIT } from './io.js';

/** `--out FILE`, as commands declare it. */
export const OUT_OPTION = { type: 'string', describe: 'write the output to FILE, not stdout' } as const;

/** The commands whose `--out` is a file to write (the others give the word another meaning). */
const WRITES_OUT_FILE: ReadonlySet<string> = new Set(['trace', 'show', 'get', 'policy', 'bgp', 'export', 'import']);

/** A CliIo whose stdout can be redirected after the command line is parsed. */
export interface RedirectableIo {
  readonly io: CliIo;
  /** Sends stdout to a buffer from now on. */
  capture(): void;
  /** What was printed since {@link capture}. */
  captured(): string;
}

/** Wraps `io` so that its stdout can later be captured. */
export function redirectableIo(io: CliIo): RedirectableIo {
  let buffer: string | undefined;
  return {
    io: { ...io, stdout: (s) => (buffer === undefined ? io.stdout(s) : (buffer += s)) },
    capture: () => (buffer = ''),
    captured: () => buffer ?? '',
  };
}

/** The file `--out` names for this command line, if it names one. */
export function outFileOf(args: { readonly _?: readonly (string | number)[]; readonly out?: unknown }): string | undefined {
  const command = String(args._?.[0] ?? '');
  return WRITES_OUT_FILE.has(command) && typeof args.out === 'string' && args.out !== '-' ? args.out : undefined;
}

/** Writes what the command printed to `path`; a write that fails is reported and turns the exit code into INPUT_ERROR. */
export function flushOutFile(io: CliIo, path: string, text: string, code: number): number {
  // A command that failed wrote nothing worth keeping: leave any earlier file alone.
  if (code !== EXIT.OK && code !== EXIT.INCONSISTENT) return code;
  const failed = writeUserFile(io, path, text);
  if (failed === undefined) return code;
  io.stderr(formatDiagnostics([failed]));
  return EXIT.INPUT_ERROR;
}
