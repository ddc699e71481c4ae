/**
 * Calico's BGP objects (`projectcalico.org/v3` or `crd.projectcalico.org/v1`): the `default`
 * `BGPConfiguration`, `BGPPeer`s and Calico `Node`s, with libcalico-go's defaults and the checks
 * its validator (lib/validator/v3/validator.go: validateBGPPeerSpec, validateNodeSpec) makes on
 * one object. Checks against the nodes and the underlay are in resolve/calico-bgp.ts.
 */
import { type Cidr, type Ip, formatIp, parseCidr } from '../addr/index.js';
import type { CalicoBgpConfiguration, CalicoBgpPeer, CalicoNextHopMode, CalicoNodeBgp } from '../cluster/objects.js';
import { BGP_CONFIG_SPEC, BGP_PEER_SPEC, BGP_SERVICE_CIDR, CALICO_NODE_SPEC, NODE_BGP_SPEC } from './fields.js';
import { optCidr, optIp } from './read-addr.js';
import { optAsNumber, optDurationSeconds, optPeerIp } from './read-bgp-values.js';
import { selectorShapeProblem } from './read-ippool.js';
import type { RawBgpPeer, RawCalicoNode, RawScenario } from './raw.js';
import { type Field, absent, at, child, fail, fieldName, optBool, optEnum, optInt, optList, optMap, optString, warn } from './reader.js';
import { optLabels } from './validate/index.js';

/** What an omitted BGPConfiguration (or field of it) means: libcalico-go's and calico-node's defaults. */
export const BGP_CONFIG_DEFAULTS: CalicoBgpConfiguration = {
  nodeToNodeMeshEnabled: true,
  asNumber: 64512,
  serviceClusterIPs: [],
  serviceExternalIPs: [],
  serviceLoadBalancerIPs: [],
};

/** Reads a `BGPConfiguration`: the `default` one; `node.<name>` and other names are skipped with a warning. */
export function readBgpConfiguration(obj: Field, name: string, nameField: Field, out: RawScenario): void {
  if (name !== 'default') {
    const why = name.startsWith('node.') ? `per-node BGPConfiguration (${name}) is not modelled` : `confd reads BGPConfiguration default and node.<nodename> only, not ${name}`;
    warn(nameField, 'SCN_CALICO_KIND_IGNORED', `${why}; skipped`);
    return;
  }
  out.calico.kinds.push(child(obj, 'kind'));
  const spec = child(obj, 'spec');
  const d = BGP_CONFIG_DEFAULTS;
  if (optMap(spec, BGP_CONFIG_SPEC) === undefined) {
    out.calico.bgpConfig.push({ value: { ...d, pos: at(obj) }, nameField });
    return;
  }
  warnIgnored(spec, 'nodeMeshPassword', 'sessions are simulated without TCP MD5; the password changes nothing');
  for (const k of ['communities', 'prefixAdvertisements', 'bindMode', 'ignoredInterfaces', 'localWorkloadPeeringIPV4', 'localWorkloadPeeringIPV6', 'serviceLoadBalancerAggregation', 'programClusterRoutes']) {
    warnIgnored(spec, k, 'not modelled');
  }
  const restart = optDurationSeconds(child(spec, 'nodeMeshMaxRestartTime'));
  const port = optInt(child(spec, 'listenPort'), 1, 65535);
  const value: CalicoBgpConfiguration = {
    nodeToNodeMeshEnabled: optBool(child(spec, 'nodeToNodeMeshEnabled')) ?? d.nodeToNodeMeshEnabled,
    asNumber: optAsNumber(child(spec, 'asNumber')) ?? d.asNumber,
    serviceClusterIPs: serviceCidrs(child(spec, 'serviceClusterIPs')),
    serviceExternalIPs: serviceCidrs(child(spec, 'serviceExternalIPs')),
    serviceLoadBalancerIPs: serviceCidrs(child(spec, 'serviceLoadBalancerIPs')),
    ...(restart === undefined ? {} : { nodeMeshMaxRestartTime: restart }),
    ...(port === undefined ? {} : { listenPort: port }),
    pos: at(obj),
  };
  out.calico.bgpConfig.push({ value, nameField });
}

/** `[{cidr: …}]` lists of the Service ranges to advertise. */
function serviceCidrs(f: Field): Cidr[] {
  return (optList(f) ?? []).flatMap((item) => (optMap(item, BGP_SERVICE_CIDR) === undefined ? [] : (optCidr(child(item, 'cidr')) ?? [])));
}

