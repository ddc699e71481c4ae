/**
 * The edges of the cluster view that come from the model itself: veth pairs, bridge ports,
 * tunnel devices on their underlay, the node network's ports, and Services to their endpoints.
 * Drawn from the links, not from what a CNI is known to build, so overlays need no rewrite.
 */
import type { Link } from '../../kernel/link/types.js';
import { linksByIndex } from '../../kernel/netns.js';
import { type ClusterPicture, anchorOf, endpointTargets, ids } from './cluster-model.js';
import { edgeStmt, nodeStmt } from './dot.js';
import { tunnelEdges } from './tunnels.js';

const WIRE = { dir: 'none', color: '#555555' } as const;

/** Veth pairs, bridge ports and tunnel underlays inside and out of each node, and the node network's ports. */
export function wiring(pic: ClusterPicture): string[] {
  const out: string[] = [];
  for (const n of pic.nodes) {
    const uplink = n.links.find((l) => l.kind === 'veth' && pic.built.owners[l.peer.ns]?.kind === 'segment');
    for (const l of n.links) {
      const self = ids.dev(n.name, l.name);
      if (l.master !== undefined) out.push(edgeStmt(self, ids.dev(n.name, l.master), { ...WIRE, tooltip: `${l.name} is a port of ${l.master}` }));
      if (l.kind === 'veth' && pic.built.owners[l.peer.ns]?.kind === 'pod') {
        const pod = anchorOf(pic, l.peer.ns, l.peer.dev);
        if (pod !== undefined) out.push(edgeStmt(pod, self, { ...WIRE, tooltip: `veth pair: ${l.peer.dev} in ${l.peer.ns} ⇄ ${l.name}` }));
      }
      const underlay = tunnelUnderlay(l);
      if (underlay !== undefined) out.push(edgeStmt(self, ids.dev(n.name, underlay), { ...WIRE, style: 'dashed', label: 'underlay' }));
      // Devices that route rather than switch (bridges, tunnels, dummies) sit left of the uplink.
      if (uplink !== undefined && l !== uplink && l.kind !== 'veth' && l.master === undefined && underlay === undefined) {
        out.push(edgeStmt(self, ids.dev(n.name, uplink.name), { style: 'invis' }));
      }
    }
  }
  out.push(...segmentPorts(pic), ...tunnelEdges(pic));
  return out;
}

/** The device a vxlan/ipip tunnel sends its outer packets through, when it names one. */
function tunnelUnderlay(l: Link): string | undefined {
  return (l.kind === 'vxlan' || l.kind === 'ipip') && l.dev !== undefined ? l.dev : undefined;
}

/** Each port of the node network's bridge, drawn from the device at its other end. */
function segmentPorts(pic: ClusterPicture): string[] {
  const out: string[] = [];
  for (const [name, owner] of Object.entries(pic.built.owners)) {
    if (owner.kind !== 'segment') continue;
    const ns = pic.built.world.netns[name];
    if (ns === undefined) continue;
    for (const l of linksByIndex(ns)) {
      if (l.kind !== 'veth') continue;
      const far = anchorOf(pic, l.peer.ns, l.peer.dev);
      if (far === undefined) continue;
      const tip = { ...WIRE, tooltip: `${l.peer.dev} in ${l.peer.ns} ⇄ ${l.name} on ${l.master ?? name}` };
      // Gateways and routers sit to the right of the wire, the nodes to its left.
      const kind = pic.built.owners[l.peer.ns]?.kind;
      out.push(kind === 'gateway' || kind === 'router' ? edgeStmt(ids.segment(name), far, tip) : edgeStmt(far, ids.segment(name), tip));
    }
  }
  return out;
}

/** Dashed edges from each Service to its endpoints; endpoints outside the cluster get a box of their own. */
export function serviceEdges(pic: ClusterPicture): string[] {
  const out: string[] = [];
  const external = new Set<string>();
  for (const s of pic.built.spec.services) {
    for (const target of endpointTargets(pic, s.namespace, s.name)) {
      if (target.startsWith('ext:')) external.add(target);
      out.push(edgeStmt(ids.service(s.namespace, s.name), target, { style: 'dashed', color: '#888888', tooltip: `endpoint of ${s.namespace}/${s.name}` }));
    }
  }
  const boxes = [...external].sort().map((id) => nodeStmt(id, { label: `${id.slice(4)}\noutside the cluster`, style: 'dashed' }));
  return [...boxes, ...out];
}
