/**
 * Network namespaces owned by the kernel tests. Every name starts with `nsd<random>-`, followed
 * by the owning process id and a role (`nsd3fa9c1-4242-host`), so a crashed run can be told
 * from a live one: {@link removeStaleNamespaces} deletes `nsd*` namespaces created before this
 * run whose owner is gone (or that carry no owner), and leaves everyone else's alone.
 */
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { run } from './sh.js';

/** A fresh prefix for one lab: `nsd<6 hex>-<pid>-`. */
export function newPrefix(): string {
  return `nsd${randomBytes(3).toString('hex')}-${process.pid}-`;
}

/** Names of all namespaces that `ip netns` knows. */
export function listNamespaces(): string[] {
  const r = run('ip', ['netns', 'list']);
  if (r.code !== 0) return [];
  return r.stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter((n) => n !== '');
}

/** Our namespaces (`nsd…`), live or stale. */
export function ourNamespaces(): string[] {
  return listNamespaces().filter((n) => n.startsWith('nsd'));
}

/** Deletes one namespace; its veths go with it. Errors are returned, not thrown. */
export function deleteNamespace(name: string): string | undefined {
  const r = run('ip', ['netns', 'delete', name]);
  return r.code === 0 ? undefined : r.stderr.trim();
}

function ownerAlive(name: string): boolean {
  const m = /^nsd[0-9a-f]+-(\d+)-/.exec(name);
  return m !== null && processAlive(Number(m[1]));
}

/** Whether a process exists (this one included); EPERM means it exists under another user. */
export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** When a named namespace was created (its /run/netns file), or +∞ when it is gone. */
export function createdAt(name: string): number {
  try {
    return statSync(`/run/netns/${name}`).mtimeMs;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/** Deletes `nsd*` namespaces older than `runStartMs` whose owner process is gone; returns their names. */
export function removeStaleNamespaces(runStartMs: number): string[] {
  const removed: string[] = [];
  for (const name of ourNamespaces()) {
    if (createdAt(name) >= runStartMs || ownerAlive(name)) continue;
    if (deleteNamespace(name) === undefined) removed.push(name);
  }
  return removed;
}
