/**
 * The fields of every mapping the loader reads, in two lists: `read` (netsim uses them) and
 * `ignored` (Kubernetes defines them, netsim has nothing to model with them, so they load
 * silently; this is what lets `kubectl get -o yaml` output load). Anything else is a typo and
 * reported as SCN_UNKNOWN_FIELD. A few ignored fields are still held to Kubernetes' rules
 * (annotations, a pod's hostname and subdomain, hostPort, appProtocol; see validate/uses.ts),
 * since the API server would refuse a bad one. `status` mappings are Kubernetes' to fill; the
 * loader reads a few of their fields and allows the rest.
 *
 * The JSON Schema (schema.ts) is typed against these lists, so the two cannot drift apart.
 */

/** The read and ignored fields of one kind of mapping. */
export interface FieldSet<R extends string = string> {
  readonly read: readonly R[];
  readonly ignored: readonly string[];
}

function fields<const R extends string>(read: readonly R[], ignored: readonly string[] = []): FieldSet<R> {
  return { read, ignored };
}

/** `metadata` of every kind. */
export const OBJECT_META = fields(['name', 'namespace', 'labels', 'deletionTimestamp'], [
  'annotations', 'creationTimestamp', 'deletionGracePeriodSeconds', 'finalizers', 'generateName', 'generation',
  'managedFields', 'ownerReferences', 'resourceVersion', 'selfLink', 'uid',
]);

/** The Cluster object (netsim.dev/v1alpha1). */
export const CLUSTER = fields(['apiVersion', 'kind', 'metadata', 'spec']);
/** `Cluster.spec`. */
export const CLUSTER_SPEC = fields(['clusterCIDR', 'serviceCIDR', 'nodeCIDRMaskSize', 'nodeCIDRMaskSizeIPv4', 'nodeCIDRMaskSizeIPv6', 'nodeNetwork', 'underlay', 'cni', 'kubeProxy', 'networkPolicy', 'dns', 'nodes', 'serviceNodePortRange', 'loadBalancer', 'externalHosts']);
/** `Cluster.spec.loadBalancer`: how the cloud's load balancer delivers LoadBalancer IPs. */
export const CLOUD_LOAD_BALANCER = fields(['mode']);
/** An entry of `Cluster.spec.externalHosts`. */
export const EXTERNAL_HOST = fields(['name', 'addresses']);
/** `Cluster.spec.dns`: kubelet's clusterDNS and clusterDomain, and the kube-dns addon. */
export const CLUSTER_DNS = fields(['enabled', 'clusterDNS', 'clusterDomain', 'replicas', 'nodeNameservers']);
/** `Cluster.spec.networkPolicy`: who enforces NetworkPolicy. */
export const NETWORK_POLICY_CONFIG = fields(['enforcer']);
/** An entry of `Cluster.spec.nodes`. */
export const CLUSTER_NODE = fields(['name', 'labels', 'podCIDR', 'internalIP', 'network', 'addresses', 'interfaces', 'taints']);
/** An entry of `Cluster.spec.nodes[].interfaces`. */
export const NODE_INTERFACE = fields(['name', 'addresses']);
/** `Cluster.spec.underlay`. */
export const UNDERLAY = fields(['networks', 'routers']);
/** An entry of `underlay.networks`. */
export const UNDERLAY_NETWORK = fields(['name', 'cidr', 'mtu', 'interfaceMtu']);
/** An entry of `underlay.routers`. */
export const UNDERLAY_ROUTER = fields(['name', 'networks', 'bgp']);
/** `routers[].bgp`: the router's BGP daemon. */
export const ROUTER_BGP = fields(['asNumber', 'routerID', 'peers']);
/** An entry of `routers[].bgp.peers`. */
export const ROUTER_BGP_PEER = fields(['peerIP', 'asNumber']);
/** `Cluster.spec.cni` for the bridge plugin (its conflist keys). */
export const BRIDGE_CNI = fields(['type', 'bridge', 'isGateway', 'isDefaultGateway', 'ipMasq', 'hairpinMode', 'mtu']);
/** `Cluster.spec.cni` for flannel (net-conf.json and flanneld's options). */
export const FLANNEL_CNI = fields(['type', 'backend', 'directRouting', 'ipMasq', 'mtu', 'enableIPv4', 'enableIPv6', 'ipv6Network']);
/** `Cluster.spec.cni` for calico (calico.yaml's `veth_mtu`; pools and IPAM come from their own documents). */
export const CALICO_CNI = fields(['type', 'mtu', 'backend']);
/** `Cluster.spec.kubeProxy` (KubeProxyConfiguration names). */
export const KUBE_PROXY = fields(['mode', 'masqueradeAll', 'masqueradeBit', 'detectLocalMode', 'clusterCIDR', 'detectLocal', 'nodePortAddresses', 'localhostNodePorts', 'iptables']);
/** `kubeProxy.iptables` (KubeProxyIPTablesConfiguration, plus netsim's `randomFully`). */
export const KUBE_PROXY_IPTABLES = fields(['masqueradeAll', 'masqueradeBit', 'localhostNodePorts', 'randomFully', 'nfacct'], ['syncPeriod', 'minSyncPeriod']);
/** `kubeProxy.detectLocal`. */
export const DETECT_LOCAL = fields(['bridgeInterface', 'interfaceNamePrefix']);

