/**
 * The JSON Schema of a scenario document, so editors complete and check scenario files
 * (`# yaml-language-server: $schema=…/docs/scenario.schema.json`). docs/scenario.schema.json
 * is this function's output, and schema.test.ts keeps it so. Property lists come from
 * fields.ts, the lists the loader checks against.
 */
import { IGNORED_KINDS } from './documents.js';
import * as F from './fields.js';
import { AS_RANGE } from './read-bgp-values.js';
import { CALICO_API_VERSIONS, CALICO_KINDS, IPAM_CONFIG_DEFAULTS } from './read-calico.js';
import { BGP_CONFIG_DEFAULTS } from './read-calico-bgp.js';
import { CLUSTER_DEFAULTS as D } from './read-cluster.js';
import { BLOCK_SIZE_RANGE, IPPOOL_DEFAULTS } from './read-ippool.js';
import { PROTOCOLS } from './read-pod.js';
import { DEFAULT_NETWORK_MTU, MIN_NETWORK_MTU } from './read-underlay.js';
import { CLOUD_LB_MODES } from './read-external.js';
import { adminNetpolDefs } from './schema-admin-netpol.js';
import { dnsDefs, podDnsProps } from './schema-dns.js';
import { netpolDefs } from './schema-netpol.js';
import { SERVICE_TYPES } from './read-service.js';
import { taintSchema, workloadDefs } from './schema-workloads.js';
import { type Schema, bool, cidrPairText, cidrText, enm, int, ipText, list, object, ref, str } from './schema-kit.js';
import { type TextField, textFieldSchema } from './validate/index.js';

const meta = ref('ObjectMeta');
const api = (v: string): Schema => ({ const: v, description: 'API group and version' });
const kind = (k: string): Schema => ({ const: k, description: 'object kind' });
const status = (description: string): Schema => ({ type: 'object', description });
const port = (d: string): Schema => int(d, 1, 65535);
/** An AS number: 1–4294967295, or AS-dot text. */
const asNumber = (d: string): Schema => ({ oneOf: [int(d, AS_RANGE.min, AS_RANGE.max), str(`${d} in AS-dot notation`, { pattern: '^[0-9]{1,5}\\.[0-9]{1,5}$' })], description: d });
/** A Go duration text. */
const duration = (d: string): Schema => str(`${d} (a Go duration: 120s, 2m, 1h30m)`, { pattern: '^([0-9]*\\.?[0-9]+(ns|us|µs|ms|s|m|h))+$|^0$' });
/** A string that follows a Kubernetes naming rule (validate/uses.ts), as pattern and maxLength. */
const named = (d: string, use: TextField): Schema => str(d, { ...textFieldSchema(use) });
/** A label map: values as IsValidLabelValue allows (keys are checked by the loader). */
const labels = (d: string): Schema => ({ type: 'object', additionalProperties: named('label value', 'metadata.labels value'), description: d });

/** The schema of one scenario document (also valid for each `items` entry of a List). */
export function scenarioJsonSchema(): Schema {
  const calicoKinds = CALICO_KINDS.map((k) => (k === 'Node' ? 'CalicoNode' : k));
  const kinds = ['Cluster', 'Node', 'Namespace', 'Pod', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Service', 'EndpointSlice', 'NetworkPolicy', 'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy', 'List', 'IgnoredKind', ...calicoKinds, 'CalicoIgnoredKind'];
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://netsim.dev/schemas/scenario.schema.json',
    title: 'netsim scenario document',
    description: 'One YAML document of a netsim scenario: the Cluster, or a Kubernetes object. See docs/scenario-format.md.',
    oneOf: kinds.map((k) => ref(k)),
    definitions: { ...clusterDefs(), ...underlayDefs(), ...podDefs(), ...serviceDefs(), ...sliceDefs(), ...otherDefs(), ...calicoDefs(), ...netpolDefs(), ...adminNetpolDefs(), ...workloadDefs(), ...dnsDefs() },
  };
}

