/**
 * Pod sandboxes filled when first read. A node's first read runs its pods' CNI ADDs
 * (cluster/assemble/lazy-pods.ts); most of an ADD's work lies inside the pod's own namespace
 * (its `lo`, the address, routes and IPv6 autoconfiguration of `eth0`, the sysctls, the pod's
 * sockets), which nothing outside the pod reads but the state of `eth0` (carrier, deferred-netns
 * peeks). So the runtime may give a sandbox a *shell*: a bare namespace (`ip netns add` without
 * `lo`) into which the plugin's ADD creates `eth0` and sets it up (link.ts setShellLinkUp: no
 * autoconfiguration inside the shell), so that the host end of the veth gains carrier (and its
 * link-local address, its sequence numbers) at the same point of the host's history. Everything the ADD does inside the pod is queued instead
 * ({@link inSandboxLater}), and {@link deferSandbox} hands the queue to deferred-netns.ts: the
 * first read of the pod's namespace drops the shell and runs the queue on a namespace created
 * afresh, which gives the pod what the eager ADD gave it (the pod's history is its own: its
 * ifindexes and sequence numbers start where `ip netns add` starts them).
 *
 * Sound when the queued work reads nothing outside the pod that can have changed since, and
 * changes nothing outside it: `eth0`'s carrier comes from its host end, which is up from the ADD
 * on, and coming up again gives the host nothing new (its end has its link-local address). Any
 * verb that touches the pod through the veth reads the pod's name first, which runs the queue.
 */
import type { Cidr } from '../addr/cidr.js';
import { InternalError } from '../diag/diagnostic.js';
import { type NetfilterState, createNetfilter } from './netfilter/state.js';
import { emptyIndex } from './route/prefix-index.js';
import { TABLE_LOCAL } from './route/types.js';
import { emptySockets } from './socket.js';
import { deferHeld } from './deferred-netns.js';
import type { Netns } from './netns.js';
import { linkLocalOf } from './link/carrier.js';
import { autoconfigures } from './link/link-index.js';
import type { Link } from './link/types.js';
import { type World, putNetns } from './world.js';

/**
 * Every shell's routing tables: the local table, empty, which ARP/ND reads in a peek and nothing
 * writes (no device of a shell holds an address or a route until the fill, which starts afresh).
 * One set shared by every shell, frozen so that a write would throw rather than reach the others
 * (ten arrays a shell were a fifth of its cost).
 */
const SHELL_TABLES: Netns['tables'] = deepFreeze({ 255: { id: TABLE_LOCAL, v4: emptyIndex(4), v6: emptyIndex(6) } });

function deepFreeze<T extends object>(o: T): T {
  for (const v of Object.values(o)) if (typeof v === 'object' && v !== null) deepFreeze(v as object);
  return Object.freeze(o);
}

/**
 * A sandbox shell (see {@link addSandboxShell}). A class, not an object literal: a literal with
 * a getter made a closure and an accessor per shell (half of a shell's cost, 30 shells a node
 * read), where the class's `netfilter` getter lives once on its prototype. So `netfilter` (and
 * `fdb`, `neigh`, `rules`, `sysctl`, `sockets`, made when first read) are not own keys of a shell; nothing enumerates, spreads or clones a shell (a read of its name
 * fills it first, and peeks read `links` and `addrs`).
 */