function warnIgnored(spec: Field, key: string, why: string): void {
  const f = child(spec, key);
  if (absent(f)) return;
  warn(f, 'SCN_CALICO_FIELD_IGNORED', `${fieldName(f)} is ignored: ${why}`, 'key');
}

const NEXT_HOP_MODES: readonly CalicoNextHopMode[] = ['Auto', 'Self', 'Keep'];

/** Reads a `BGPPeer` into `out.calico.bgpPeers`. */
export function readBgpPeer(obj: Field, name: string, nameField: Field, out: RawScenario): void {
  out.calico.kinds.push(child(obj, 'kind'));
  const spec = child(obj, 'spec');
  if (optMap(spec, BGP_PEER_SPEC) === undefined) {
    if (absent(spec)) fail(child(obj, 'kind'), 'SCN_MISSING_FIELD', `BGPPeer ${name} has no spec: give peerIP and asNumber, or peerSelector`);
    return;
  }
  for (const [k, why] of [['password', 'sessions are simulated without TCP MD5'], ['ttlSecurity', 'TTL security is not modelled'], ['reachableBy', 'not modelled'], ['filters', 'BGPFilters are not modelled: every route the Calico filters accept is exchanged'], ['localWorkloadSelector', 'peering with workloads is not modelled']] as const) {
    warnIgnored(spec, k, why);
  }
  const f = (k: string): Field => child(spec, k);
  const node = optString(f('node'));
  const nodeSelector = selector(f('nodeSelector'));
  const peer = optPeerIp(f('peerIP'));
  const peerSelector = selector(f('peerSelector'));
  const asNumber = optAsNumber(f('asNumber'));
  if (!checkPeerShape(spec, { node, nodeSelector, peer, peerSelector, asNumber })) return;
  const localAs = optAsNumber(f('localASNumber'));
  const restart = optDurationSeconds(f('maxRestartTime'));
  const keepalive = optDurationSeconds(f('keepaliveTime'));
  const allowLocal = optInt(f('numAllowedLocalASNumbers'), 0, 10);
  const nextHopMode = optEnum(f('nextHopMode'), NEXT_HOP_MODES);
  const value: CalicoBgpPeer = {
    name,
    ...(node === undefined || node === '' ? {} : { node }),
    ...(nodeSelector === undefined ? {} : { nodeSelector }),
    ...(peer === undefined ? {} : { peerIP: peer.ip, ...(peer.port === undefined ? {} : { port: peer.port }) }),
    ...(peerSelector === undefined ? {} : { peerSelector }),
    asNumber: asNumber ?? 0,
    ...(localAs === undefined ? {} : { localASNumber: localAs }),
    keepOriginalNextHop: optBool(f('keepOriginalNextHop')) ?? false,
    ...(nextHopMode === undefined ? {} : { nextHopMode }),
    sourceAddress: optEnum(f('sourceAddress'), ['UseNodeIP', 'None'] as const) ?? 'UseNodeIP',
    ...(restart === undefined ? {} : { maxRestartTime: restart }),
    ...(keepalive === undefined ? {} : { keepaliveTime: keepalive }),
    ...(allowLocal === undefined || allowLocal === 0 ? {} : { numAllowedLocalASNumbers: allowLocal }),
    reversePeering: optEnum(f('reversePeering'), ['Auto', 'Manual'] as const) ?? 'Auto',
    pos: at(obj),
  };
  const raw: RawBgpPeer = { peer: value, nameField, nodeField: f('node'), nodeSelectorField: f('nodeSelector'), peerIPField: f('peerIP'), peerSelectorField: f('peerSelector'), asField: f('asNumber') };
  out.calico.bgpPeers.push(raw);
}

/** A selector field: SCN_CALICO_BAD_SELECTOR when the selector parser refuses it; `""` is unset. */
function selector(f: Field): string | undefined {
  const s = optString(f);
  if (s === undefined || s.trim() === '') return undefined;
  const problem = selectorShapeProblem(s);
  if (problem === undefined) return s;
  fail(f, 'SCN_CALICO_BAD_SELECTOR', `${fieldName(f)}: Invalid value: "${s}": ${problem}`);
  return undefined;
}

interface PeerShape {
  readonly node: string | undefined;
  readonly nodeSelector: string | undefined;
  readonly peer: { ip: Ip } | undefined;
  readonly peerSelector: string | undefined;
  readonly asNumber: number | undefined;
}

