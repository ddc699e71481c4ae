/** The built-in scenarios of the menu: the files of `scenarios/`, bundled as text. */
import calicoBgpMeshYaml from '../scenarios/calico-bgp-mesh.yaml';
import calicoBgpRrYaml from '../scenarios/calico-bgp-rr.yaml';
import calicoIpipYaml from '../scenarios/calico-ipip.yaml';
import calicoPoolExhaustionYaml from '../scenarios/calico-pool-exhaustion.yaml';
import calicoTorPeeringYaml from '../scenarios/calico-tor-peering.yaml';
import calicoVxlanCrossSubnetYaml from '../scenarios/calico-vxlan-crosssubnet.yaml';
import canalYaml from '../scenarios/canal.yaml';
import defaultYaml from '../scenarios/default.yaml';
import externalClientYaml from '../scenarios/external-client.yaml';
import sessionsYaml from '../scenarios/sessions.yaml';
import cloudLbYaml from '../scenarios/cloud-load-balancer.yaml';
import flannelHostGwYaml from '../scenarios/flannel-host-gw.yaml';
import flannelVxlanYaml from '../scenarios/flannel-vxlan.yaml';
import kubeRouterNetpolYaml from '../scenarios/kube-router-netpol.yaml';
import netpolAllowNamespaceYaml from '../scenarios/netpol-allow-namespace.yaml';
import netpolAdminTiersYaml from '../scenarios/netpol-admin-tiers.yaml';
import netpolDefaultDenyYaml from '../scenarios/netpol-default-deny.yaml';
import netpolEgressDnsYaml from '../scenarios/netpol-egress-dns.yaml';
import dnsYaml from '../scenarios/dns.yaml';
import netpolIpblockExceptYaml from '../scenarios/netpol-ipblock-except.yaml';
import kubectlListYaml from '../scenarios/kubectl-list.yaml';
import dualStackYaml from '../scenarios/dual-stack.yaml';
import flannelDualStackYaml from '../scenarios/flannel-dual-stack.yaml';
import calicoDualStackYaml from '../scenarios/calico-dual-stack.yaml';
import mtuBlackholeYaml from '../scenarios/mtu-blackhole.yaml';
import nftablesYaml from '../scenarios/nftables.yaml';
import noEndpointsYaml from '../scenarios/no-endpoints.yaml';
import topologyZonesYaml from '../scenarios/topology-zones.yaml';
import twoRacksYaml from '../scenarios/two-racks.yaml';
import twoRacksHostGwYaml from '../scenarios/two-racks-host-gw.yaml';
import twoRacksVxlanYaml from '../scenarios/two-racks-vxlan.yaml';
import workloadsYaml from '../scenarios/workloads.yaml';

/** One menu entry: its name in links, its label, its file's path (for diagnostics) and text. */
export interface BuiltinScenario {
  readonly name: string;
  readonly label: string;
  readonly path: string;
  readonly text: string;
  /** The trace the page runs when the scenario is picked from the menu. */
  readonly src: string;
  readonly dst: string;
  /** The packet size the page traces with (`--size`), when the scenario is about size. */
  readonly size?: string;
}