class SandboxShell implements Netns {
  readonly name: string;
  readonly hidden = false;
  readonly links: Record<string, Link> = {};
  readonly addrs: Netns['addrs'] = [];
  readonly tables: Netns['tables'] = SHELL_TABLES;
  readonly counters = { ifindex: 2, seq: 1 };
  // What the ADD neither reads nor writes in a shell, made when first asked for (the FDB's two
  // Maps and the rest were a third of a shell); a setter, as cow.ts gives a fork its own copy.
  #fdb: Netns['fdb'] | undefined;
  #neigh: Netns['neigh'] | undefined;
  #rules: Netns['rules'] | undefined;
  #sysctl: Record<string, string> | undefined;
  #sockets: Netns['sockets'] | undefined;
  #netfilter: NetfilterState | undefined;
  /**
   * The work queued for the shell, in the order the eager build does it, until
   * {@link deferSandbox} takes it (on the shell, not in a Map keyed by shells: four lookups a pod).
   */
  #queue: Array<() => void> | undefined = [];
  constructor(name: string) {
    this.name = name;
  }
  /** The queue while the shell is not yet deferred (a method: no own key, as a shell has no other). */
  queued(): Array<() => void> | undefined {
    return this.#queue;
  }
  /** Takes the queue: from now on the shell queues nothing. */
  takeQueue(): Array<() => void> | undefined {
    const q = this.#queue;
    this.#queue = undefined;
    return q;
  }
  get fdb(): Netns['fdb'] {
    return (this.#fdb ??= { bridge: new Map(), vxlan: new Map() });
  }
  set fdb(v: Netns['fdb']) {
    this.#fdb = v;
  }
  get neigh(): Netns['neigh'] {
    return (this.#neigh ??= []);
  }
  set neigh(v: Netns['neigh']) {
    this.#neigh = v;
  }
  get rules(): Netns['rules'] {
    return (this.#rules ??= { 4: [], 6: [] });
  }
  set rules(v: Netns['rules']) {
    this.#rules = v;
  }
  get sysctl(): Record<string, string> {
    return (this.#sysctl ??= {});
  }
  set sysctl(v: Record<string, string>) {
    this.#sysctl = v;
  }
  get sockets(): Netns['sockets'] {
    return (this.#sockets ??= emptySockets());
  }
  set sockets(v: Netns['sockets']) {
    this.#sockets = v;
  }
  get netfilter(): NetfilterState {
    return (this.#netfilter ??= createNetfilter());
  }
}

/**
 * `ip netns add NAME` as a shell for a sandbox filled later (see the module comment): no `lo`,
 * but its ifindex taken, so that `eth0` gets the index the filled namespace gives it. Only what
 * the ADD and the peeks read is made (the local table, which ARP/ND asks); the rest is made
 * when asked for, which they never do.
 */
export function addSandboxShell(world: World, name: string): Netns {
  if (world.netns[name] !== undefined) throw new InternalError(`sandbox shell ${name}: the namespace exists`);
  const ns = new SandboxShell(name);
  putNetns(world, name, ns);
  return ns;
}

/**
 * Queues `work` for when the sandbox `name` is filled and says true, when `name` is a shell;
 * says false (the caller does the work now) otherwise.
 */
export function inSandboxLater(world: World, name: string, work: () => void): boolean {
  const ns = world.netns[name];
  const queue = ns instanceof SandboxShell ? ns.queued() : undefined;
  if (queue === undefined) return false;
  queue.push(work);
  return true;
}

/** Whether `name` is a sandbox shell still queueing its work ({@link inSandboxLater} would queue). */
export function isOpenShell(world: World, name: string): boolean {
  const ns = world.netns[name];
  return ns instanceof SandboxShell && ns.queued() !== undefined;
}

/**
 * The shell `name` is complete: its first read from now on fills the sandbox. `addressesIn`
 * holds every address the filled namespace answers ARP/ND for (neigh.ts reads the shell until
 * then), but the link-local addresses of the shell's devices, which this appends to it: the
 * sandbox keeps the array, which the caller makes for it.
 */
export function deferSandbox(world: World, name: string, addressesIn: Cidr[]): void {
  const shell = world.netns[name];
  const queue = shell instanceof SandboxShell ? shell.takeQueue() : undefined;
  if (shell === undefined || queue === undefined) throw new InternalError(`sandbox ${name} has no shell`);
  // Its devices came up without their autoconfiguration (link.ts setShellLinkUp): the fill gives them their link-local addresses.
  for (const dev in shell.links) {
    const link = shell.links[dev] as Link;
    if (autoconfigures(link)) addressesIn.push({ addr: linkLocalOf(link.mac), prefix: 128 });
  }
  // Read from its data property: a shell still queueing was never behind an accessor (a read through one fills it).
  deferHeld(world, shell, {
    host: name,
    addressesIn,
    run: () => {
      for (const work of queue) work();
    },
  });
}