/** A Namespace object. */
export const NAMESPACE = fields(['apiVersion', 'kind', 'metadata'], ['spec', 'status']);

/** A Node object. */
export const NODE = fields(['apiVersion', 'kind', 'metadata', 'spec', 'status']);
/** `NodeSpec`. */
export const NODE_SPEC = fields(['podCIDR', 'podCIDRs', 'taints'], ['configSource', 'externalID', 'providerID', 'unschedulable']);
/** `Taint` (a node's `spec.taints[]`). */
export const TAINT = fields(['key', 'value', 'effect'], ['timeAdded']);
/** `NodeStatus.addresses[]`. */
export const NODE_ADDRESS = fields(['type', 'address']);

/** A Pod object. */
export const POD = fields(['apiVersion', 'kind', 'metadata', 'spec', 'status']);
/** `PodSpec`. */
export const POD_SPEC = fields(['nodeName', 'hostNetwork', 'containers', 'dnsPolicy', 'dnsConfig', 'hostname', 'subdomain'], [
  'activeDeadlineSeconds', 'affinity', 'automountServiceAccountToken', 'enableServiceLinks',
  'ephemeralContainers', 'hostAliases', 'hostIPC', 'hostPID', 'hostUsers', 'imagePullSecrets', 'initContainers',
  'nodeSelector', 'os', 'overhead', 'preemptionPolicy', 'priority', 'priorityClassName', 'readinessGates', 'resourceClaims',
  'resources', 'restartPolicy', 'runtimeClassName', 'schedulerName', 'schedulingGates', 'securityContext', 'serviceAccount',
  'serviceAccountName', 'setHostnameAsFQDN', 'shareProcessNamespace', 'terminationGracePeriodSeconds',
  'tolerations', 'topologySpreadConstraints', 'volumes',
]);
/** `Pod spec.dnsConfig`. */
export const POD_DNS_CONFIG = fields(['nameservers', 'searches', 'options']);
/** An entry of `dnsConfig.options`. */
export const POD_DNS_OPTION = fields(['name', 'value']);
/** `PodSpec` of a workload's template: what a Pod reads, and where the pod may go. */
export const TEMPLATE_POD_SPEC = fields([...POD_SPEC.read, 'nodeSelector', 'tolerations'], POD_SPEC.ignored.filter((k) => k !== 'nodeSelector' && k !== 'tolerations'));
/** `Toleration`. */
export const TOLERATION = fields(['key', 'operator', 'value', 'effect'], ['tolerationSeconds']);
/** `PodTemplateSpec` (a workload's `spec.template`). */
export const POD_TEMPLATE = fields(['metadata', 'spec']);

/** A Deployment, ReplicaSet, StatefulSet or DaemonSet (apps/v1); `status` is the controller's. */
export const WORKLOAD = fields(['apiVersion', 'kind', 'metadata', 'spec'], ['status']);
/** `DeploymentSpec`. */
export const DEPLOYMENT_SPEC = fields(['replicas', 'selector', 'template'], ['minReadySeconds', 'paused', 'progressDeadlineSeconds', 'revisionHistoryLimit', 'strategy']);
/** `ReplicaSetSpec`. */
export const REPLICA_SET_SPEC = fields(['replicas', 'selector', 'template'], ['minReadySeconds']);
/** `StatefulSetSpec`. */
export const STATEFUL_SET_SPEC = fields(['replicas', 'selector', 'template', 'serviceName', 'ordinals'], [
  'minReadySeconds', 'persistentVolumeClaimRetentionPolicy', 'podManagementPolicy', 'revisionHistoryLimit', 'updateStrategy', 'volumeClaimTemplates',
]);
/** `StatefulSetOrdinals`. */
export const STATEFUL_SET_ORDINALS = fields(['start']);
/** `DaemonSetSpec`. */
export const DAEMON_SET_SPEC = fields(['selector', 'template'], ['minReadySeconds', 'revisionHistoryLimit', 'templateGeneration', 'updateStrategy']);

