/**
 * A world a trace may change without changing the built one: `overlayWorld(base)` looks like
 * `base`, but the first time a namespace is read through it, the namespace is forked: the fork
 * shares everything with `base`, and the parts a packet changes (conntrack, `-m recent` lists,
 * `-m statistic --mode nth` counters, nftables' dynamic sets and `numgen` counters, the
 * neighbour cache, bridge and VXLAN FDBs (learning), sockets) are copied the first time the
 * packet path writes them (cow.ts, netfilter/fork.ts). Devices, routes, rules, addresses,
 * sysctls and the iptables/nftables rulesets are never written by a packet; the rulesets are
 * immutable values replaced copy-on-write (netfilter/state.ts), so their compiled chains stay cached.
 *
 * This replaces a `structuredClone` of the whole world per trace (about 90 % of a trace at 100
 * nodes): a trace touches a handful of namespaces, and a fork costs the same whatever the size of
 * the namespace (the node network's segment has a device per node). Only the packet path's changes are covered:
 * a caller that reconfigures a namespace of the overlay (adds links, routes, rules) first
 * replaces it with a deep copy of its own (`world.netns[name] = structuredClone(…)`), which the
 * overlay keeps as it keeps namespaces added through it.
 */
import { recordFork } from './cow.js';
import { forkNetfilter } from './netfilter/fork.js';
import type { NetfilterState } from './netfilter/state.js';
import type { Netns } from './netns.js';
import type { World } from './world.js';
import { hasDeferredNetfilterWrites } from './deferred-netfilter.js';
import { type NetnsPeek, peekDeferred, registerNetnsPeek } from './deferred-netns.js';
import { noteNetnsChange } from './netns-changes.js';

/** The key under which an overlay's namespace map hands out its read-only view ({@link peekNetns}). */
const PEEK: unique symbol = Symbol('netsim.overlay.peek');

/**
 * A view of `all` for reading only: through an overlay, namespaces are not forked (a namespace
 * already forked is its fork, any other the base's own object, which must not be written);
 * any other map is itself. For the ARP/ND broadcast (neigh.ts `discover`), which reads every
 * namespace of an L2 domain to find the one that answers, and writes only to those it crosses.
 */
export function peekNetns(all: World['netns']): World['netns'] {
  return (all as { [PEEK]?: World['netns'] })[PEEK] ?? all;
}

/** A world whose namespaces fork from `base` on first access; `base` is never written through it. */
export function overlayWorld(base: World): World {
  const own = new Map<string, Netns | undefined>();
  const parts = { base: peekNetns(base.netns), own, replaced: false };
  const has = (name: string): boolean => (own.has(name) ? own.get(name) !== undefined : Object.hasOwn(base.netns, name));
  const read = (name: string): Netns | undefined => {
    if (own.has(name)) return own.get(name);
    const b = base.netns[name];
    if (b === undefined) return undefined;
    const f = forkNetns(b);
    own.set(name, f);
    return f;
  };
  const keys = (): string[] => {
    const out = Object.keys(base.netns).filter((k) => has(k));
    for (const [k, v] of own) if (v !== undefined && !Object.hasOwn(base.netns, k)) out.push(k);
    return out;
  };
  const peek = new Proxy(base.netns, {
    get: (_t, k) => (typeof k !== 'string' ? undefined : own.has(k) ? own.get(k) : base.netns[k]),
    has: (_t, k) => typeof k === 'string' && has(k),
    set: () => false,
    deleteProperty: () => false,
  });
  const netns = new Proxy(base.netns, {
    get: (_t, k) => (k === PEEK ? peek : typeof k === 'string' ? read(k) : undefined),
    has: (_t, k) => typeof k === 'string' && has(k),
    set: (_t, k, v: Netns) => {
      if (typeof k !== 'string') return false;
      own.set(k, v);
      parts.replaced = true;
      noteNetnsChange(k);
      return true;
    },
    deleteProperty: (_t, k) => {
      if (typeof k === 'string') {
        own.set(k, undefined);
        parts.replaced = true;
        noteNetnsChange(k);
      }
      return true;
    },
    ownKeys: () => keys(),
    getOwnPropertyDescriptor: (_t, k) => {
      if (typeof k !== 'string' || !has(k)) return undefined;
      return { value: read(k), writable: true, enumerable: true, configurable: true };
    },
  });
  // A peek (deferred-netns.ts) at a namespace whose deferred setup is pending sees base's, unforked
  // and read-only, through the overlay (carrier) and through its read-only view (ARP/ND discovery).
  const pendingOrOwn = (name: string, ns: () => Netns | undefined): NetnsPeek | undefined => {
    if (own.has(name)) {
      const o = own.get(name);
      return o === undefined ? undefined : { ns: o };
    }
    const p = peekDeferred(base.netns, name);
    if (p === undefined || p.pending !== undefined) return p;
    const n = ns();
    return n === undefined ? undefined : { ns: n };
  };
  registerNetnsPeek(netns, (name) => pendingOrOwn(name, () => read(name)));
  registerNetnsPeek(peek, (name) => pendingOrOwn(name, () => base.netns[name]));
  overlays.set(peek, parts);
  return { netns };
}

