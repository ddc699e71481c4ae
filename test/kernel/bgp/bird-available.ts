/** Whether the BIRD suites can run here: Linux, root, `ip`, `bird` and `birdc` on PATH. */
import { onPath } from '../harness/sh.js';

/** Why the BIRD tests cannot run, or undefined when they can. */
export function birdUnavailable(): string | undefined {
  if (process.platform !== 'linux') return `not Linux (${process.platform})`;
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return 'not root';
  if (!onPath('bird') || !onPath('birdc')) return 'bird2 is not installed (apt-get install -y bird2)';
  if (!onPath('ip')) return 'ip (iproute2) is missing';
  return undefined;
}