/** validateBGPPeerSpec: node and nodeSelector exclusive; peerIP (with asNumber) or peerSelector (without). */
function checkPeerShape(spec: Field, p: PeerShape): boolean {
  const f = (k: string): Field => child(spec, k);
  if (p.node !== undefined && p.node !== '' && p.nodeSelector !== undefined) {
    fail(f('nodeSelector'), 'SCN_BAD_VALUE', 'spec.node and spec.nodeSelector cannot both be set: name one node, or select several');
    return false;
  }
  if (p.peer !== undefined && p.peerSelector !== undefined) {
    fail(f('peerSelector'), 'SCN_BAD_VALUE', 'spec.peerIP and spec.peerSelector cannot both be set: name one peer, or select nodes as peers');
    return false;
  }
  if (p.peerSelector !== undefined && p.asNumber !== undefined) {
    fail(f('asNumber'), 'SCN_BAD_VALUE', "spec.asNumber cannot be set with spec.peerSelector: each selected node's own AS is used");
    return false;
  }
  if (p.peer === undefined && p.peerSelector === undefined) {
    if (absent(f('peerIP')) && absent(f('peerSelector'))) fail(spec, 'SCN_MISSING_FIELD', 'spec.peerIP (with asNumber) or spec.peerSelector is required', 'key');
    return false;
  }
  if (p.peer !== undefined && p.asNumber === undefined) {
    if (absent(f('asNumber'))) fail(spec, 'SCN_MISSING_FIELD', 'spec.asNumber is required with spec.peerIP', 'key');
    return false;
  }
  return true;
}

/** Reads a Calico `Node` (its metadata.labels and spec.bgp) into `out.calico.nodes`. */
export function readCalicoNode(obj: Field, name: string, nameField: Field, out: RawScenario): void {
  out.calico.kinds.push(child(obj, 'kind'));
  const labels = optLabels(child(child(obj, 'metadata'), 'labels'), 'metadata.labels key', 'metadata.labels value') ?? {};
  const spec = child(obj, 'spec');
  optMap(spec, CALICO_NODE_SPEC);
  const bgp = child(spec, 'bgp');
  const raw = (node: CalicoNodeBgp): RawCalicoNode => ({ node, labels, nameField, ipv4Field: child(bgp, 'ipv4Address'), ipv6Field: child(bgp, 'ipv6Address'), rrField: child(bgp, 'routeReflectorClusterID') });
  if (optMap(bgp, NODE_BGP_SPEC) === undefined) {
    out.calico.nodes.push(raw({ name, pos: at(obj) }));
    return;
  }
  const ipv4Address = nodeAddress(child(bgp, 'ipv4Address'), 4);
  const ipv6Address = nodeAddress(child(bgp, 'ipv6Address'), 6);
  const asNumber = optAsNumber(child(bgp, 'asNumber'));
  const rrField = child(bgp, 'routeReflectorClusterID');
  const rr = rrField.value === '' ? undefined : optIp(rrField);
  if (rr !== undefined && rr.family !== 4) fail(rrField, 'SCN_BAD_ADDRESS', `spec.bgp.routeReflectorClusterID: "${formatIp(rr)}": a cluster ID is an IPv4 address (4 octets, as BGP's CLUSTER_ID)`);
  out.calico.nodes.push(raw({
    name,
    ...(ipv4Address === undefined ? {} : { ipv4Address }),
    ...(ipv6Address === undefined ? {} : { ipv6Address }),
    ...(asNumber === undefined ? {} : { asNumber }),
    ...(rr === undefined || rr.family !== 4 ? {} : { routeReflectorClusterID: rr }),
    pos: at(obj),
  }));
}

/** `ipv4Address`/`ipv6Address`: the node's address with its subnet's length (`192.168.1.11/24`); a bare address is a /32 or /128. */
function nodeAddress(f: Field, family: 4 | 6): Cidr | undefined {
  const s = f.value === '' ? undefined : optString(f);
  if (s === undefined) return undefined;
  const c = parseCidr(s.includes('/') ? s : `${s}/${family === 4 ? 32 : 128}`);
  if (c === undefined || c.addr.family !== family) {
    fail(f, 'SCN_BAD_ADDRESS', `${fieldName(f)}: "${s}" is not an IPv${family} address with its prefix length (like ${family === 4 ? '192.168.1.11/24' : 'fd00::11/64'})`);
    return undefined;
  }
  return c;
}