function clusterDefs(): Record<string, Schema> {
  return {
    Cluster: object(F.CLUSTER, { apiVersion: api('netsim.dev/v1alpha1'), kind: kind('Cluster'), metadata: meta, spec: ref('ClusterSpec') }, 'The cluster: its networks, CNI plugin, kube-proxy and nodes', ['apiVersion', 'kind']),
    ClusterSpec: object(F.CLUSTER_SPEC, {
      clusterCIDR: cidrPairText('Pod network (--cluster-cidr); node podCIDRs are cut from it in node order. A pair (IPv4,IPv6 or IPv6,IPv4) makes the cluster dual-stack', D.clusterCIDR),
      serviceCIDR: cidrPairText('Service network (--service-cluster-ip-range); the first address is the kubernetes Service\'s. A pair on a dual-stack cluster', D.serviceCIDR[4]),
      nodeCIDRMaskSize: int('Prefix length of each node\'s podCIDR (24 for IPv4, 64 for IPv6 by default); single-stack only', 0, 126),
      nodeCIDRMaskSizeIPv4: int('Prefix length of each node\'s IPv4 podCIDR (--node-cidr-mask-size-ipv4, default 24)', 0, 30),
      nodeCIDRMaskSizeIPv6: int('Prefix length of each node\'s IPv6 podCIDR (--node-cidr-mask-size-ipv6, default 64)', 0, 126),
      nodeNetwork: cidrPairText('The L2 segment the nodes share; nodes get .11 upward. A pair on a dual-stack cluster', D.nodeNetwork[4]),
      underlay: ref('Underlay', 'Several L2 networks joined by routers, instead of nodeNetwork'),
      cni: { oneOf: [ref('BridgeCni'), ref('FlannelCni'), ref('CalicoCni')], description: 'The CNI plugin and its options' },
      kubeProxy: ref('KubeProxy', 'kube-proxy\'s options'),
      networkPolicy: ref('NetworkPolicyConfig', 'Who enforces NetworkPolicy'),
      dns: ref('ClusterDns', 'Cluster DNS: the kube-dns Service, CoreDNS pods, kubelet\'s clusterDNS and clusterDomain'),
      nodes: list(ref('ClusterNode'), 'Nodes by name (kind: Node objects may be used instead)'),
      serviceNodePortRange: str('The API server\'s --service-node-port-range: first-last (or base+size); nodePorts are checked against it and allocated from it', { default: '30000-32767' }),
      loadBalancer: object(F.CLOUD_LOAD_BALANCER, {
        mode: enm(CLOUD_LB_MODES, 'How the cloud load balancer delivers a LoadBalancer IP in ipMode VIP: vip (routed to one node as is), nodePort (rewritten to NODE-IP:nodePort, spread over the nodes; with externalTrafficPolicy Local only nodes with a ready endpoint)', 'vip'),
      }, 'The cloud load balancer of LoadBalancer Services'),
      externalHosts: list(object(F.EXTERNAL_HOST, {
        name: named('Host name (and its network namespace): traces name it as SRC or DST', 'Cluster spec.externalHosts[].name'),
        addresses: list(ipText('an address outside the cluster\'s networks'), 'One address per family'),
      }, 'A host outside the cluster, behind the node network\'s gateway (or the underlay\'s first router)', ['name', 'addresses']), 'Named hosts on the internet'),
    }, 'Cluster networks and plugins; every field has a default'),
    ClusterNode: object(F.CLUSTER_NODE, {
      name: named('Node name', 'Cluster spec.nodes[].name'),
      labels: labels('Node labels'),
      podCIDR: cidrText('Fix the node\'s podCIDR (inside clusterCIDR) instead of allocating it'),
      internalIP: ipText('Fix the node\'s address (inside nodeNetwork) instead of allocating it'),
      network: str('The underlay network of the node (required with an underlay, unless internalIP lies in one)'),
      addresses: list(str('an address, or address/prefix'), 'Further addresses of the node\'s eth0 (kube-proxy\'s nodePortAddresses and the LOCAL address type see them)'),
      interfaces: list(object(F.NODE_INTERFACE, {
        name: named('Device name: eth0, or another that becomes a dummy device', 'Cluster spec.nodes[].interfaces[].name'),
        addresses: list(str('an address, or address/prefix'), 'Its addresses'),
      }, 'An interface of the node', ['name']), 'Interfaces with further addresses ([{name: eth0, addresses: […]}, {name: eth1, …}])'),
      taints: taintSchema(),
    }, 'A node', ['name']),
    BridgeCni: object(F.BRIDGE_CNI, {
      type: enm(['bridge'], 'CNI plugin type', 'bridge'),
      bridge: str('Bridge device name', { default: D.cni.bridge }),
      isGateway: bool('Give the bridge the subnet gateway address (.1)', D.cni.isGateway),
      isDefaultGateway: bool('Make the bridge the pods\' default route', D.cni.isDefaultGateway),
      ipMasq: bool("SNAT everything a pod sends outside its node's pod subnet (the bridge plugin's ipMasq; off by default, as pods must see each other's addresses)", D.cni.ipMasq),
      hairpinMode: bool('Hairpin mode on bridge ports', D.cni.hairpinMode),
      mtu: int('MTU of the bridge and veths', 576, 65535, { default: D.cni.mtu }),
    }, 'Options of the bridge CNI plugin'),
    FlannelCni: object(F.FLANNEL_CNI, {
      type: enm(['flannel'], 'CNI plugin type'),
      backend: enm(['vxlan', 'host-gw'], 'flannel backend (net-conf.json Backend.Type)', D.flannel.backend),
      directRouting: bool('vxlan: plain routes via the node IP to peers on the same L2 network (Backend.DirectRouting)', D.flannel.directRouting),
      ipMasq: bool("flanneld --ip-masq: masquerade pod traffic leaving the cluster CIDR (FLANNEL-POSTRTG)", D.flannel.ipMasq),
      mtu: { oneOf: [int('FLANNEL_MTU', 576, 65535), { const: 'auto' }], default: D.flannel.mtu, description: 'FLANNEL_MTU; auto: the node interface MTU minus the backend overhead (50 for vxlan)' },
      enableIPv4: bool('net-conf.json EnableIPv4 (an IPv6-only flannel, false, is not modelled)', true),
      enableIPv6: bool('net-conf.json EnableIPv6: an IPv6 lease beside the IPv4 one (flannel-v6.1 or host-gw IPv6 routes, ip6tables rules); required on a dual-stack cluster', false),
      ipv6Network: str("net-conf.json IPv6Network (enableIPv6); default: the cluster's IPv6 clusterCIDR"),
    }, 'flannel: flanneld plus the flannel CNI plugin delegating to bridge', ['type']),
    CalicoCni: object(F.CALICO_CNI, {
      type: enm(['calico'], 'CNI plugin type'),
      mtu: { oneOf: [int('veth_mtu', 576, 65535), { const: 'auto' }], default: D.calico.mtu, description: "calico.yaml's veth_mtu; auto: the node interface MTU minus the pools' encapsulation overhead (20 IPIP, 50 VXLAN)" },
      backend: enm(['bird', 'vxlan', 'none'], "calico.yaml's calico_backend: bird runs BIRD (BGP; needed by IPIP pools), vxlan and none run no BGP", D.calico.backend),
    }, 'Calico: calico-node and the calico CNI plugin with calico-ipam; IPPool, IPAMConfiguration, FelixConfiguration and the BGP objects are documents of their own', ['type']),
    KubeProxy: object(F.KUBE_PROXY, {
      mode: enm(['iptables', 'nftables'], 'Proxy mode: iptables, or nftables (the kube-proxy table in the ip/ip6 family; nothing in iptables)', D.kubeProxy.mode),
      masqueradeAll: bool('SNAT every packet sent to a Service', D.kubeProxy.masqueradeAll),
      masqueradeBit: int('fwmark bit KUBE-MARK-MASQ sets', 0, 31, { default: D.kubeProxy.masqueradeBit }),
      detectLocalMode: enm(['ClusterCIDR', 'NodeCIDR', 'BridgeInterface', 'InterfaceNamePrefix'], 'How traffic from local pods is recognised', D.kubeProxy.detectLocalMode),
      clusterCIDR: str('kube-proxy\'s --cluster-cidr; defaults to the cluster\'s, "" disables detection'),
      detectLocal: object(F.DETECT_LOCAL, { bridgeInterface: str('For BridgeInterface mode'), interfaceNamePrefix: str('For InterfaceNamePrefix mode') }, 'detectLocal options'),
      nodePortAddresses: list(str('a prefix, or primary'), 'Addresses NodePorts answer on (prefixes, or [primary]: the node\'s primary IPs); empty means all'),
      localhostNodePorts: bool('NodePorts answer on 127.0.0.1 too', D.kubeProxy.localhostNodePorts),
      iptables: object(F.KUBE_PROXY_IPTABLES, {
        masqueradeAll: bool('As masqueradeAll (takes precedence)'),
        masqueradeBit: int('As masqueradeBit (takes precedence)', 0, 31),
        localhostNodePorts: bool('As localhostNodePorts (takes precedence)'),
        randomFully: { oneOf: [{ type: 'boolean' }, { enum: ['auto', 'true', 'false'] }], default: 'auto', description: "kube-proxy's probe of iptables --random-fully: auto (found, as on every modern node), or false for MASQUERADE without it (old iptables; upstream's unit tests)" },
        nfacct: bool('The kernel has nfnetlink_acct, so kube-proxy adds its -m nfacct counters (as upstream\'s unit tests\' fake does)', false),
      }, 'KubeProxyConfiguration iptables section'),
    }, 'kube-proxy options'),
  };
}

