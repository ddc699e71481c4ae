/**
 * The fields of every mapping the loader reads, in two lists: `read` (netsim uses them) and
 * `ignored` (Kubernetes defines them, netsim has nothing to model with them, so they load
 * silently; this is what lets `kubectl get -o yaml` output load). Anything else is a typo and
 * reported as SCN_UNKNOWN_FIELD. `status` mappings are Kubernetes' to fill; the loader reads a
 * few of their fields and allows the rest.
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

export const CLUSTER = fields(['apiVersion', 'kind', 'metadata', 'spec']);
export const CLUSTER_SPEC = fields(['clusterCIDR', 'serviceCIDR', 'nodeCIDRMaskSize', 'nodeNetwork', 'cni', 'kubeProxy', 'nodes']);
export const CLUSTER_NODE = fields(['name', 'labels', 'podCIDR', 'internalIP']);
export const BRIDGE_CNI = fields(['type', 'bridge', 'isGateway', 'isDefaultGateway', 'ipMasq', 'hairpinMode', 'mtu']);
export const KUBE_PROXY = fields(['mode', 'masqueradeAll', 'masqueradeBit', 'detectLocalMode', 'clusterCIDR', 'detectLocal', 'nodePortAddresses', 'localhostNodePorts']);
export const DETECT_LOCAL = fields(['bridgeInterface', 'interfaceNamePrefix']);

export const NAMESPACE = fields(['apiVersion', 'kind', 'metadata'], ['spec', 'status']);

export const NODE = fields(['apiVersion', 'kind', 'metadata', 'spec', 'status']);
export const NODE_SPEC = fields(['podCIDR', 'podCIDRs'], ['configSource', 'externalID', 'providerID', 'taints', 'unschedulable']);
export const NODE_ADDRESS = fields(['type', 'address']);

export const POD = fields(['apiVersion', 'kind', 'metadata', 'spec', 'status']);
export const POD_SPEC = fields(['nodeName', 'hostNetwork', 'containers'], [
  'activeDeadlineSeconds', 'affinity', 'automountServiceAccountToken', 'dnsConfig', 'dnsPolicy', 'enableServiceLinks',
  'ephemeralContainers', 'hostAliases', 'hostIPC', 'hostPID', 'hostUsers', 'hostname', 'imagePullSecrets', 'initContainers',
  'nodeSelector', 'os', 'overhead', 'preemptionPolicy', 'priority', 'priorityClassName', 'readinessGates', 'resourceClaims',
  'resources', 'restartPolicy', 'runtimeClassName', 'schedulerName', 'schedulingGates', 'securityContext', 'serviceAccount',
  'serviceAccountName', 'setHostnameAsFQDN', 'shareProcessNamespace', 'subdomain', 'terminationGracePeriodSeconds',
  'tolerations', 'topologySpreadConstraints', 'volumes',
]);
export const CONTAINER = fields(['name', 'ports'], [
  'args', 'command', 'env', 'envFrom', 'image', 'imagePullPolicy', 'lifecycle', 'livenessProbe', 'readinessProbe',
  'resizePolicy', 'resources', 'restartPolicy', 'securityContext', 'startupProbe', 'stdin', 'stdinOnce',
  'terminationMessagePath', 'terminationMessagePolicy', 'tty', 'volumeDevices', 'volumeMounts', 'workingDir',
]);
export const CONTAINER_PORT = fields(['name', 'containerPort', 'protocol'], ['hostIP', 'hostPort']);
export const CONDITION = fields(['type', 'status'], ['lastProbeTime', 'lastTransitionTime', 'message', 'reason', 'observedGeneration']);

export const SERVICE = fields(['apiVersion', 'kind', 'metadata', 'spec', 'status']);
export const SERVICE_SPEC = fields([
  'type', 'selector', 'clusterIP', 'clusterIPs', 'ports', 'externalName', 'externalTrafficPolicy', 'internalTrafficPolicy',
  'sessionAffinity', 'sessionAffinityConfig', 'externalIPs', 'loadBalancerSourceRanges', 'healthCheckNodePort',
  'publishNotReadyAddresses',
], ['allocateLoadBalancerNodePorts', 'ipFamilies', 'ipFamilyPolicy', 'loadBalancerClass', 'loadBalancerIP', 'trafficDistribution']);
export const SERVICE_PORT = fields(['name', 'protocol', 'port', 'targetPort', 'nodePort'], ['appProtocol']);

export const ENDPOINT_SLICE = fields(['apiVersion', 'kind', 'metadata', 'addressType', 'endpoints', 'ports']);
export const ENDPOINT = fields(['addresses', 'conditions', 'nodeName', 'targetRef'], ['deprecatedTopology', 'hints', 'hostname', 'zone']);
export const ENDPOINT_CONDITIONS = fields(['ready', 'serving', 'terminating']);
export const ENDPOINT_PORT = fields(['name', 'protocol', 'port'], ['appProtocol']);
export const TARGET_REF = fields(['kind', 'name', 'namespace'], ['apiVersion', 'fieldPath', 'resourceVersion', 'uid']);

export const LIST = fields(['apiVersion', 'kind', 'items'], ['metadata']);
