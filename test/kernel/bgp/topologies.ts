/**
 * The topologies of the BIRD differential test, on one underlay: rack-1 192.168.1.0/24 and
 * rack-2 192.168.2.0/24 behind a router `tor` (.1 on both, `br1`/`br2`), every node with
 * `eth0` and `default via` its rack's router address. The router runs BIRD only where it is a
 * speaker (ToR peering). Speakers are written by hand (test/helpers/bird-speakers.ts) until
 * the scenarios give BuiltCluster.bgp.
 */
import type { BgpSpeakerConfig } from '../../../src/bgp/types.js';
import { type NodeSpec, RACK_NODES, meshSpeakers, rrSpeakers, torNodeSpeakers, torSpeaker } from '../../helpers/bird-speakers.js';

export const RACKS = [
  { bridge: 'br1', cidr: '192.168.1.0/24', router: '192.168.1.1' },
  { bridge: 'br2', cidr: '192.168.2.0/24', router: '192.168.2.1' },
] as const;

export interface BirdTopology {
  /** Short key, part of namespace names (`nsBG-<pid>-<key>-node-1`). */
  readonly key: string;
  readonly title: string;
  readonly nodes: readonly NodeSpec[];
  readonly speakers: readonly BgpSpeakerConfig[];
  /** The node whose eth0 goes down in the failure step. */
  readonly failLink: string;
  /** Routes netsim sends through tunl0 (IPIP) cannot be checked: this kernel has no ipip module. */
  readonly tunnel: boolean;
}

const ROUTER_IPS = RACKS.map((r) => r.router);

const RR_NODES: readonly NodeSpec[] = [
  { name: 'node-1', address: '192.168.1.11/24', blocks: ['10.244.1.0/26'], rrClusterId: '244.0.0.1' },
  { name: 'node-2', address: '192.168.2.12/24', blocks: ['10.244.2.0/26'], rrClusterId: '244.0.0.1' },
  { name: 'node-3', address: '192.168.1.13/24', blocks: ['10.244.3.0/26'] },
  { name: 'node-4', address: '192.168.2.14/24', blocks: ['10.244.4.0/26'] },
  { name: 'node-5', address: '192.168.1.15/24', blocks: ['10.244.5.0/26', '10.244.5.64/26'] },
];

export const TOPOLOGIES: readonly BirdTopology[] = [
  { key: 'm', title: '3-node full mesh', nodes: RACK_NODES, speakers: meshSpeakers(RACK_NODES), failLink: 'node-3', tunnel: false },
  { key: 'r', title: '5 nodes, 2 route reflectors (mesh off)', nodes: RR_NODES, speakers: rrSpeakers(RR_NODES), failLink: 'node-1', tunnel: false },
  {
    key: 't',
    title: 'two racks, eBGP to the ToR, mesh off',
    nodes: RACK_NODES,
    speakers: [...torNodeSpeakers(RACK_NODES, ROUTER_IPS, 65001), torSpeaker('tor', ROUTER_IPS, 65001, RACK_NODES)],
    failLink: 'node-2',
    tunnel: false,
  },
  {
    key: 'x',
    title: 'IPIP CrossSubnet mesh',
    nodes: RACK_NODES.map((n) => ({ ...n, ipip: 'cross-subnet' as const })),
    speakers: meshSpeakers(RACK_NODES.map((n) => ({ ...n, ipip: 'cross-subnet' as const }))),
    failLink: 'node-1',
    tunnel: true,
  },
];

/** The rack of a node address (`192.168.2.13/24` → rack-2). */
export function rackOf(address: string): (typeof RACKS)[number] {
  const rack = RACKS.find((r) => address.startsWith(r.cidr.split('.').slice(0, 3).join('.') + '.'));
  if (rack === undefined) throw new Error(`no rack for ${address}`);
  return rack;
}
