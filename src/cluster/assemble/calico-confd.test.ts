import { describe, expect, it } from 'vitest';
import { cidr, formatCidr } from '../../addr/cidr.js';
import { formatIp, ip } from '../../addr/ip.js';
import type { BgpPeerConfig, BgpSpeakerConfig } from '../../bgp/types.js';
import type { CalicoIpamView } from '../../cni/calico/ipam/view.js';
import { vethNameForWorkload } from '../../cni/calico/names.js';
import { hasErrors } from '../../diag/diagnostic.js';
import { loadScenario } from '../../scenario/load.js';
import type { ClusterSpec } from '../objects.js';
import { calicoBgpSpeakers } from './calico-confd.js';
import { hashToIPv4 } from './calico-confd-nodes.js';

const CLUSTER = (nodes: string, extra = ''): string =>
  `apiVersion: netsim.dev/v1alpha1\nkind: Cluster\nmetadata: {name: t}\nspec:\n  cni: {type: calico}\n${extra}  nodes: ${nodes}\n`;
const doc = (kind: string, name: string, body: string, labels = ''): string =>
  `---\napiVersion: projectcalico.org/v3\nkind: ${kind}\nmetadata: {name: ${name}${labels}}\n${body}`;

function load(text: string): ClusterSpec {
  const { value, diagnostics } = loadScenario([{ path: 's.yaml', text }]);
  if (value === undefined || hasErrors(diagnostics)) throw new Error(diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return value;
}

function speakers(spec: ClusterSpec, view: CalicoIpamView = { blocks: [] }): BgpSpeakerConfig[] {
  const cfg = spec.cluster.cni;
  if (cfg.type !== 'calico') throw new Error('not calico');
  return calicoBgpSpeakers({ cluster: spec.cluster, cfg, nodes: spec.nodes, view });
}

/** A session as one line: name, peer, AS pair, and the flags that are on. */
const line = (p: BgpPeerConfig): string =>
  [p.protocol, `${formatIp(p.peerIp)} as ${p.peerAs}`, `local ${p.localAs}`, p.sourceAddress === undefined ? 'no-source' : `src ${formatIp(p.sourceAddress)}`,
    ...(p.passive ? ['passive'] : []), ...(p.rrClient ? ['rr-client'] : []), ...(p.nextHopKeep ? ['nh-keep'] : []), ...(p.nextHopSelf ? ['nh-self'] : []),
    ...(p.multihop ? ['multihop'] : []), `gr ${p.restartTime}`, `hold ${p.holdTime}/${p.keepaliveTime}`].join(' ');
const sessions = (all: BgpSpeakerConfig[], name: string): string[] => (all.find((s) => s.name === name)?.peers ?? []).map(line);

describe('the node-to-node mesh', () => {
  const spec = load(CLUSTER('[{name: n1}, {name: n2}, {name: n3}]'));
  const view: CalicoIpamView = {
    blocks: [
      { cidr: cidr('10.244.0.0/26'), pool: 'default-ipv4-ippool', node: 'n1', allocations: [{ ip: ip('10.244.0.1'), node: 'n1', handle: 'k8s-pod-network.a', pod: 'default/a' }, { ip: ip('10.244.0.2'), node: 'n2', handle: 'k8s-pod-network.b', pod: 'default/b' }] },
      { cidr: cidr('10.244.0.64/26'), pool: 'default-ipv4-ippool', node: 'n2', allocations: [] },
      { cidr: cidr('10.244.0.128/26'), pool: 'default-ipv4-ippool', node: 'n3', allocations: [] },
    ],
  };
  const all = speakers(spec, view);

  it('one speaker per node, router id = node IP, AS 64512', () => {
    expect(all.map((s) => `${s.name} ${s.kind} ${formatIp(s.routerId)} ${s.asNumber} ${s.addresses.map(formatIp).join(',')}`)).toEqual([
      'n1 node 192.168.56.11 64512 192.168.56.11', 'n2 node 192.168.56.12 64512 192.168.56.12', 'n3 node 192.168.56.13 64512 192.168.56.13',
    ]);
  });

  it('Mesh_<ip> to every other node; the side whose peer IP is lexically greater is passive', () => {
    expect(sessions(all, 'n1')).toEqual([
      'Mesh_192_168_56_12 192.168.56.12 as 64512 local 64512 src 192.168.56.11 passive multihop gr 120 hold 240/80',
      'Mesh_192_168_56_13 192.168.56.13 as 64512 local 64512 src 192.168.56.11 passive multihop gr 120 hold 240/80',
    ]);
    expect(sessions(all, 'n3')).toEqual([
      'Mesh_192_168_56_11 192.168.56.11 as 64512 local 64512 src 192.168.56.13 multihop gr 120 hold 240/80',
      'Mesh_192_168_56_12 192.168.56.12 as 64512 local 64512 src 192.168.56.13 multihop gr 120 hold 240/80',
    ]);
    // Exactly one side of each pair is passive.
    for (const s of all) for (const p of s.peers) {
      const back = all.find((o) => o.addresses.some((a) => formatIp(a) === formatIp(p.peerIp)))?.peers.find((q) => formatIp(q.peerIp) === formatIp(s.addresses[0]!));
      expect(p.passive !== back?.passive, `${s.name} ${p.protocol}`).toBe(true);
    }
  });

  it('the passive rule compares text, as Go templates do: 10.0.0.9 is "greater" than 10.0.0.10', () => {
    const s = speakers(load(CLUSTER('[{name: a, internalIP: 192.168.56.9}, {name: b, internalIP: 192.168.56.10}]')));
    expect(s[0]?.peers[0]?.passive).toBe(false); // a (…9) to b (…10): "…10" < "…9"
    expect(s[1]?.peers[0]?.passive).toBe(true);
  });

  it('originates its blocks as static1 blackholes and its pods as kernel1 routes', () => {
    const n1 = all.find((s) => s.name === 'n1');
    expect(n1?.originate.map((o) => `${formatCidr(o.prefix)} ${o.protocol}${o.blackhole ? ' blackhole' : ''}${o.dev === undefined ? '' : ` dev ${o.dev}`}`)).toEqual([
      '10.244.0.0/26 static1 blackhole', `10.244.0.1/32 kernel1 dev ${vethNameForWorkload('default', 'a')}`,
    ]);
    expect(all.find((s) => s.name === 'n2')?.originate.map((o) => formatCidr(o.prefix))).toEqual(['10.244.0.64/26', '10.244.0.2/32']);
  });

  it('export filter: own block exactly, nothing inside it, anything else in a pool (so a borrowed /32 leaves)', () => {
    const rules = (name: string) => all.find((s) => s.name === name)?.exportRules.map((r) => `${r.match} ${formatCidr(r.cidr)} ${r.action}`);
    expect(rules('n1')).toEqual(['exact 10.244.0.0/26 accept', 'within 10.244.0.0/26 reject', 'within 10.244.0.0/16 accept']);
    expect(rules('n2')).toEqual(['exact 10.244.0.64/26 accept', 'within 10.244.0.64/26 reject', 'within 10.244.0.0/16 accept']);
  });

  it('kernel filter: the default pool is IPIP Always, so tunl0', () => {
    expect(all[0]?.kernelRules).toEqual([{ cidr: cidr('10.244.0.0/16'), action: 'accept', tunnel: 'always', tunnelDev: 'tunl0' }]);
  });

  it('CrossSubnet carries the node subnet; VXLAN pools are rejected; Service ranges are originated, exported, never programmed', () => {
    const text = CLUSTER('[{name: n1}, {name: n2}]') + doc('IPPool', 'a', 'spec: {cidr: 10.244.0.0/17, ipipMode: CrossSubnet}\n') + doc('IPPool', 'b', 'spec: {cidr: 10.244.128.0/17, vxlanMode: Always}\n')
      + doc('BGPConfiguration', 'default', 'spec: {serviceClusterIPs: [{cidr: 10.96.0.0/12}], nodeMeshMaxRestartTime: 5m}\n');
    const [n1] = speakers(load(text));
    expect(n1?.kernelRules.map((r) => `${formatCidr(r.cidr)} ${r.action} ${r.tunnel}${r.localSubnet === undefined ? '' : ` ${formatCidr(r.localSubnet)}`}`)).toEqual([
      '10.96.0.0/12 reject never', '10.244.0.0/17 accept cross-subnet 192.168.56.0/24', '10.244.128.0/17 reject never',
    ]);
    expect(n1?.originate.map((o) => `${formatCidr(o.prefix)} ${o.protocol}`)).toEqual(['10.96.0.0/12 static1']);
    expect(n1?.exportRules.map((r) => `${r.match} ${formatCidr(r.cidr)} ${r.action}`)).toEqual(['within 10.96.0.0/12 accept', 'within 10.244.0.0/17 accept', 'within 10.244.128.0/17 accept']);
    expect(n1?.peers[0]?.restartTime).toBe(300);
  });

  it('no speaker without BIRD (calico_backend vxlan)', () => {
    expect(speakers(load(CLUSTER('[{name: n1}, {name: n2}]').replace('{type: calico}', '{type: calico, backend: vxlan}')))).toEqual([]);
  });
});

describe('route reflectors', () => {
  const text = CLUSTER('[{name: rr1, labels: {rr: "true"}}, {name: rr2}, {name: n3}, {name: n4}]')
    + doc('BGPConfiguration', 'default', 'spec: {nodeToNodeMeshEnabled: false}\n')
    + doc('Node', 'rr1', 'spec:\n  bgp: {routeReflectorClusterID: 244.0.0.1}\n')
    + doc('Node', 'rr2', 'spec:\n  bgp: {routeReflectorClusterID: 244.0.0.1}\n', ', labels: {rr: "true"}')
    + doc('BGPPeer', 'to-rr', 'spec: {nodeSelector: all(), peerSelector: has(rr)}\n');
  const all = speakers(load(text));

  it('clients get one Node_ session per reflector; reflectors mark clients rr client, each other not', () => {
    expect(all.find((s) => s.name === 'rr1')?.rrClusterId).toEqual(ip('244.0.0.1'));
    expect(sessions(all, 'n3')).toEqual([
      'Node_192_168_56_11 192.168.56.11 as 64512 local 64512 src 192.168.56.13 multihop gr 120 hold 240/80',
      'Node_192_168_56_12 192.168.56.12 as 64512 local 64512 src 192.168.56.13 multihop gr 120 hold 240/80',
    ]);
    expect(sessions(all, 'rr1')).toEqual([
      'Node_192_168_56_12 192.168.56.12 as 64512 local 64512 src 192.168.56.11 multihop gr 120 hold 240/80',
      'Node_192_168_56_13 192.168.56.13 as 64512 local 64512 src 192.168.56.11 rr-client multihop gr 120 hold 240/80',
      'Node_192_168_56_14 192.168.56.14 as 64512 local 64512 src 192.168.56.11 rr-client multihop gr 120 hold 240/80',
    ]);
  });

  it('with the mesh on, reflectors leave it and clients skip them in it', () => {
    const on = speakers(load(text.replace('nodeToNodeMeshEnabled: false', 'nodeToNodeMeshEnabled: true')));
    expect(sessions(on, 'n3').map((l) => l.split(' ')[0])).toEqual(['Mesh_192_168_56_14', 'Node_192_168_56_11', 'Node_192_168_56_12']);
    expect(sessions(on, 'rr1').map((l) => l.split(' ')[0])).toEqual(['Node_192_168_56_12', 'Node_192_168_56_13', 'Node_192_168_56_14']);
  });

  it('a global peerSelector BGPPeer gives Global_ sessions on every node', () => {
    const g = speakers(load(text.replace('nodeSelector: all(), ', '')));
    expect(sessions(g, 'n4').map((l) => l.split(' ')[0])).toEqual(['Global_192_168_56_11', 'Global_192_168_56_12']);
  });
});

describe('ToR peering (mesh off, eBGP to the rack router)', () => {
  const text = `apiVersion: netsim.dev/v1alpha1\nkind: Cluster\nmetadata: {name: t}\nspec:\n  cni: {type: calico}\n  underlay:\n    networks: [{name: rack-1, cidr: 192.168.1.0/24}, {name: rack-2, cidr: 192.168.2.0/24}, {name: spine, cidr: 10.0.0.0/24}]\n    routers:\n      - {name: tor-1, networks: [rack-1, spine], bgp: {asNumber: 65001}}\n      - {name: tor-2, networks: [rack-2, spine], bgp: {asNumber: 65002}}\n  nodes: [{name: n1, network: rack-1, labels: {rack: "1"}}, {name: n2, network: rack-2, labels: {rack: "2"}}]\n`
    + doc('BGPConfiguration', 'default', 'spec: {nodeToNodeMeshEnabled: false}\n')
    + doc('BGPPeer', 'rack-1', "spec: {nodeSelector: rack == '1', peerIP: 192.168.1.1, asNumber: 65001, keepOriginalNextHop: true}\n")
    + doc('BGPPeer', 'rack-2', "spec: {nodeSelector: rack == '2', peerIP: 192.168.2.1, asNumber: 65002}\n");
  const all = speakers(load(text));

  it('nodes peer with their ToR (Node_, eBGP); keepOriginalNextHop is next hop keep', () => {
    expect(sessions(all, 'n1')).toEqual(['Node_192_168_1_1 192.168.1.1 as 65001 local 64512 src 192.168.1.11 nh-keep multihop gr 120 hold 240/80']);
    expect(sessions(all, 'n2')).toEqual(['Node_192_168_2_1 192.168.2.1 as 65002 local 64512 src 192.168.2.11 multihop gr 120 hold 240/80']);
  });

  it('routers peer with each other over the shared network and accept their nodes', () => {
    expect(all.map((s) => `${s.name} ${s.kind} ${formatIp(s.routerId)} ${s.asNumber}`)).toEqual(['n1 node 192.168.1.11 64512', 'n2 node 192.168.2.11 64512', 'tor-1 router 192.168.1.1 65001', 'tor-2 router 192.168.2.1 65002']);
    expect(sessions(all, 'tor-1')).toEqual([
      'Peer_10_0_0_2 10.0.0.2 as 65002 local 65001 src 10.0.0.1 gr 120 hold 240/80',
      'Peer_192_168_1_11 192.168.1.11 as 64512 local 65001 src 192.168.1.1 gr 120 hold 240/80',
    ]);
    expect(all.find((s) => s.name === 'tor-1')?.exportRules.map((r) => formatCidr(r.cidr))).toEqual(['0.0.0.0/0', '::/0']);
  });

  it('explicit router peers replace the implicit ones', () => {
    const explicit = speakers(load(text.replace('bgp: {asNumber: 65001}', 'bgp: {asNumber: 65001, routerID: 1.1.1.1, peers: [{peerIP: 192.168.1.11, asNumber: 64512}]}')));
    expect(sessions(explicit, 'tor-1')).toEqual(['Peer_192_168_1_11 192.168.1.11 as 64512 local 65001 src 192.168.1.1 gr 120 hold 240/80']);
    expect(formatIp(explicit.find((s) => s.name === 'tor-1')!.routerId)).toBe('1.1.1.1');
  });
});

describe('IPv6', () => {
  const spec = load(CLUSTER('[{name: n1}, {name: n2}]', '  clusterCIDR: fd00:10:244::/56\n'));
  const view: CalicoIpamView = { blocks: [{ cidr: cidr('fd00:10:244::/122'), pool: 'default-ipv6-ippool', node: 'n1', allocations: [] }] };
  const all = speakers(spec, view);

  it('sessions over the nodes\' IPv6 addresses, named with colons as _; router id hashed from the name', () => {
    expect(sessions(all, 'n1')).toEqual(['Mesh_fd00_192_168_56__12 fd00:192:168:56::12 as 64512 local 64512 src fd00:192:168:56::11 passive multihop gr 120 hold 240/80']);
    expect(all[0]?.routerId).toEqual(hashToIPv4('n1'));
    expect(all[0]?.kernelRules).toEqual([]);
    expect(all[0]?.exportRules.map((r) => `${r.match} ${formatCidr(r.cidr)}`)).toEqual(['exact fd00:10:244::/122', 'within fd00:10:244::/122', 'within fd00:10:244::/56']);
  });

  it('hashToIPv4 avoids class D/E', () => {
    for (const n of ['a', 'b', 'node-1', 'node-2', 'x', 'y', 'z']) expect(Number(hashToIPv4(n).value >> 24n)).toBeLessThanOrEqual(223);
  });
});
