/** Runs the CLI in-process with captured streams and an in-memory (or real, read-only) file system. */
import { readFileSync, readdirSync } from 'node:fs';
import { runCli } from '../../src/cli/run.js';

/** What a CLI run printed and returned. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `netsim ARGV…`; `files` overrides paths (`files['-']` is standard input too), anything else is read from disk; `stdin` is standard input. */
export async function cli(argv: readonly string[], files: Record<string, string> = {}, env: Record<string, string> = {}, stdin: string | Uint8Array = ''): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const written: Record<string, string | Uint8Array> = {};
  const code = await runCli(argv, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    readFile: (p) => files[p] ?? readFileSync(p, 'utf8'),
    readStdin: () => files['-'] ?? stdin,
    readDir: (p) => readdirSync(p),
    writeFile: (p, d) => (written[p] = d),
    isTTY: false,
    env,
  });
  return { code, stdout, stderr };
}
