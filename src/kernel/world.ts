/**
 * The world: every network namespace of the simulated cluster (nodes, pods, and hidden
 * infrastructure such as L2 segments), as plain data. `step()` (stack/) moves a packet through
 * one namespace of it.
 */
import { CommandError } from './errors.js';
import { syncCarrier } from './link/carrier.js';
import { addLoopback } from './link/loopback.js';
import { forget } from './link/port.js';
import { type Netns, emptyNetns } from './netns.js';
import { defaultRules } from './route/rule.js';
import { kernelTables } from './route/table.js';
import { noteNetnsChange } from './netns-changes.js';

/** All namespaces, by name. */
export interface World {
  readonly netns: Record<string, Netns>;
}

/** An empty world. */
export function createWorld(): World {
  return { netns: {} };
}

/**
 * `ip netns add NAME`: a namespace with `lo` (down, as in a fresh namespace), the kernel's
 * default rules and empty local, main and default tables. `hidden` marks infrastructure the
 * user did not create (segments); renderers show links into it as plain Ethernet devices.
 */
export function addNetns(world: World, name: string, opts: { hidden?: boolean } = {}): Netns {
  if (world.netns[name] !== undefined) throw new CommandError(`ip netns add ${name}`, `Cannot create namespace file "/var/run/netns/${name}": File exists`);
  const ns = emptyNetns(name, opts.hidden ?? false, kernelTables());
  ns.rules[4].push(...defaultRules(4));
  ns.rules[6].push(...defaultRules(6));
  addLoopback(ns);
  world.netns[name] = ns;
  noteNetnsChange(name);
  return ns;
}

/**
 * `world.netns[name] = ns`: a namespace put in place whole, either a new one copied from a
 * template (netns-template.ts) or a replacement (a deep copy of its own, which an overlay's
 * caller makes before reconfiguring it, overlay.ts). Noted for the ARP/ND port index.
 */
export function putNetns(world: World, name: string, ns: Netns): void {
  world.netns[name] = ns;
  noteNetnsChange(name);
}

/** The namespace called `name`; a CommandError like `ip -n NAME` gives when it does not exist. */
export function getNetns(world: World, name: string): Netns {
  const ns = world.netns[name];
  if (ns === undefined) throw new CommandError(`ip -n ${name}`, `Cannot open network namespace "${name}": No such file or directory`);
  return ns;
}

/**
 * `ip netns del NAME`: the namespace goes, and with it the veth ends inside it, which destroys
 * their peers in other namespaces too (a veth pair dies as a whole); bridges there may lose carrier.
 */
export function delNetns(world: World, name: string): void {
  const ns = getNetns(world, name);
  const touched: string[] = [];
  for (const link of Object.values(ns.links)) {
    if (link.kind !== 'veth' || link.peer.ns === name) continue;
    const other = world.netns[link.peer.ns];
    if (other !== undefined) forget(other, link.peer.dev);
    touched.push(link.peer.ns);
  }
  delete world.netns[name];
  noteNetnsChange(name);
  syncCarrier(world.netns, touched);
}
