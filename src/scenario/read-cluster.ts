/**
 * Reading the `kind: Cluster` object (apiVersion netsim.dev/v1alpha1): the networks, the CNI
 * plugin and kube-proxy options, and the optional `nodes` list. Defaults are in
 * docs/scenario-format.md and in CLUSTER_DEFAULTS.
 */
import { type Cidr, familyBits } from '../addr/index.js';
import type { CalicoCniConfig, CloudLoadBalancerConfig, CniConfig, FlannelCniConfig, KubeProxyConfig } from '../cluster/objects.js';
import { readTaints } from './read-taints.js';
import { BRIDGE_CNI, CALICO_CNI, FLANNEL_CNI, OBJECT_META, CLUSTER, CLUSTER_NODE, CLUSTER_SPEC, DETECT_LOCAL, KUBE_PROXY } from './fields.js';
import { optCidr, optIp } from './read-addr.js';
import type { At, RawCluster, RawNode } from './raw.js';
import { IPAM_CONFIG_DEFAULTS } from './read-calico.js';
import { readClusterDns } from './read-dns.js';
import { readNetworkPolicyConfig } from './read-enforcer.js';
import { readUnderlay } from './read-underlay.js';
import { readCloudLoadBalancer, readExternalHosts } from './read-external.js';
import { readNodeInterfaces } from './read-node-interfaces.js';
import { readFlannelFamilies } from './read-flannel.js';
import { type CidrPair, checkPairShapes, readCidrPair, readMaskSizes } from './read-dual-stack.js';
import { readKubeProxyIptables, readNodePortAddresses, readNodePortRange } from './read-service-api.js';
import {
  type Field, absent, at, checkFields, child, fail, fieldName, missing, optBool, optEnum, optInt, optList, optMap, optString, reqString,
} from './reader.js';
import { checkText, optLabels, optText } from './validate/index.js';

/** What an omitted Cluster field means. */
export const CLUSTER_DEFAULTS = {
  clusterCIDR: '10.244.0.0/16',
  /** Per family of clusterCIDR; the IPv6 ones are kind's Service range and a ULA segment. */
  serviceCIDR: { 4: '10.96.0.0/12', 6: 'fd00:10:96::/112' },
  nodeNetwork: { 4: '192.168.56.0/24', 6: 'fd00:192:168:56::/64' },
  /** 24 for IPv4 and 64 for IPv6, kube-controller-manager's defaults. */
  nodeCIDRMaskSize: { 4: 24, 6: 64 },
  cni: { type: 'bridge', bridge: 'cni0', isGateway: true, isDefaultGateway: true, ipMasq: false, hairpinMode: true, mtu: 1500 },
  /** kube-flannel.yml's net-conf.json (vxlan) and flanneld's `--ip-masq`. */
  flannel: { type: 'flannel', backend: 'vxlan', directRouting: false, ipMasq: true, mtu: 'auto' },
  /**
   * calico.yaml: `veth_mtu: "0"` (calico-node detects it), and the pool calico-node creates at
   * startup when there is none (`CALICO_IPV4POOL_*` as the manifest sets them: IPIP Always,
   * VXLAN Never, natOutgoing true; for IPv6 `CALICO_IPV6POOL_*`: no encapsulation, natOutgoing
   * false), over the Cluster's clusterCIDR. Source: node/pkg/lifecycle/startup/startup.go.
   */
  calico: {
    type: 'calico',
    mtu: 'auto',
    /** calico.yaml's `calico_backend`. */
    backend: 'bird',
    defaultPool: {
      4: { name: 'default-ipv4-ippool', blockSize: 26, ipipMode: 'Always', vxlanMode: 'Never', natOutgoing: true, nodeSelector: 'all()', disabled: false },
      6: { name: 'default-ipv6-ippool', blockSize: 122, ipipMode: 'Never', vxlanMode: 'Never', natOutgoing: false, nodeSelector: 'all()', disabled: false },
    },
  },
  kubeProxy: { mode: 'iptables', masqueradeAll: false, masqueradeBit: 14, detectLocalMode: 'ClusterCIDR', localhostNodePorts: true },
} as const;

