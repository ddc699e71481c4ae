/**
 * The Python interpreter the kernel tests start, by its own path.
 *
 * Why: `python3` on PATH may be a version manager's shim (pyenv's is a chain of bash scripts),
 * which costs several times the interpreter's own start-up for every probe and listener; the
 * scenario suite starts hundreds, synchronously. The shim is asked once which interpreter it
 * runs (`sys.executable`), and that is started from then on.
 */
import { spawnSync } from 'node:child_process';

let resolved: string | undefined;

/** The absolute path of the interpreter behind `python3`, or `python3` when it cannot tell. */
export function python3(): string {
  if (resolved !== undefined) return resolved;
  const r = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8', timeout: 20_000 });
  const path = r.status === 0 ? (r.stdout ?? '').trim() : '';
  resolved = path.startsWith('/') ? path : 'python3';
  return resolved;
}