/** `Container`. */
export const CONTAINER = fields(['name', 'ports', 'image'], [
  'args', 'command', 'env', 'envFrom', 'imagePullPolicy', 'lifecycle', 'livenessProbe', 'readinessProbe',
  'resizePolicy', 'resources', 'restartPolicy', 'securityContext', 'startupProbe', 'stdin', 'stdinOnce',
  'terminationMessagePath', 'terminationMessagePolicy', 'tty', 'volumeDevices', 'volumeMounts', 'workingDir',
]);
/** `ContainerPort`. */
export const CONTAINER_PORT = fields(['name', 'containerPort', 'protocol'], ['hostIP', 'hostPort']);
/** `PodCondition`. */
export const CONDITION = fields(['type', 'status'], ['lastProbeTime', 'lastTransitionTime', 'message', 'reason', 'observedGeneration']);

/** A Service object. */
export const SERVICE = fields(['apiVersion', 'kind', 'metadata', 'spec', 'status']);
/** `ServiceSpec`. */
export const SERVICE_SPEC = fields([
  'type', 'selector', 'clusterIP', 'clusterIPs', 'ports', 'externalName', 'externalTrafficPolicy', 'internalTrafficPolicy',
  'sessionAffinity', 'sessionAffinityConfig', 'externalIPs', 'loadBalancerSourceRanges', 'healthCheckNodePort',
  'publishNotReadyAddresses', 'allocateLoadBalancerNodePorts', 'loadBalancerClass', 'trafficDistribution', 'ipFamilies', 'ipFamilyPolicy',
], ['loadBalancerIP']);
/** `ServicePort`. */
export const SERVICE_PORT = fields(['name', 'protocol', 'port', 'targetPort', 'nodePort'], ['appProtocol']);

/** An EndpointSlice object (discovery.k8s.io/v1). */
export const ENDPOINT_SLICE = fields(['apiVersion', 'kind', 'metadata', 'addressType', 'endpoints', 'ports']);
/** `Endpoint` of a slice. */
export const ENDPOINT = fields(['addresses', 'conditions', 'nodeName', 'targetRef', 'hints'], ['deprecatedTopology', 'hostname', 'zone']);
/** `EndpointHints`. */
export const ENDPOINT_HINTS = fields(['forZones', 'forNodes']);
/** `ForZone` / `ForNode`. */
export const ENDPOINT_HINT = fields(['name']);
/** `EndpointConditions`. */
export const ENDPOINT_CONDITIONS = fields(['ready', 'serving', 'terminating']);
/** `EndpointPort`. */
export const ENDPOINT_PORT = fields(['name', 'protocol', 'port'], ['appProtocol']);
/** `ObjectReference` (an endpoint's targetRef). */
export const TARGET_REF = fields(['kind', 'name', 'namespace'], ['apiVersion', 'fieldPath', 'resourceVersion', 'uid']);

/**
 * A Calico object (`projectcalico.org/v3` or `crd.projectcalico.org/v1`): IPPool,
 * IPAMConfig(uration), FelixConfiguration. `status` is Calico's to fill.
 */
export const CALICO_OBJECT = fields(['apiVersion', 'kind', 'metadata', 'spec'], ['status']);
/**
 * `IPPoolSpec`. The ignored fields are read only to warn (SCN_CALICO_FIELD_IGNORED) when set to
 * something other than their default; `ipip` and `nat-outgoing` are the v1 API's spellings that
 * crd.projectcalico.org/v1 objects may still carry.
 */
export const IPPOOL_SPEC = fields(['cidr', 'blockSize', 'ipipMode', 'vxlanMode', 'natOutgoing', 'nodeSelector', 'disabled'], [
  'allowedUses', 'assignmentMode', 'disableBGPExport', 'namespaceSelector', 'ipip', 'nat-outgoing',
]);
/** `IPAMConfigurationSpec`; ignored fields warn when not at their default. */
export const IPAM_CONFIG_SPEC = fields(['strictAffinity', 'maxBlocksPerHost'], ['autoAllocateBlocks', 'ipCooldownSeconds', 'kubeVirtVMAddressPersistence']);

/**
 * `BGPConfigurationSpec`. The ignored fields are read only to warn when set (communities and
 * prefixAdvertisements change no route, bindMode and the local-workload peering are not modelled).
 */