/** The menu, in order; the first is what the page opens with. */
export const BUILTIN_SCENARIOS: readonly BuiltinScenario[] = [
  { name: 'default', label: 'default: two nodes, bridge CNI, ClusterIP Service', path: 'scenarios/default.yaml', text: defaultYaml, src: 'pod-a', dst: 'service-b' },
  { name: 'flannel-vxlan', label: 'flannel-vxlan: three nodes, VXLAN overlay (flannel.1)', path: 'scenarios/flannel-vxlan.yaml', text: flannelVxlanYaml, src: 'client', dst: 'web' },
  { name: 'flannel-host-gw', label: 'flannel-host-gw: three nodes, routes via node IPs', path: 'scenarios/flannel-host-gw.yaml', text: flannelHostGwYaml, src: 'client', dst: 'web' },
  { name: 'netpol-admin-tiers', label: 'netpol-admin-tiers: AdminNetworkPolicy deny, pass and baseline around NetworkPolicy (Felix tiers)', path: 'scenarios/netpol-admin-tiers.yaml', text: netpolAdminTiersYaml, src: 'tenant-b/web', dst: 'tenant-a/web' },
  { name: 'netpol-default-deny', label: 'netpol-default-deny: deny all ingress, then allow the frontend (Felix)', path: 'scenarios/netpol-default-deny.yaml', text: netpolDefaultDenyYaml, src: 'default/client', dst: 'shop/backend' },
  { name: 'netpol-allow-namespace', label: 'netpol-allow-namespace: allow from labelled namespaces, one peer with two selectors', path: 'scenarios/netpol-allow-namespace.yaml', text: netpolAllowNamespaceYaml, src: 'dev/app', dst: 'prod/db' },
  { name: 'dns', label: 'dns: kube-dns, CoreDNS, resolv.conf and lookups', path: 'scenarios/dns.yaml', text: dnsYaml, src: 'default/client', dst: 'svc/kube-system/kube-dns' },
  { name: 'netpol-egress-dns', label: 'netpol-egress-dns: egress locked down except DNS to CoreDNS', path: 'scenarios/netpol-egress-dns.yaml', text: netpolEgressDnsYaml, src: 'locked/app', dst: 'default/web' },
  { name: 'netpol-ipblock-except', label: 'netpol-ipblock-except: everything but the metadata service (ipBlock except)', path: 'scenarios/netpol-ipblock-except.yaml', text: netpolIpblockExceptYaml, src: 'tenant/app', dst: '169.254.169.254:80' },
  { name: 'kube-router-netpol', label: 'kube-router-netpol: NetworkPolicy enforced by kube-router on flannel', path: 'scenarios/kube-router-netpol.yaml', text: kubeRouterNetpolYaml, src: 'dev/intruder', dst: 'svc/default/web' },
  { name: 'calico-bgp-mesh', label: 'calico-bgp-mesh: BIRD full mesh, pure BGP routes, no encapsulation', path: 'scenarios/calico-bgp-mesh.yaml', text: calicoBgpMeshYaml, src: 'client', dst: 'web-2' },
  { name: 'calico-bgp-rr', label: 'calico-bgp-rr: route reflectors, two racks, IP-in-IP CrossSubnet', path: 'scenarios/calico-bgp-rr.yaml', text: calicoBgpRrYaml, src: 'pod-2', dst: 'pod-5' },
  { name: 'calico-ipip', label: 'calico-ipip: Calico defaults, IP-in-IP, /26 blocks, no bridge', path: 'scenarios/calico-ipip.yaml', text: calicoIpipYaml, src: 'client', dst: 'web-2' },
  { name: 'calico-vxlan-crosssubnet', label: 'calico-vxlan-crosssubnet: VXLAN only between racks', path: 'scenarios/calico-vxlan-crosssubnet.yaml', text: calicoVxlanCrossSubnetYaml, src: 'client', dst: 'other-rack' },
  { name: 'calico-pool-exhaustion', label: 'calico-pool-exhaustion: a node borrows from another node\'s block', path: 'scenarios/calico-pool-exhaustion.yaml', text: calicoPoolExhaustionYaml, src: 'client', dst: 'lonely' },
  { name: 'calico-tor-peering', label: 'calico-tor-peering: eBGP to top-of-rack routers, mesh off', path: 'scenarios/calico-tor-peering.yaml', text: calicoTorPeeringYaml, src: 'pod-1', dst: 'pod-3' },
  { name: 'canal', label: 'canal: flannel between nodes, Calico\'s cali veths and Felix on them', path: 'scenarios/canal.yaml', text: canalYaml, src: 'client', dst: 'web' },
  { name: 'no-endpoints', label: 'no-endpoints: a Service with no backend (REJECT)', path: 'scenarios/no-endpoints.yaml', text: noEndpointsYaml, src: 'client', dst: 'service-missing' },
  { name: 'external-client', label: 'external-client: a NodePort from the internet, eTP Local vs Cluster', path: 'scenarios/external-client.yaml', text: externalClientYaml, src: '203.0.113.7', dst: '192.168.56.11:30080' },
  { name: 'sessions', label: 'sessions: ClientIP affinity, conntrack timeouts, a backend deleted (netsim trace --then)', path: 'scenarios/sessions.yaml', text: sessionsYaml, src: 'client', dst: 'sticky' },
  { name: 'cloud-load-balancer', label: 'cloud-load-balancer: the LB in nodePort mode and ipMode Proxy, a named external host', path: 'scenarios/cloud-load-balancer.yaml', text: cloudLbYaml, src: 'laptop', dst: '198.51.100.10:80' },
  { name: 'workloads', label: 'workloads: a Deployment, a StatefulSet and DaemonSets expanded into pods, taints and nodeSelector', path: 'scenarios/workloads.yaml', text: workloadsYaml, src: 'web-client', dst: 'web' },
  { name: 'nftables', label: 'nftables: kube-proxy in nftables mode (vmaps, REJECT on a wrong ClusterIP port)', path: 'scenarios/nftables.yaml', text: nftablesYaml, src: 'client', dst: 'web' },
  { name: 'topology-zones', label: 'topology-zones: trafficDistribution PreferClose keeps traffic in the client\'s zone', path: 'scenarios/topology-zones.yaml', text: topologyZonesYaml, src: 'client', dst: 'svc/default/web' },
  { name: 'two-racks', label: 'two-racks: nodes in two racks behind a router (host-gw routes refused)', path: 'scenarios/two-racks.yaml', text: twoRacksYaml, src: 'pod-a', dst: 'pod-c' },
  { name: 'two-racks-vxlan', label: 'two-racks-vxlan: flannel VXLAN across the router', path: 'scenarios/two-racks-vxlan.yaml', text: twoRacksVxlanYaml, src: 'pod-a', dst: 'pod-c' },
  { name: 'two-racks-host-gw', label: 'two-racks-host-gw: flannel host-gw across the router (refused routes)', path: 'scenarios/two-racks-host-gw.yaml', text: twoRacksHostGwYaml, src: 'pod-a', dst: 'pod-c' },
  { name: 'dual-stack', label: 'dual-stack: IPv4 and IPv6 pods and Services, iptables and ip6tables (bridge CNI)', path: 'scenarios/dual-stack.yaml', text: dualStackYaml, src: 'pod-a', dst: 'service-b' },
  { name: 'flannel-dual-stack', label: 'flannel-dual-stack: flannel with EnableIPv6, flannel-v6.1 beside flannel.1', path: 'scenarios/flannel-dual-stack.yaml', text: flannelDualStackYaml, src: 'client', dst: 'web-1' },
  { name: 'calico-dual-stack', label: 'calico-dual-stack: an IPPool per family, IPv4 in IP-in-IP, IPv6 in VXLAN (vxlan-v6.calico)', path: 'scenarios/calico-dual-stack.yaml', text: calicoDualStackYaml, src: 'client', dst: 'web-1' },
  { name: 'mtu-blackhole', label: 'mtu-blackhole: small requests work, big ones vanish', path: 'scenarios/mtu-blackhole.yaml', text: mtuBlackholeYaml, src: 'pod-a', dst: 'pod-c', size: '1450' },
  { name: 'kubectl-list', label: 'kubectl-list: kubectl get -o yaml output', path: 'scenarios/kubectl-list.yaml', text: kubectlListYaml, src: 'web-7d4b9c8f6-x2x9p', dst: 'web' },
];
