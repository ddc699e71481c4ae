/**
 * Namespaces whose setup is deferred until somebody reads one of them.
 *
 * kubelet's pod sandboxes (`ip netns add`, then CNI ADD, which also writes into the node's host
 * namespace) are the bulk of a large cluster's build, yet a trace or `show node-7` reads a
 * handful of namespaces. `deferNetns(world, work)` hides a group of names behind accessors of
 * `world.netns`: an existing namespace (the node's) and names that do not exist yet (its pods'),
 * kept at the place in key order where the eager build creates them. The first read of any of
 * them (`world.netns[name]`, `Object.values`, a spread, `structuredClone`) runs the work, which
 * is what the eager build would have done, and from then on they are plain properties again.
 * `Object.keys` and `in` see the names without running anything: the namespaces do exist.
 *
 * Only work whose outcome does not depend on when it runs may be deferred (the caller's proof:
 * it writes only into the namespaces it names, and nothing else reads them before it runs).
 *
 * The one reader that must not run the work is ARP/ND discovery (neigh.ts), whose broadcast on a
 * node network reaches every node: it peeks at a deferred namespace as it stands
 * ({@link peekDeferred}) and runs the work only when the namespace may answer, which `mayOwn`
 * over-approximates (an address the work could add lies in one of its prefixes).
 */
import { type Cidr, cidrContains } from '../addr/cidr.js';
import type { Ip } from '../addr/ip.js';
import { InternalError } from '../diag/diagnostic.js';
import type { Netns } from './netns.js';
import type { World } from './world.js';
import { noteNetnsChange } from './netns-changes.js';

/** Deferred work over a group of namespace names. */
export interface DeferredNetnsWork {
  /** The existing namespace the work writes into (the node's host namespace), if any. */
  readonly host?: string;
  /** Every address the work adds to `host` lies in one of these prefixes (ARP/ND answers, see the module comment). */
  readonly addressesIn: readonly Cidr[];
  /**
   * Runs the work; it must create every name added with {@link DeferredNetns.creates}, and in `host` it may add devices,
   * addresses, routes, rules and sysctls other than proxy_arp, but never change the state of a
   * device that exists before it runs (carrier, neighbour discovery peek at `host` as it stands).
   */
  readonly run: () => void;
}

/** What a peek at a namespace sees: the namespace, and whether its work is still pending. */
export interface NetnsPeek {
  readonly ns: Netns;
  /** Present while the work is pending: `ns` is the namespace before the work ran (read it, never write it). */
  readonly pending?: DeferredNetnsWork;
}

type NetnsMap = Readonly<Record<string, Netns>>;

/** The pending host namespaces of each world's map, by name (for peeking without running the work). */
const pendingHosts = new WeakMap<object, Map<string, { ns: Netns; work: DeferredNetnsWork }>>();
/** Maps that are views of another (the trace overlay): how they peek. */
const peekers = new WeakMap<object, (name: string) => NetnsPeek | undefined>();

/** A deferral: names the work will create are added to it where the eager build would create them. */
export interface DeferredNetns {
  /** A name the work creates (`ip netns add NAME`): in `world.netns` from now on, in this place of key order. */
  creates(name: string): void;
}

/**
 * Defers the rest of the namespace `name` until it is first read: `name` holds a namespace now
 * (the sandbox's shell, deferred-sandbox.ts), which peeks see as it stands while `run` is
 * pending; the first read sets `name` to nothing and runs `run`, which creates it afresh.
 */
export function deferReplacement(world: World, name: string, work: { readonly addressesIn: readonly Cidr[]; readonly run: () => void }): void {
  const shell = world.netns[name];
  if (shell === undefined || Object.getOwnPropertyDescriptor(world.netns, name)?.get !== undefined) throw new InternalError(`namespace ${name} is not there to defer`);
  deferHeld(world, shell, { host: name, addressesIn: work.addressesIn, run: work.run });
}

/**
 * {@link deferReplacement} of `pending.host`, whose data property the caller has read and found
 * to hold `shell` (deferred-sandbox.ts: a shell still queueing its work is one, as any read
 * through an accessor would have filled it); `pending` is kept as the peeks' work.
 */
export function deferHeld(world: World, shell: Netns, pending: DeferredNetnsWork & { readonly host: string }): void {
  const map = world.netns as Record<string, Netns>;
  const name = pending.host;
  let done = false;
  const settle = (): void => {
    if (done) return;
    done = true;
    noteNetnsChange(name);
    pendingHosts.get(map)?.delete(name);
    Object.defineProperty(map, name, { value: undefined, enumerable: true, configurable: true, writable: true });
    pending.run();
    if (emptySlot(map, name)) delete map[name];
  };
  let hosts = pendingHosts.get(map);
  if (hosts === undefined) pendingHosts.set(map, (hosts = new Map()));
  hosts.set(name, { ns: shell, work: pending });
  Object.defineProperty(map, name, accessor(map, name, settle));
}