export const BGP_CONFIG_SPEC = fields(
  ['nodeToNodeMeshEnabled', 'asNumber', 'serviceClusterIPs', 'serviceExternalIPs', 'serviceLoadBalancerIPs', 'nodeMeshMaxRestartTime', 'listenPort'],
  ['logSeverityScreen', 'nodeMeshPassword', 'communities', 'prefixAdvertisements', 'bindMode', 'ignoredInterfaces', 'localWorkloadPeeringIPV4', 'localWorkloadPeeringIPV6', 'serviceLoadBalancerAggregation', 'programClusterRoutes', 'ipv4NormalRoutePriority', 'ipv6NormalRoutePriority'],
);
/** An entry of `serviceClusterIPs`, `serviceExternalIPs`, `serviceLoadBalancerIPs`. */
export const BGP_SERVICE_CIDR = fields(['cidr']);
/** `BGPPeerSpec`; ignored fields warn when set. */
export const BGP_PEER_SPEC = fields(
  ['node', 'nodeSelector', 'peerIP', 'asNumber', 'localASNumber', 'peerSelector', 'keepOriginalNextHop', 'nextHopMode', 'sourceAddress', 'maxRestartTime', 'keepaliveTime', 'numAllowedLocalASNumbers', 'reversePeering'],
  ['password', 'ttlSecurity', 'reachableBy', 'filters', 'localWorkloadSelector'],
);
/** A Calico `Node`'s spec: netsim reads `bgp`; the addresses and tunnels are calico-node's to fill. */
export const CALICO_NODE_SPEC = fields(['bgp'], [
  'addresses', 'orchRefs', 'ipv4VXLANTunnelAddr', 'ipv6VXLANTunnelAddr', 'vxlanTunnelMACAddr', 'vxlanTunnelMACAddrV6', 'wireguard', 'interfaceName',
]);
/** `NodeBGPSpec`. */
export const NODE_BGP_SPEC = fields(['ipv4Address', 'ipv6Address', 'asNumber', 'routeReflectorClusterID'], ['ipv4IPIPTunnelAddr']);
/** A NetworkPolicy object (networking.k8s.io/v1); `status` is unused upstream. */
export const NETWORK_POLICY = fields(['apiVersion', 'kind', 'metadata', 'spec'], ['status']);
/** `NetworkPolicySpec`. */
export const NETWORK_POLICY_SPEC = fields(['podSelector', 'policyTypes', 'ingress', 'egress']);
/** `NetworkPolicyIngressRule`. */
export const NETWORK_POLICY_INGRESS = fields(['from', 'ports']);
/** `NetworkPolicyEgressRule`. */
export const NETWORK_POLICY_EGRESS = fields(['to', 'ports']);
/** `NetworkPolicyPeer`. */
export const NETWORK_POLICY_PEER = fields(['podSelector', 'namespaceSelector', 'ipBlock']);
/** `IPBlock`. */
export const IP_BLOCK = fields(['cidr', 'except']);
/** `NetworkPolicyPort`. */
export const NETWORK_POLICY_PORT = fields(['protocol', 'port', 'endPort']);
/** `policy.networking.k8s.io/v1alpha1` AdminNetworkPolicy and BaselineAdminNetworkPolicy. */
export const ADMIN_NETWORK_POLICY = fields(['apiVersion', 'kind', 'metadata', 'spec'], ['status']);
/** AdminNetworkPolicySpec (a BaselineAdminNetworkPolicySpec has no priority). */
export const ADMIN_NETWORK_POLICY_SPEC = fields(['priority', 'subject', 'ingress', 'egress']);
/** BaselineAdminNetworkPolicySpec. */
export const BASELINE_ADMIN_NETWORK_POLICY_SPEC = fields(['subject', 'ingress', 'egress']);
/** AdminNetworkPolicySubject, and the ingress peer (the same two fields). */
export const ADMIN_SUBJECT = fields(['namespaces', 'pods']);
/** NamespacedPod. */
export const ADMIN_NAMESPACED_POD = fields(['namespaceSelector', 'podSelector']);
/** AdminNetworkPolicyIngressRule. */
export const ADMIN_INGRESS_RULE = fields(['name', 'action', 'from', 'ports']);
/** AdminNetworkPolicyEgressRule. */
export const ADMIN_EGRESS_RULE = fields(['name', 'action', 'to', 'ports']);
/** AdminNetworkPolicyEgressPeer. */
export const ADMIN_EGRESS_PEER = fields(['namespaces', 'pods', 'nodes', 'networks', 'domainNames']);
/** AdminNetworkPolicyPort. */
export const ADMIN_PORT = fields(['portNumber', 'namedPort', 'portRange']);
/** Port (of portNumber). */
export const ADMIN_PORT_NUMBER = fields(['protocol', 'port']);
/** PortRange. */
export const ADMIN_PORT_RANGE = fields(['protocol', 'start', 'end']);

/** `metav1.LabelSelector`. */
export const LABEL_SELECTOR = fields(['matchLabels', 'matchExpressions']);
/** `metav1.LabelSelectorRequirement`. */
export const SELECTOR_REQUIREMENT = fields(['key', 'operator', 'values']);

/** kubectl's `kind: List` wrapper. */
export const LIST = fields(['apiVersion', 'kind', 'items'], ['metadata']);
