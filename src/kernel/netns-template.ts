/**
 * `ip netns add NAME` followed by `ip -n NAME link set lo up`, what kubelet's runtime does for
 * every pod sandbox, from a template: every such namespace holds the same state (`lo` up with
 * 127.0.0.1/8 and ::1, its local-table routes, the default rules, no sysctl written) whatever its
 * name, so it is built once, by the verbs themselves, and each sandbox gets a copy of it.
 *
 * The copy shares what never changes in place (the `Link`, `IfAddr`, `Route` and `FibRule`
 * values: every verb replaces them, kernel/index.ts) and has its own of everything a verb
 * mutates (the records and arrays holding them, the prefix index's arrays, netfilter, sockets,
 * counters). It is deep-equal to what the two verbs give (netns-template.property.test.ts); the
 * saving is the two verbs' work (an IPv6 /128 walks 128 levels of the prefix index) and most of
 * the allocation.
 */
import { InternalError } from '../diag/diagnostic.js';
import { CommandError } from './errors.js';
import { setLinkUp } from './link/link.js';
import type { Link } from './link/types.js';
import { createNetfilter } from './netfilter/index.js';
import type { Netns } from './netns.js';
import type { PrefixIndex, RouteTable } from './route/types.js';
import { emptySockets } from './socket.js';
import { type World, addNetns, createWorld, putNetns } from './world.js';

/** The namespace the two verbs make, built once (its name is replaced in each copy). */
let template: Netns | undefined;

function loopbackUpTemplate(): Netns {
  if (template !== undefined) return template;
  const w = createWorld();
  addNetns(w, 'template');
  setLinkUp(w, 'template', 'lo');
  const ns = w.netns['template'] as Netns;
  // The copy below knows this shape: say so if the verbs ever leave more behind.
  const ids = Object.keys(ns.tables).join();
  const layered = Object.values(ns.tables).some((t) => t.v4.under !== undefined || t.v6.under !== undefined);
  if (ids !== '253,254,255' || Object.keys(ns.links).join() !== 'lo' || layered || ns.neigh.length > 0 || ns.fdb.bridge.size > 0 || ns.fdb.vxlan.size > 0 || Object.keys(ns.sysctl).length > 0 || ns.netfilter.rulesets[4].tables.length > 0 || ns.sockets.list.length > 0) {
    throw new InternalError('the loopback-up namespace template has state its copy does not copy');
  }
  template = ns;
  return ns;
}

function copyIndex(ix: PrefixIndex): PrefixIndex {
  const routes: PrefixIndex['routes'] = new Array(ix.routes.length);
  for (let i = 0; i < ix.routes.length; i++) {
    const bucket = ix.routes[i];
    routes[i] = bucket === undefined ? undefined : bucket.slice();
  }
  return { family: ix.family, child: ix.child.slice(), routes, len: ix.len.slice(), key: ix.key.slice(), size: ix.size };
}

function copyTables(tables: Netns['tables']): Netns['tables'] {
  // An object literal of the kernel's three ids, as route/table.ts kernelTables makes it (V8 keeps a small dictionary).
  const t = (id: number): RouteTable => {
    const x = tables[id] as RouteTable;
    return { id: x.id, v4: copyIndex(x.v4), v6: copyIndex(x.v6) };
  };
  return { 253: t(253), 254: t(254), 255: t(255) };
}

/** `ip netns add NAME` + `ip -n NAME link set lo up`, as the two verbs do them (see the module comment). */
export function addNetnsLoopbackUp(world: World, name: string): Netns {
  if (world.netns[name] !== undefined) throw new CommandError(`ip netns add ${name}`, `Cannot create namespace file "/var/run/netns/${name}": File exists`);
  const t = loopbackUpTemplate();
  // A new record of the same device (no index to keep: link-index.ts indexes only larger
  // namespaces), as a literal: a pod's few device names are the same in every pod, so it keeps V8's fast properties.
  const links: Record<string, Link> = { lo: t.links['lo'] as Link };
  const ns: Netns = {
    name,
    hidden: false,
    links,
    fdb: { bridge: new Map(), vxlan: new Map() },
    addrs: t.addrs.slice(),
    neigh: [],
    tables: copyTables(t.tables),
    rules: { 4: t.rules[4].slice(), 6: t.rules[6].slice() },
    sysctl: {},
    netfilter: createNetfilter(),
    sockets: emptySockets(),
    counters: { ifindex: t.counters.ifindex, seq: t.counters.seq },
  };
  putNetns(world, name, ns);
  return ns;
}