function underlayDefs(): Record<string, Schema> {
  const name = (d: string): Schema => str(d, { pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 63 });
  return {
    Underlay: object(F.UNDERLAY, {
      networks: list(ref('UnderlayNetwork'), 'The L2 networks (racks, zones, subnets); nodes get .11 upward in theirs'),
      routers: list(ref('UnderlayRouter'), 'Plain Linux routers joining networks; the first is the exit to the outside world'),
    }, 'The nodes\' networks and the routers between them', ['networks']),
    UnderlayNetwork: object(F.UNDERLAY_NETWORK, {
      name: name('Network name (an RFC 1123 label)'),
      cidr: cidrText('The network\'s prefix'),
      mtu: int('What the network carries: the MTU of its switch ports; larger frames are dropped silently', MIN_NETWORK_MTU, 65535, { default: DEFAULT_NETWORK_MTU }),
      interfaceMtu: int('The MTU nodes and routers set on their interfaces here (default: mtu); larger than mtu models a smaller path MTU than the hosts believe', MIN_NETWORK_MTU, 65535),
    }, 'One L2 network', ['name', 'cidr']),
    UnderlayRouter: object(F.UNDERLAY_ROUTER, {
      name: name('Router name (an RFC 1123 label)'),
      networks: list(str('network name'), 'Networks it joins, in interface order (eth0, eth1, …); it takes .1 upward on each'),
      bgp: ref('RouterBgp', 'Run a BGP daemon on the router (a ToR peering with Calico nodes)'),
    }, 'A router: a namespace with ip_forward=1, one interface per network, static routes', ['name', 'networks']),
    RouterBgp: object(F.ROUTER_BGP, {
      asNumber: asNumber('The router\'s AS'),
      routerID: ipText('BGP router id (IPv4); default: its address on its first network'),
      peers: list(ref('RouterBgpPeer'), 'Its neighbours; omitted: every BGP router sharing a network, and every node whose BGPPeer names one of its addresses'),
    }, 'The router\'s BGP daemon', ['asNumber']),
    RouterBgpPeer: object(F.ROUTER_BGP_PEER, { peerIP: ipText('Neighbour address'), asNumber: asNumber('Neighbour AS') }, 'One neighbour', ['peerIP', 'asNumber']),
  };
}