/** Reads a Cluster object and the nodes it lists. */
export function readCluster(obj: Field, nodes: RawNode[]): RawCluster {
  optMap(obj, CLUSTER);
  optMap(child(obj, 'metadata'), OBJECT_META);
  const name = optString(child(child(obj, 'metadata'), 'name')) ?? 'cluster';
  const spec = child(obj, 'spec');
  // A spec of the wrong type is reported; the defaults stand in for it.
  optMap(spec, CLUSTER_SPEC);
  const cidrs = readCidrPair(child(spec, 'clusterCIDR'), () => CLUSTER_DEFAULTS.clusterCIDR, [4]);
  const clusterCIDR = cidrs.primary;
  const family = clusterCIDR.value.addr.family;
  const families = cidrs.secondary === undefined ? [family] : [family, cidrs.secondary.value.addr.family];
  const services = readCidrPair(child(spec, 'serviceCIDR'), (f) => CLUSTER_DEFAULTS.serviceCIDR[f], families);
  const nodeNets = readCidrPair(child(spec, 'nodeNetwork'), (f) => CLUSTER_DEFAULTS.nodeNetwork[f], families);
  const serviceCIDR = services.primary;
  const nodeNetwork = nodeNets.primary;
  const underlay = readUnderlay(child(spec, 'underlay'));
  if (underlay !== undefined && !absent(child(spec, 'nodeNetwork'))) {
    fail(child(spec, 'nodeNetwork'), 'SCN_BAD_VALUE', 'nodeNetwork and underlay are exclusive: with an underlay, each node sits on one of underlay.networks');
  }
  checkPairShapes(cidrs, underlay === undefined ? [services, nodeNets] : [services]);
  const maskField = child(spec, 'nodeCIDRMaskSize');
  const masks = readMaskSizes(spec, cidrs, CLUSTER_DEFAULTS.nodeCIDRMaskSize);
  const mask = optInt(maskField, clusterCIDR.value.prefix, familyBits(family) - 2) ?? masks.primary.value ?? defaultMask(clusterCIDR);
  for (const n of underlay?.networks ?? []) {
    if (n.cidr.value.addr.family !== family) fail(n.cidr.field, 'SCN_BAD_CIDR', `${fieldName(n.cidr.field)} is IPv${n.cidr.value.addr.family} but clusterCIDR is IPv${family}`);
  }
  const read = readCni(child(spec, 'cni'));
  // flannel runs IPv4, and IPv6 beside it (EnableIPv6): an IPv6-only flannel is not modelled.
  if (read.type === 'flannel' && family === 6 && cidrs.secondary === undefined) fail(child(spec, 'cni'), 'SCN_BAD_VALUE', 'cni type flannel is modelled for IPv4 and dual-stack clusters only (clusterCIDR is IPv6)');
  const cni = read.type === 'flannel' && optMap(child(spec, 'cni')) !== undefined ? readFlannelFamilies(child(spec, 'cni'), read, cidrs) : read;
  const secondary = readSecondary({ spec, underlay: underlay !== undefined, cidrs, services, nodeNets, mask: masks.secondary });
  const networkPolicy = readNetworkPolicyConfig(child(spec, 'networkPolicy'), cni.type);
  // canal's Felix runs with FELIX_IPV6SUPPORT=false in the manifest: IPv4 only.
  if (secondary !== undefined && networkPolicy.enforcer === 'canal') fail(child(spec, 'networkPolicy'), 'SCN_BAD_VALUE', 'canal is modelled for single-stack IPv4 clusters only (clusterCIDR is a dual-stack pair; canal.yaml sets FELIX_IPV6SUPPORT=false)');
  for (const item of optList(child(spec, 'nodes')) ?? []) {
    const node = readListedNode(item);
    if (node !== undefined) nodes.push(node);
  }
  return {
    name,
    field: obj,
    pos: at(obj),
    clusterCIDR,
    serviceCIDR,
    nodeNetwork,
    ...(underlay === undefined ? {} : { underlay }),
    nodeCIDRMaskSize: { value: Math.max(mask, clusterCIDR.value.prefix), field: maskField },
    ...(secondary === undefined ? {} : { secondary }),
    cni,
    kubeProxy: readKubeProxy(child(spec, 'kubeProxy')),
    ...optNodePortRange(child(spec, 'serviceNodePortRange')),
    networkPolicy,
    dns: readClusterDns(child(spec, 'dns'), { serviceCIDR: serviceCIDR.value, nodeNetwork: underlay?.networks[0]?.cidr.value ?? nodeNetwork.value }),
    ...optCloudLoadBalancer(child(spec, 'loadBalancer')),
    externalHosts: readExternalHosts(child(spec, 'externalHosts')),
  };
}

function optCloudLoadBalancer(f: Field): { loadBalancer?: CloudLoadBalancerConfig } {
  const lb = readCloudLoadBalancer(f);
  return lb === undefined ? {} : { loadBalancer: lb };
}