/** An overlay's read-only view: what it reads through to, and the namespaces it holds of its own. */
export interface OverlayParts {
  /** The base world's namespaces, read-only ({@link peekNetns} of them). */
  readonly base: World['netns'];
  /** The names the overlay holds a namespace of its own for (a fork, a replacement, or undefined: deleted). */
  readonly own: ReadonlyMap<string, Netns | undefined>;
  /** Whether a namespace was put or deleted through the overlay: `own` then holds more than forks, which read as the base does. */
  readonly replaced: boolean;
}

const overlays = new WeakMap<object, OverlayParts>();

/**
 * When `view` is an overlay's read-only view ({@link peekNetns}), its parts: a namespace not in
 * `own` is the base's own object. For the ARP/ND port index (neigh-index.ts), which is kept for
 * the base world and looks at the overlay's own namespaces apart.
 */
export function overlayParts(view: World['netns']): OverlayParts | undefined {
  return overlays.get(view);
}

/** The keys of a namespace, in the order `emptyNetns` (netns.ts) creates them. */
const NETNS_KEYS = ['name', 'hidden', 'links', 'fdb', 'addrs', 'neigh', 'tables', 'rules', 'sysctl', 'netfilter', 'sockets', 'counters'] as const;

/** Whether `ns` has exactly the keys of a namespace, in `emptyNetns`'s order. */
function plainShape(ns: Netns): boolean {
  const keys = Object.keys(ns);
  return keys.length === NETNS_KEYS.length && keys.every((k, i) => k === NETNS_KEYS[i]);
}

/**
 * A namespace that reads as `ns` and copies each part the packet path writes the first time it
 * writes it (cow.ts; the netfilter parts, netfilter/fork.ts), so that forking costs the same
 * for a pod as for the node network's segment with its device and FDB entry per node. It is
 * one literal in the key order of `emptyNetns`, so that a fork has the hidden class of every
 * other namespace and the stack's reads of `ns.links`, `ns.sysctl`… stay monomorphic.
 */
export function forkNetns(ns: Netns): Netns {
  if (!plainShape(ns)) return forkAnyNetns(ns);
  const deferred = hasDeferredNetfilterWrites(ns);
  const fork: Netns = {
    name: ns.name,
    hidden: ns.hidden,
    links: ns.links,
    fdb: ns.fdb,
    addrs: ns.addrs,
    neigh: ns.neigh,
    tables: ns.tables,
    rules: ns.rules,
    sysctl: ns.sysctl,
    // Not read while writes are deferred: reading would run them (deferred-netfilter.ts) when the
    // packet only passes by (an ARP broadcast reaching every node of a segment); see lazyNetfilter.
    netfilter: deferred ? (undefined as unknown as NetfilterState) : forkNetfilter(ns.netfilter),
    sockets: ns.sockets,
    // Two numbers: cheaper to copy than to guard (nextSeq writes them on every neighbour learned).
    counters: { ...ns.counters },
  };
  recordFork(fork, ns);
  return deferred ? lazyNetfilter(fork, ns) : fork;
}

/** {@link forkNetns} for a namespace with other keys than a plain one's (kept, in its order). */
function forkAnyNetns(ns: Netns): Netns {
  const shared: Record<string, unknown> = {};
  for (const key of Object.keys(ns)) if (key !== 'netfilter') shared[key] = (ns as unknown as Record<string, unknown>)[key];
  const fork = { ...(shared as unknown as Omit<Netns, 'netfilter'>), counters: { ...ns.counters } };
  recordFork(fork as Netns, ns);
  if (!hasDeferredNetfilterWrites(ns)) return Object.assign(fork, { netfilter: forkNetfilter(ns.netfilter) });
  return lazyNetfilter(fork as Netns, ns);
}

/** `fork` whose netfilter is a fork of `ns`'s, made (and the deferred writes run) when the packet path first reads it. */
function lazyNetfilter(fork: Netns, ns: Netns): Netns {
  return Object.defineProperty(fork, 'netfilter', {
    enumerable: true,
    configurable: true,
    get(): NetfilterState {
      const nf = forkNetfilter(ns.netfilter);
      Object.defineProperty(fork, 'netfilter', { value: nf, enumerable: true, configurable: true, writable: true });
      return nf;
    },
  });
}