function podDefs(): Record<string, Schema> {
  return {
    Pod: object(F.POD, { apiVersion: api('v1'), kind: kind('Pod'), metadata: meta, spec: ref('PodSpec'), status: status('Reads podIP and the Ready condition; the rest is ignored') }, 'A pod', ['apiVersion', 'kind', 'metadata', 'spec']),
    PodSpec: object(F.POD_SPEC, {
      nodeName: named('Node the pod runs on; omitted: placed round-robin over the nodes', 'Pod spec.nodeName'),
      hostNetwork: bool('Use the node\'s network namespace and address', false),
      containers: list(ref('Container'), 'Containers; only names and ports matter'),
      ...podDnsProps(),
    }, 'Pod spec', ['containers']),
    Container: object(F.CONTAINER, { name: named('Container name', 'Pod spec.containers[].name'), image: str('Image (shown by get deployments -o wide)'), ports: list(ref('ContainerPort'), 'Declared ports (named ports are Service targets)') }, 'A container', ['name']),
    ContainerPort: object(F.CONTAINER_PORT, {
      name: str('Port name, for Service targetPort'),
      containerPort: port('Port number'),
      protocol: enm(PROTOCOLS, 'L4 protocol', 'TCP'),
    }, 'A container port', ['containerPort']),
  };
}

