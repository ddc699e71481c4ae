/**
 * The BGP views as functions of a built cluster: `netsim show NODE bgp`, `netsim bgp
 * timeline` and `netsim diagram --view bgp`. The cluster layer ran the simulation
 * (`BuiltCluster.bgp`); this file finds the speaker, resolves BGP next hops through the
 * speaker's kernel routing table (as BIRD's `gateway recursive` does through its own table)
 * and hands plain data to the renderers.
 */
import type { Ip } from '../addr/ip.js';
import type { BuiltBgp, BuiltCluster } from '../cluster/assemble/cluster.js';
import { TABLE_MAIN, lookupTable } from '../kernel/index.js';
import type { Netns } from '../kernel/netns.js';
import { bgpShowText } from '../render/bgp-show.js';
import { type BgpTimelineJson, bgpTimelineJson, bgpTimelineText } from '../render/bgp-timeline.js';
import type { NextHopResolution, NextHopResolver } from '../render/birdc-route.js';
import { bgpDot } from '../render/dot/bgp.js';

/** Why a BGP view has nothing to show, in the words the CLI prints. */
export const NO_BGP = "the scenario runs no BGP: BGP speakers are Calico nodes with BIRD (cni calico, BGP networking) and underlay routers with a bgp: section";

/**
 * BIRD's hostentry resolution of a next hop, read from the kernel's main table (what BIRD's
 * table holds: `direct1`'s connected networks, `kernel1`'s learned routes): the longest match
 * among unicast routes BIRD did not write itself (a recursive route never resolves through
 * another BGP route). A connected network (no gateway) has IGP metric 0; a route via a gateway
 * was learned from the kernel, whose metric BIRD does not know.
 */
export function kernelResolver(ns: Netns | undefined): NextHopResolver {
  return (hop: Ip): NextHopResolution | undefined => {
    if (ns === undefined) return undefined;
    const r = lookupTable(ns, TABLE_MAIN, hop, (x) => x.type === 'unicast' && x.proto !== 'bird' && x.dev !== undefined);
    if (r?.dev === undefined) return undefined;
    return r.via === undefined ? { dev: r.dev, igpMetric: 0 } : { dev: r.dev, gateway: r.via };
  };
}

/** The speakers' names, for messages. */
function speakerNames(bgp: BuiltBgp): string {
  return bgp.speakers.map((s) => s.name).join(', ');
}

/** `netsim show NAME bgp`: calicoctl node status and birdcl's views on a node, birdc's on a router. */
export function showBgp(built: BuiltCluster, name: string): { readonly text: string } | { readonly problem: string } {
  const bgp = built.bgp;
  if (bgp === undefined) return { problem: NO_BGP };
  const view = bgp.result.speakers[name];
  const config = bgp.speakers.find((s) => s.name === name);
  if (view === undefined) return { problem: `${name} runs no BGP speaker (speakers: ${speakerNames(bgp)})` };
  const speaker = { view, now: bgp.result.time, ...(config !== undefined ? { config } : {}) };
  return { text: bgpShowText(speaker, kernelResolver(built.world.netns[name])) };
}

/** `netsim bgp timeline`: the simulation's events as text or JSON. */
export function bgpTimeline(built: BuiltCluster, output: 'text' | 'json'): { readonly text: string } | { readonly problem: string } {
  if (built.bgp === undefined) return { problem: NO_BGP };
  if (output === 'text') return { text: bgpTimelineText(built.bgp.result) };
  const json: BgpTimelineJson = bgpTimelineJson(built.bgp.result);
  return { text: `${JSON.stringify(json, null, 2)}\n` };
}

/** `netsim diagram --view bgp`: the speakers and sessions as DOT. */
export function bgpDiagram(built: BuiltCluster): { readonly dot: string } | { readonly problem: string } {
  if (built.bgp === undefined) return { problem: NO_BGP };
  return { dot: bgpDot(built.bgp, `BGP sessions of cluster ${built.spec.cluster.name}`) };
}