/** Defers `work` until one of its names is first read from `world.netns` (see the module comment). */
export function deferNetns(world: World, work: DeferredNetnsWork): DeferredNetns {
  const map = world.netns as Record<string, Netns>;
  const creates: string[] = [];
  const hostNs = work.host === undefined ? undefined : map[work.host];
  let done = false;
  const settle = (): void => {
    if (done) return;
    done = true;
    // No longer pending: the ARP/ND port index looks at these names again (netns-changes.ts).
    if (work.host !== undefined) noteNetnsChange(work.host);
    for (const name of creates) noteNetnsChange(name);
    if (work.host !== undefined) {
      pendingHosts.get(map)?.delete(work.host);
      Object.defineProperty(map, work.host, { value: hostNs, enumerable: true, configurable: true, writable: true });
    }
    // Data properties in place (the key order stays the eager build's); addNetns fills them in.
    for (const name of creates) Object.defineProperty(map, name, { value: undefined, enumerable: true, configurable: true, writable: true });
    work.run();
    // By descriptor: the work may have left a name deferred again (a sandbox, deferred-sandbox.ts), which a read would run;
    // such a name is a pending host, which spares reading its descriptor (each allocates one).
    const hosts = pendingHosts.get(map);
    for (const name of creates) if (hosts?.has(name) !== true && emptySlot(map, name)) delete map[name];
  };
  if (work.host !== undefined && hostNs !== undefined) {
    let hosts = pendingHosts.get(map);
    if (hosts === undefined) pendingHosts.set(map, (hosts = new Map()));
    hosts.set(work.host, { ns: hostNs, work });
    Object.defineProperty(map, work.host, accessor(map, work.host, settle));
  }
  return {
    creates: (name: string): void => {
      if (done) throw new InternalError(`namespace ${name} added to a deferral that already ran`);
      creates.push(name);
      Object.defineProperty(map, name, accessor(map, name, settle));
    },
  };
}

/** The accessor that stands for `name` until `settle` has run the work behind it. */
function accessor(map: Record<string, Netns>, name: string, settle: () => void): PropertyDescriptor {
  return {
    enumerable: true,
    configurable: true,
    get: (): Netns | undefined => {
      settle();
      return map[name];
    },
    set: (v: Netns): void => {
      settle();
      map[name] = v;
    },
  };
}

/** Whether `name` of `map` is a data property holding nothing (a name the work did not create after all). */
function emptySlot(map: Record<string, Netns>, name: string): boolean {
  const d = Object.getOwnPropertyDescriptor(map, name);
  return d !== undefined && d.get === undefined && d.value === undefined;
}

/**
 * The namespace `name` of `all` without running deferred work on it: a pending host namespace
 * as it stands, with its work; anything else as `all[name]` gives it.
 */
export function peekDeferred(all: NetnsMap, name: string): NetnsPeek | undefined {
  const peek = peekers.get(all);
  if (peek !== undefined) return peek(name);
  const pending = pendingHosts.get(all)?.get(name);
  if (pending !== undefined) return { ns: pending.ns, pending: pending.work };
  const ns = all[name];
  return ns === undefined ? undefined : { ns };
}

/** The pending host namespace `name` of the world map `all` with its work, or undefined when there is none (reads nothing else). */
export function pendingPeek(all: NetnsMap, name: string): NetnsPeek | undefined {
  const pending = pendingHosts.get(all)?.get(name);
  return pending === undefined ? undefined : { ns: pending.ns, pending: pending.work };
}

/** Makes `view` (a map that reads through to another, the overlay's) answer {@link peekDeferred} with `peek`. */
export function registerNetnsPeek(view: object, peek: (name: string) => NetnsPeek | undefined): void {
  peekers.set(view, peek);
}

/** Whether an address `work` adds to its host namespace could be `ip`. */
export function mayOwn(work: DeferredNetnsWork, ip: Ip): boolean {
  return work.addressesIn.some((c) => c.addr.family === ip.family && cidrContains(c, ip));
}

/** Whether `name` of `world` still has deferred work (for tests and the bench). */
export function hasDeferredNetns(world: World, name: string): boolean {
  const d = Object.getOwnPropertyDescriptor(world.netns, name);
  return d !== undefined && d.get !== undefined;
}