function serviceDefs(): Record<string, Schema> {
  return {
    Service: object(F.SERVICE, { apiVersion: api('v1'), kind: kind('Service'), metadata: meta, spec: ref('ServiceSpec'), status: status('Reads loadBalancer.ingress[].ip') }, 'A Service', ['apiVersion', 'kind', 'metadata', 'spec']),
    ServiceSpec: object(F.SERVICE_SPEC, {
      type: enm(SERVICE_TYPES, 'Service type', 'ClusterIP'),
      selector: labels('Pods selected as endpoints; omitted: endpoints come from EndpointSlices'),
      clusterIP: str('An address in serviceCIDR, "None" for headless, or omitted to allocate'),
      clusterIPs: list(str('address'), 'As clusterIP (the first must equal it)'),
      ports: list(ref('ServicePort'), 'Ports'),
      externalName: str('DNS name, for type ExternalName'),
      externalTrafficPolicy: enm(['Cluster', 'Local'], 'Traffic from outside: any endpoint, or node-local ones only', 'Cluster'),
      internalTrafficPolicy: enm(['Cluster', 'Local'], 'Traffic from pods: any endpoint, or node-local ones only', 'Cluster'),
      sessionAffinity: enm(['None', 'ClientIP'], 'Pin a client to one endpoint', 'None'),
      sessionAffinityConfig: { type: 'object', description: 'clientIP.timeoutSeconds (default 10800)' },
      externalIPs: list(ipText('address'), 'Extra addresses the Service answers on'),
      loadBalancerSourceRanges: list(cidrText('prefix'), 'Clients allowed through the load balancer'),
      healthCheckNodePort: port('Health check port for LoadBalancer with externalTrafficPolicy Local'),
      publishNotReadyAddresses: bool('Not-ready pods are endpoints too', false),
      allocateLoadBalancerNodePorts: bool('LoadBalancer only; false: no nodePort is allocated (and none is written) unless a port names one', true),
      loadBalancerClass: str('LoadBalancer only: the load-balancer implementation (a qualified name); kube-proxy ignores it'),
      trafficDistribution: enm(['PreferClose', 'PreferSameZone', 'PreferSameNode'], 'Routing preference the EndpointSlice controller turns into hints'),
      ipFamilies: list(enm(['IPv4', 'IPv6'], 'family'), 'Families of the clusterIPs, in order (at most two; defaulted by the API server)'),
      ipFamilyPolicy: enm(['SingleStack', 'PreferDualStack', 'RequireDualStack'], 'How many families the Service gets', 'SingleStack'),
    }, 'Service spec'),
    ServicePort: object(F.SERVICE_PORT, {
      name: named('Port name (required when there are several)', 'Service spec.ports[].name'),
      protocol: enm(PROTOCOLS, 'L4 protocol', 'TCP'),
      port: port('Service port'),
      targetPort: { type: ['integer', 'string'], description: 'Pod port number, or a container port name; default: port' },
      nodePort: int('Node port (NodePort/LoadBalancer), inside the Cluster\'s serviceNodePortRange; omitted: allocated from its first port up', 1, 65535),
    }, 'A Service port', ['port']),
  };
}

