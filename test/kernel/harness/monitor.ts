/**
 * Event watchers running inside a namespace for the length of one packet:
 * `xtables-monitor --trace` (the rules the packet met) and `conntrack -E -e NEW` (the flow as
 * conntrack confirmed it, with its NATed reply tuple, even if the entry is gone a moment later,
 * as happens when a SYN to a closed local port is answered with a RST).
 */
import { spawn } from 'node:child_process';
import { sleep } from './sh.js';

/** A running watcher. */
export interface Watcher {
  /** Resolves once output has been quiet for `quietMs` after containing `marker`, or after `maxMs`. */
  settle(marker: string, opts?: { quietMs?: number; maxMs?: number }): Promise<void>;
  /** Stops the watcher (SIGTERM to its own pid, SIGKILL if it lingers) and returns its stdout. */
  stop(): Promise<string>;
}

/** Starts `argv` inside `ns` and waits until it has had time to subscribe to its netlink group. */
export async function startWatcher(ns: string, argv: readonly string[], readyMs = 300): Promise<Watcher> {
  const child = spawn('ip', ['netns', 'exec', ns, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let lastData = Date.now();
  let exited = false;
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    lastData = Date.now();
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const closed = new Promise<void>((resolve) => child.on('close', () => ((exited = true), resolve())));
  child.on('error', (e) => (err += `${e.message}\n`));
  await sleep(readyMs);
  if (exited) throw new Error(`${argv.join(' ')} exited at once: ${err.trim()}`);
  return {
    async settle(marker, opts = {}) {
      const quiet = opts.quietMs ?? 250;
      const deadline = Date.now() + (opts.maxMs ?? 3000);
      while (Date.now() < deadline) {
        if (out.includes(marker) && Date.now() - lastData >= quiet) return;
        await sleep(50);
      }
    },
    async stop() {
      if (!exited) child.kill('SIGTERM');
      await Promise.race([closed, sleep(2000)]);
      if (!exited) child.kill('SIGKILL');
      return out;
    },
  };
}
