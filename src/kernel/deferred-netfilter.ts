/**
 * Netfilter writes deferred until somebody reads the namespace's netfilter state.
 *
 * A daemon's sync (kube-proxy's `iptables-restore --noflush` or `nft -f` on every node) is the
 * bulk of a large cluster's build, yet a trace or `show node-7` reads the rules of a handful of
 * namespaces. A deferred write runs the first time `ns.netfilter` is read, in the order the
 * writes were deferred, before the reader sees the state; from then on `netfilter` is a plain
 * value again. Readers cannot tell the difference: whoever reads (a trace, a renderer, another
 * daemon writing after it, a `structuredClone`, a copy by spreading) reads the state with every
 * earlier write applied, which is what the eager build produces.
 */
import type { Netns } from './netns.js';
import type { NetfilterState } from './netfilter/state.js';

/** One write: it changes `nf` in place, as the verbs of netfilter/ do. */
export type NetfilterWrite = (nf: NetfilterState) => void;

const pending = new WeakMap<Netns, NetfilterWrite[]>();

/**
 * Defers `write` to `ns`'s netfilter state until it is first read (see the module comment).
 * Writes deferred on one namespace run in the order they were deferred.
 */
export function deferNetfilterWrite(ns: Netns, write: NetfilterWrite): void {
  const queued = pending.get(ns);
  if (queued !== undefined) {
    queued.push(write);
    return;
  }
  const nf = ns.netfilter;
  const writes = [write];
  pending.set(ns, writes);
  Object.defineProperty(ns, 'netfilter', {
    enumerable: true,
    configurable: true,
    get(): NetfilterState {
      pending.delete(ns);
      // A plain value again before the writes run, so that a write reading ns.netfilter sees nf.
      Object.defineProperty(ns, 'netfilter', { value: nf, enumerable: true, configurable: true, writable: true });
      for (const w of writes) w(nf);
      return nf;
    },
  });
}

/** Whether `ns` has writes that have not run yet (for tests and the bench). */
export function hasDeferredNetfilterWrites(ns: Netns): boolean {
  return pending.has(ns);
}