/**
 * The second family of a dual-stack cluster, when clusterCIDR is a pair. The bridge plugin,
 * flannel (with EnableIPv6, read-flannel.ts) and Calico (an IPPool per family,
 * resolve/calico.ts) are modelled in both families at once; an underlay is refused (its
 * networks and routers are single-family), and canal below.
 */
function readSecondary(r: {
  spec: Field; underlay: boolean; cidrs: CidrPair; services: CidrPair; nodeNets: CidrPair; mask: At<number> | undefined;
}): RawCluster['secondary'] {
  const { secondary: clusterCIDR } = r.cidrs;
  if (clusterCIDR === undefined) return undefined;
  if (r.underlay) fail(child(r.spec, 'underlay'), 'SCN_BAD_VALUE', 'an underlay is modelled for single-stack clusters only (clusterCIDR is a dual-stack pair)', 'key');
  const serviceCIDR = r.services.secondary;
  const nodeNetwork = r.nodeNets.secondary;
  if (serviceCIDR === undefined || nodeNetwork === undefined || r.mask === undefined) return undefined; // reported by checkPairShapes
  return { clusterCIDR, serviceCIDR, nodeNetwork, nodeCIDRMaskSize: r.mask };
}

function optNodePortRange(f: Field): Pick<RawCluster, 'serviceNodePortRange'> {
  const r = readNodePortRange(f);
  return r === undefined ? {} : { serviceNodePortRange: r };
}

/** The default node mask, when it fits the cluster CIDR; reported otherwise. */
function defaultMask(clusterCIDR: At<Cidr>): number {
  const family = clusterCIDR.value.addr.family;
  const mask = CLUSTER_DEFAULTS.nodeCIDRMaskSize[family];
  if (mask >= clusterCIDR.value.prefix) return mask;
  fail(clusterCIDR.field, 'SCN_BAD_VALUE', `clusterCIDR /${clusterCIDR.value.prefix} is smaller than one default /${mask} node podCIDR: set nodeCIDRMaskSize`);
  return clusterCIDR.value.prefix;
}

function readListedNode(item: Field): RawNode | undefined {
  if (optMap(item, CLUSTER_NODE) === undefined) return undefined;
  const name = reqString(item, 'name');
  if (name === undefined) return undefined;
  checkText(child(item, 'name'), 'Cluster spec.nodes[].name', name);
  const podCIDRField = child(item, 'podCIDR');
  const ipField = child(item, 'internalIP');
  const podCIDR = optCidr(podCIDRField);
  const internalIP = optIp(ipField);
  const networkField = child(item, 'network');
  const network = optString(networkField);
  const taints = readTaints(child(item, 'taints'));
  return {
    ...(taints.length === 0 ? {} : { taints }),
    meta: { name, namespace: '', labels: optLabels(child(item, 'labels'), 'metadata.labels key', 'metadata.labels value') ?? {}, terminating: false, pos: at(item), nameField: child(item, 'name') },
    ...(podCIDR === undefined ? {} : { podCIDR: { value: podCIDR, field: podCIDRField } }),
    ...(internalIP === undefined ? {} : { internalIP: { value: internalIP, field: ipField } }),
    ...(network === undefined ? {} : { network: { value: network, field: networkField } }),
    ...readNodeInterfaces(child(item, 'addresses'), child(item, 'interfaces')),
  };
}

function readCni(f: Field): CniConfig {
  const d = CLUSTER_DEFAULTS.cni;
  if (optMap(f) === undefined) return d;
  const type = optEnum(child(f, 'type'), ['bridge', 'flannel', 'calico']);
  if (type === 'flannel') return readFlannel(f);
  if (type === 'calico') return readCalicoCni(f);
  checkFields(f, BRIDGE_CNI);
  return {
    type: 'bridge',
    bridge: optText(child(f, 'bridge'), 'Cluster spec.cni.bridge') ?? d.bridge,
    isGateway: optBool(child(f, 'isGateway')) ?? d.isGateway,
    isDefaultGateway: optBool(child(f, 'isDefaultGateway')) ?? d.isDefaultGateway,
    ipMasq: optBool(child(f, 'ipMasq')) ?? d.ipMasq,
    hairpinMode: optBool(child(f, 'hairpinMode')) ?? d.hairpinMode,
    mtu: optInt(child(f, 'mtu'), 576, 65535) ?? d.mtu,
  };
}