function sliceDefs(): Record<string, Schema> {
  return {
    EndpointSlice: object(F.ENDPOINT_SLICE, {
      apiVersion: api('discovery.k8s.io/v1'), kind: kind('EndpointSlice'), metadata: meta,
      addressType: enm(['IPv4', 'IPv6'], 'Family of the addresses'),
      endpoints: list(ref('Endpoint'), 'Endpoints'),
      ports: list(ref('EndpointPort'), 'Ports (names match the Service\'s port names)'),
    }, 'Endpoints of a Service without a selector (label kubernetes.io/service-name)', ['apiVersion', 'kind', 'metadata', 'addressType']),
    Endpoint: object(F.ENDPOINT, {
      addresses: list(ipText('address'), 'Addresses'),
      conditions: object(F.ENDPOINT_CONDITIONS, { ready: bool('Ready', true), serving: bool('Serving', true), terminating: bool('Terminating', false) }, 'Conditions'),
      nodeName: named('Node of the endpoint', 'EndpointSlice endpoints[].nodeName'),
      targetRef: object(F.TARGET_REF, { kind: str('Kind'), name: str('Name'), namespace: str('Namespace') }, 'Object behind the endpoint'),
      hints: object(F.ENDPOINT_HINTS, {
        forZones: list(object(F.ENDPOINT_HINT, { name: str('Zone') }, 'A zone', ['name']), 'Zones whose nodes may use the endpoint (topology-aware routing; at most 8)'),
        forNodes: list(object(F.ENDPOINT_HINT, { name: str('Node') }, 'A node', ['name']), 'Nodes that may use the endpoint (PreferSameNode; at most 8)'),
      }, 'Where kube-proxy may route to the endpoint from'),
    }, 'An endpoint', ['addresses']),
    EndpointPort: object(F.ENDPOINT_PORT, { name: named('Service port name', 'EndpointSlice ports[].name'), protocol: enm(PROTOCOLS, 'L4 protocol', 'TCP'), port: port('Port') }, 'An endpoint port', ['port']),
  };
}

function otherDefs(): Record<string, Schema> {
  return {
    ObjectMeta: object(F.OBJECT_META, {
      name: str('Object name'),
      namespace: named('Namespace (namespaced kinds; default "default")', 'metadata.namespace'),
      labels: labels('Labels'),
      deletionTimestamp: str('Set: the pod is terminating'),
    }, 'Object metadata', ['name']),
    Node: object(F.NODE, { apiVersion: api('v1'), kind: kind('Node'), metadata: meta, spec: ref('NodeSpec'), status: status('Reads addresses[type=InternalIP].address') }, 'A node (instead of Cluster spec.nodes)', ['apiVersion', 'kind', 'metadata']),
    NodeSpec: object(F.NODE_SPEC, { podCIDR: cidrText('Pod subnet of the node'), podCIDRs: list(cidrText('prefix'), 'As podCIDR'), taints: taintSchema() }, 'Node spec'),
    Namespace: object(F.NAMESPACE, { apiVersion: api('v1'), kind: kind('Namespace'), metadata: meta }, 'A namespace', ['apiVersion', 'kind', 'metadata']),
    List: object(F.LIST, { apiVersion: api('v1'), kind: kind('List'), items: { type: 'array', items: { $ref: '#' }, description: 'Objects' } }, 'kubectl get -o yaml output', ['apiVersion', 'kind']),
    IgnoredKind: { type: 'object', description: 'Kubernetes kinds netsim skips with a warning', properties: { kind: { enum: [...IGNORED_KINDS] } }, required: ['kind'] },
  };
}

