/**
 * Layer `kernel`: the Linux datapath model of every network namespace in the simulation.
 *
 * Owns: namespaces (`world.ts`, `netns.ts`), devices (`link/`: loopback, veth, bridge + FDB,
 * dummy, vxlan, ipip; carrier and IPv6 autoconfiguration), addresses and the routes the kernel
 * derives from them (`addr.ts`; an IPv6 router's subnet-router anycast routes, `anycast.ts`), the neighbour cache and ARP/ND resolution (`neigh.ts`), routing
 * tables, longest-prefix match and policy rules (`route/`), sysctls (`sysctl.ts`), the nodes'
 * shared L2 (`segment.ts`), netfilter (`netfilter/`), the order in which a namespace processes a
 * packet (`stack/`, one `step()` per namespace) and the text of `ip addr|route|rule|neigh` and
 * `bridge fdb` (`text/`).
 *
 * May import `addr`, `packet`, `sim`, `diag`. Invariants: state is plain data (structured-
 * cloneable; Records, arrays and Maps only); verbs are named after the command they mirror and
 * throw {@link CommandError} with the tool's own message when the command would fail; `step()`
 * never throws for a packet (what the network does is a StepResult) and never leaves the
 * namespace it executes, so loops are the tracer's to detect.
 *
 * Not modelled (yet): FDB ageing, VXLAN over IPv6 underlays beyond the header, GRE/WireGuard,
 * neighbour timers (entries never age), ECMP/multipath routes, VLANs, IPv6 neighbour proxying,
 * ICMP errors sent back, sockets (local delivery assumes a listener), tc/qdiscs.
 */
export { CommandError } from './errors.js';
export { type World, addNetns, createWorld, delNetns, getNetns } from './world.js';
export { type IfAddr, type NeighEntry, type NeighState, type Netns, linksByIndex } from './netns.js';
export { type AddrSpec, addAddress, addrType, delAddress, devAddrs, selectSourceAddress } from './addr.js';
export type { Bridge, Dummy, FdbEntry, FdbTable, Ipip, Link, LinkKind, Loopback, Veth, Vxlan, VxlanFdbEntry } from './link/types.js';
export { type LinkOpts, addBridge, addDummy, addIpip, addVeth, addVxlan, getLink, setLinkDown, setLinkUp } from './link/link.js';
export { bridgePorts, delLink, setHairpin, setMac, setMaster, setMtu, setNetns, setNoMaster } from './link/port.js';
export { addFdbEntry, addVxlanFdbEntry, bridgeFdb, delFdbEntry, fdbEntries, fdbLookup, getBridge, vxlanFdb } from './link/fdb.js';
export { hasCarrier, linkLocalOf } from './link/carrier.js';
export { SEGMENT_BRIDGE, addSegment, attachToSegment } from './segment.js';
export { type NeighResult, addNeigh, delNeigh, findNeigh, resolveNeigh } from './neigh.js';
export { bridgeNfCall, forwarding, getSysctl, proxyArp, routeLocalnet, rpFilter, setSysctl } from './sysctl.js';
export * from './route/types.js';
export { type RouteSpec, addRoute, delRoute, getTable, lookupTable, replaceRoute, tableRoutes } from './route/table.js';
export { type FlowKey, type RuleSpec, addRule, defaultRules, delRule } from './route/rule.js';
export { type FibResult, fibLookup } from './route/fib.js';
export { type Location, type StepEnv, type StepResult, step } from './stack/step.js';
export { describeOuter } from './stack/tunnel.js';
export { renderIpAddr, renderLinkAddrs } from './text/addr.js';
export { renderIpRoute, routeLine, sortedRoutes, type TableSelector } from './text/route.js';
export { renderIpRule, ruleLine } from './text/rule.js';
export { renderIpNeigh, neighLine } from './text/neigh.js';
export { fdbLine, renderBridgeFdb, renderFdbByDevice, renderVxlanFdb } from './text/fdb.js';
export { DUMP_FILES, type ImportedNode, type ImportOptions, type NodeDumpFiles, importNodeDump } from './import/node-dump.js';
export { renderVxlanDetails } from './text/link.js';
export { type RouteGetAnswer, type RouteGetQuery, routeGet } from './text/route-get.js';