/** `cni: {type: flannel, …}`: `mtu` is an integer or `auto`. */
function readFlannel(f: Field): FlannelCniConfig {
  const d = CLUSTER_DEFAULTS.flannel;
  checkFields(f, FLANNEL_CNI);
  return {
    type: 'flannel',
    backend: optEnum(child(f, 'backend'), ['vxlan', 'host-gw']) ?? d.backend,
    directRouting: optBool(child(f, 'directRouting')) ?? d.directRouting,
    ipMasq: optBool(child(f, 'ipMasq')) ?? d.ipMasq,
    mtu: optMtu(child(f, 'mtu')) ?? d.mtu,
  };
}

/**
 * `cni: {type: calico, mtu, backend}`. Pools, IPAMConfig, FelixConfiguration and the BGP objects
 * are documents of their own (read-calico.ts); resolve/calico.ts fills them in, so they are
 * empty here.
 */
function readCalicoCni(f: Field): CalicoCniConfig {
  checkFields(f, CALICO_CNI);
  const backend = optEnum(child(f, 'backend'), ['bird', 'vxlan', 'none'] as const) ?? CLUSTER_DEFAULTS.calico.backend;
  return { type: 'calico', mtu: optMtu(child(f, 'mtu')) ?? CLUSTER_DEFAULTS.calico.mtu, ipPools: [], ipam: IPAM_CONFIG_DEFAULTS, felix: {}, backend };
}

/** An MTU that is an integer or `auto`. */
function optMtu(f: Field): number | 'auto' | undefined {
  return f.value === 'auto' ? 'auto' : typeof f.value === 'string' ? badMtu(f) : optInt(f, 576, 65535);
}

function badMtu(f: Field): undefined {
  fail(f, 'SCN_BAD_VALUE', `${fieldName(f)} must be an integer or auto, not "${String(f.value)}"`);
  return undefined;
}

function readKubeProxy(f: Field): RawCluster['kubeProxy'] {
  const d = CLUSTER_DEFAULTS.kubeProxy;
  const base: KubeProxyConfig = { ...d, nodePortAddresses: [] };
  if (optMap(f, KUBE_PROXY) === undefined) return base;
  const mode = optEnum(child(f, 'detectLocalMode'), ['ClusterCIDR', 'NodeCIDR', 'BridgeInterface', 'InterfaceNamePrefix']) ?? d.detectLocalMode;
  const proxyMode = optEnum(child(f, 'mode'), ['iptables', 'nftables']) ?? d.mode;
  const detect = child(f, 'detectLocal');
  optMap(detect, DETECT_LOCAL);
  const bridgeInterface = optText(child(detect, 'bridgeInterface'), 'Cluster spec.kubeProxy.detectLocal.bridgeInterface');
  const interfaceNamePrefix = optText(child(detect, 'interfaceNamePrefix'), 'Cluster spec.kubeProxy.detectLocal.interfaceNamePrefix');
  // kube-proxy refuses to start in these modes without the matching option.
  if (mode === 'BridgeInterface' && bridgeInterface === undefined) missing(f, 'detectLocal.bridgeInterface');
  if (mode === 'InterfaceNamePrefix' && interfaceNamePrefix === undefined) missing(f, 'detectLocal.interfaceNamePrefix');
  const cidrField = child(f, 'clusterCIDR');
  const clusterCIDR = cidrField.value === '' ? null : optCidr(cidrField);
  const ipt = readKubeProxyIptables(child(f, 'iptables'));
  const npa = readNodePortAddresses(child(f, 'nodePortAddresses'));
  return {
    ...base,
    mode: proxyMode,
    masqueradeAll: ipt.masqueradeAll ?? optBool(child(f, 'masqueradeAll')) ?? d.masqueradeAll,
    masqueradeBit: ipt.masqueradeBit ?? optInt(child(f, 'masqueradeBit'), 0, 31) ?? d.masqueradeBit,
    detectLocalMode: mode,
    nodePortAddresses: npa.cidrs,
    ...(npa.primary ? { nodePortPrimary: true } : {}),
    localhostNodePorts: ipt.localhostNodePorts ?? optBool(child(f, 'localhostNodePorts')) ?? d.localhostNodePorts,
    ...(ipt.randomFully === undefined ? {} : { randomFully: ipt.randomFully }),
    ...(ipt.nfacct === undefined ? {} : { nfacct: ipt.nfacct }),
    ...(clusterCIDR === undefined ? {} : { clusterCIDR }),
    ...(bridgeInterface === undefined ? {} : { bridgeInterface }),
    ...(interfaceNamePrefix === undefined ? {} : { interfaceNamePrefix }),
  };
}