function calicoDefs(): Record<string, Schema> {
  const calicoApi: Schema = { enum: [...CALICO_API_VERSIONS], description: 'Calico API group and version (calicoctl, or the CRDs kubectl shows)' };
  const calicoObject = (k: string, spec: Schema, description: string): Schema => ({
    type: 'object', description, additionalProperties: false, required: ['apiVersion', 'kind', 'metadata'],
    properties: { apiVersion: calicoApi, kind: kind(k), metadata: meta, spec, status: status('Calico fills it; ignored') },
  });
  const encap = (what: string): Schema => enm(['Always', 'CrossSubnet', 'Never'], `${what}: always, only to nodes in another subnet, or never`, 'Never');
  const ipamSpec = object(F.IPAM_CONFIG_SPEC, {
    strictAffinity: bool('A node uses only blocks affine to it: no borrowing addresses from other nodes\' blocks', IPAM_CONFIG_DEFAULTS.strictAffinity),
    maxBlocksPerHost: int('Most blocks one node may claim; 0: no limit. Requires strictAffinity', 0, 1000000, { default: IPAM_CONFIG_DEFAULTS.maxBlocksPerHost }),
  }, 'IPAMConfigurationSpec');
  const ipamDoc = 'calico-ipam\'s settings; the one object is named default';
  return {
    IPPool: calicoObject('IPPool', ref('IPPoolSpec'), 'A Calico IP pool: where pod addresses come from, in blocks per node'),
    IPPoolSpec: object(F.IPPOOL_SPEC, {
      cidr: cidrText('The pool (strictly masked, inside clusterCIDR)'),
      blockSize: int(`Prefix length of the blocks nodes claim: ${BLOCK_SIZE_RANGE[4].min}–${BLOCK_SIZE_RANGE[4].max} (IPv4, default ${IPPOOL_DEFAULTS.blockSize[4]}) or ${BLOCK_SIZE_RANGE[6].min}–${BLOCK_SIZE_RANGE[6].max} (IPv6, default ${IPPOOL_DEFAULTS.blockSize[6]})`, 0, 128),
      ipipMode: encap('IP-in-IP (IPv4 pools only)'),
      vxlanMode: encap('VXLAN (not with ipipMode)'),
      natOutgoing: bool('Masquerade traffic from the pool to destinations outside every pool', IPPOOL_DEFAULTS.natOutgoing),
      nodeSelector: str('Calico selector of the nodes that may claim blocks', { default: IPPOOL_DEFAULTS.nodeSelector, maxLength: 1024 }),
      disabled: bool('No new addresses from this pool', IPPOOL_DEFAULTS.disabled),
    }, 'IPPoolSpec', ['cidr']),
    IPAMConfiguration: calicoObject('IPAMConfiguration', ipamSpec, ipamDoc),
    IPAMConfig: calicoObject('IPAMConfig', ipamSpec, `${ipamDoc} (the crd.projectcalico.org/v1 kind name)`),
    FelixConfiguration: calicoObject('FelixConfiguration', {
      type: 'object',
      description: 'FelixConfigurationSpec: netsim reads natOutgoingAddress; other fields load with a warning',
      properties: { natOutgoingAddress: ipText('SNAT natOutgoing traffic to this IPv4 address instead of MASQUERADE') },
    }, 'Felix\'s settings; netsim reads the object named default'),
    ...calicoBgpDefs(calicoObject),
    CalicoIgnoredKind: {
      type: 'object', description: 'Other Calico kinds (BGPPeer, GlobalNetworkPolicy, …): skipped with a warning',
      properties: { apiVersion: calicoApi, kind: { type: 'string', not: { enum: [...CALICO_KINDS, ...IGNORED_KINDS] } } }, required: ['apiVersion', 'kind'],
    },
  };
}

