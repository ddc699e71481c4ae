/**
 * Names of the real namespaces a materialized scenario lives in. Every one starts with
 * `nsh<6 hex>-<pid>-` (one random prefix per materialization, then the owning process id), then
 * the model's namespace name (`node-1`, `default.pod-a`, `node-network`), shortened with a hash
 * when the whole would pass {@link MAX_NETNS_NAME} characters (netns names are files under
 * /run/netns). Stale `nsh*` namespaces of a crashed run (owner process gone) can be told from
 * live ones and removed; nobody else's namespaces are touched. `NETSIM_NETNS_HEAD` replaces the
 * `nsh` head (letters, digits, `-`), for a machine shared by several runs that each keep to their
 * own names.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createdAt, deleteNamespace, listNamespaces, processAlive } from '../harness/namespaces.js';

/** Longest real namespace name we create. */
export const MAX_NETNS_NAME = 40;

const HEAD = /^[A-Za-z0-9-]{1,8}$/.test(process.env['NETSIM_NETNS_HEAD'] ?? '') ? (process.env['NETSIM_NETNS_HEAD'] as string) : 'nsh';
const OURS = new RegExp(`^${HEAD}[0-9a-f]{6}-(\\d+)-`);

/** A fresh prefix for one materialization: `nsh<6 hex>-<pid>-`. */
export function newScenarioPrefix(): string {
  return `${HEAD}${randomBytes(3).toString('hex')}-${process.pid}-`;
}

/** The real name for a model namespace: prefix + name, or prefix + head + hash when too long. */
export function realNetnsName(prefix: string, model: string): string {
  const room = MAX_NETNS_NAME - prefix.length;
  const safe = model.replace(/[^A-Za-z0-9._-]/g, '_');
  if (safe.length <= room && safe === model) return `${prefix}${model}`;
  const hash = createHash('sha256').update(model).digest('hex').slice(0, 8);
  return `${prefix}${safe.slice(0, Math.max(0, room - 9))}-${hash}`;
}

/** Our namespaces (`nsh<hex>-<pid>-…`), live or stale. */
export function scenarioNamespaces(): string[] {
  return listNamespaces().filter((n) => OURS.test(n));
}

/** Our namespaces owned by this process. */
export function ownNamespaces(): string[] {
  return scenarioNamespaces().filter((n) => OURS.exec(n)?.[1] === String(process.pid));
}

/** Deletes `nsh<hex>-<pid>-*` namespaces older than `runStartMs` whose owner is gone; returns their names. */
export function removeStaleScenarioNamespaces(runStartMs: number): string[] {
  const removed: string[] = [];
  for (const name of scenarioNamespaces()) {
    const pid = Number(OURS.exec(name)?.[1]);
    if (createdAt(name) >= runStartMs || processAlive(pid)) continue;
    if (deleteNamespace(name) === undefined) removed.push(name);
  }
  return removed;
}