/** BGPConfiguration, BGPPeer and the Calico Node. */
function calicoBgpDefs(calicoObject: (k: string, spec: Schema, description: string) => Schema): Record<string, Schema> {
  const d = BGP_CONFIG_DEFAULTS;
  const cidrs = (what: string): Schema => list(object(F.BGP_SERVICE_CIDR, { cidr: cidrText('prefix') }, 'A range'), `${what} ranges every node advertises`);
  const selector = (d: string): Schema => str(d, { maxLength: 1024 });
  return {
    BGPConfiguration: calicoObject('BGPConfiguration', object(F.BGP_CONFIG_SPEC, {
      nodeToNodeMeshEnabled: bool('Every node peers with every other (Mesh_ sessions)', d.nodeToNodeMeshEnabled),
      asNumber: { ...asNumber('The nodes\' AS (unless a Calico Node sets its own)'), default: d.asNumber },
      serviceClusterIPs: cidrs('Service ClusterIP'),
      serviceExternalIPs: cidrs('Service external IP'),
      serviceLoadBalancerIPs: cidrs('LoadBalancer IP'),
      nodeMeshMaxRestartTime: duration('The mesh sessions\' graceful restart time (BIRD\'s 120s by default)'),
      listenPort: port('BGP port (179)'),
    }, 'BGPConfigurationSpec'), 'Calico\'s BGP settings; confd reads the object named default'),
    BGPPeer: calicoObject('BGPPeer', object(F.BGP_PEER_SPEC, {
      node: str('Only this node peers'),
      nodeSelector: selector('The nodes that peer (Calico selector); with neither node nor nodeSelector: every node'),
      peerIP: str('The peer\'s address, optionally :port ([addr]:port for IPv6)'),
      asNumber: asNumber('The peer\'s AS (with peerIP)'),
      localASNumber: asNumber('The AS the nodes present to this peer'),
      peerSelector: selector('The peers are the selected nodes (instead of peerIP)'),
      keepOriginalNextHop: bool('next hop keep towards an eBGP peer', false),
      nextHopMode: enm(['Auto', 'Self', 'Keep'], 'next hop self / keep', 'Auto'),
      sourceAddress: enm(['UseNodeIP', 'None'], 'source address: the node IP, or the kernel\'s choice', 'UseNodeIP'),
      maxRestartTime: duration('graceful restart time'),
      keepaliveTime: duration('keepalive time'),
      numAllowedLocalASNumbers: int('allow local as: accept routes holding the own AS this many times', 0, 10),
      reversePeering: enm(['Auto', 'Manual'], 'Auto: the peer nodes get the reverse sessions', 'Auto'),
    }, 'BGPPeerSpec'), 'A BGP peering of some nodes with a peer address or with selected nodes'),
    CalicoNode: calicoObject('Node', object(F.CALICO_NODE_SPEC, {
      bgp: object(F.NODE_BGP_SPEC, {
        ipv4Address: str('The node\'s BGP address with its subnet (192.168.1.11/24); default: its InternalIP'),
        ipv6Address: str('The IPv6 one'),
        asNumber: asNumber('The node\'s own AS'),
        routeReflectorClusterID: ipText('The node is a route reflector of this cluster id'),
      }, 'NodeBGPSpec'),
    }, 'NodeSpec'), 'A Calico Node: metadata.name is a cluster node; its labels join that node\'s for BGPPeer selectors, spec.bgp sets its BGP address, AS and route reflector cluster id'),
  };
}
