/**
 * Which rule each field obeys, as the API server (and, for device names, the kernel) applies
 * them. The readers name a field by its key here (`'Service metadata.name'`) and apply.ts looks
 * the rule up, so this table is the one place that says which field follows which rule; docs/
 * scenario-format.md prints it (uses.test.ts keeps the two equal).
 *
 * Upstream: k8s.io/kubernetes/pkg/apis/core/validation/validation.go (ValidatePodName,
 * ValidateServiceName, ValidateNodeName, ValidateNamespaceName, validateContainers,
 * validateContainerPorts, validateServicePort, validatePortNumOrName), pkg/apis/discovery/
 * validation (ValidateEndpointSliceName, validateEndpoints, validateEndpointPorts), pkg/apis/networking/
 * validation (ValidateNetworkPolicyName, ValidateNetworkPolicyPort), apimachinery's
 * pkg/apis/meta/v1/validation (ValidateLabelSelector) and
 * k8s.io/apimachinery/pkg/api/validation/objectmeta.go (ValidateObjectMeta, ValidateAnnotations).
 */
import type { RuleName } from './rules.js';

/** Text fields and their rule, with the upstream function that applies it. */
export const TEXT_FIELDS = {
  'Pod metadata.name': { rule: 'dns1123Subdomain', by: 'ValidatePodName' },
  'Service metadata.name': { rule: 'dns1035Label', by: 'ValidateServiceName' },
  'Node metadata.name': { rule: 'dns1123Subdomain', by: 'ValidateNodeName' },
  'Namespace metadata.name': { rule: 'dns1123Label', by: 'ValidateNamespaceName' },
  'EndpointSlice metadata.name': { rule: 'dns1123Subdomain', by: 'ValidateEndpointSliceName' },
  'metadata.namespace': { rule: 'dns1123Label', by: 'ValidateObjectMeta (ValidateNamespaceName)' },
  'metadata.labels key': { rule: 'labelKey', by: 'ValidateLabels (ValidateLabelName)' },
  'metadata.labels value': { rule: 'labelValue', by: 'ValidateLabels (IsValidLabelValue)' },
  'metadata.annotations key': { rule: 'labelKey', by: 'ValidateAnnotations (IsQualifiedName of the lowercased key)', normalize: 'lowercase' },
  'Pod spec.nodeName': { rule: 'dns1123Subdomain', by: 'ValidatePodSpec (ValidateNodeName)' },
  'Pod spec.hostname': { rule: 'dns1123Label', by: 'ValidatePodSpec' },
  'Pod spec.subdomain': { rule: 'dns1123Label', by: 'ValidatePodSpec' },
  'Pod spec.dnsConfig.searches[]': { rule: 'dns1123Subdomain', by: 'validatePodDNSConfig (one trailing dot allowed)', normalize: 'trimTrailingDot' },
  'Cluster spec.dns.clusterDomain': { rule: 'dns1123Subdomain', by: 'kubelet ValidateKubeletConfiguration (clusterDomain)' },
  'Pod spec.containers[].name': { rule: 'dns1123Label', by: 'validateContainers' },
  'Pod spec.containers[].ports[].name': { rule: 'portName', by: 'validateContainerPorts' },
  'Service spec.selector key': { rule: 'labelKey', by: 'ValidateService (ValidateLabels)' },
  'Service spec.selector value': { rule: 'labelValue', by: 'ValidateService (ValidateLabels)' },
  'Service spec.ports[].name': { rule: 'dns1123Label', by: 'validateServicePort' },
  'Service spec.ports[].appProtocol': { rule: 'labelKey', by: 'validateServicePort (ValidateQualifiedName)' },
  'Service spec.externalName': { rule: 'dns1123Subdomain', by: 'ValidateService (one trailing dot allowed)', normalize: 'trimTrailingDot' },
  'Service spec.ports[].targetPort (a name)': { rule: 'portName', by: 'validatePortNumOrName' },
  'Service spec.loadBalancerClass': { rule: 'labelKey', by: 'validateLoadBalancerClassField (ValidateQualifiedName)' },
  'EndpointSlice endpoints[].nodeName': { rule: 'dns1123Subdomain', by: 'validateEndpoints (ValidateNodeName)' },
  'EndpointSlice endpoints[].hostname': { rule: 'dns1123Label', by: 'validateEndpoints' },
  'EndpointSlice ports[].name': { rule: 'dns1123Label', by: 'validateEndpointPorts' },
  'EndpointSlice ports[].appProtocol': { rule: 'labelKey', by: 'validatePorts (ValidateQualifiedName)' },
  'NetworkPolicy metadata.name': { rule: 'dns1123Subdomain', by: 'ValidateNetworkPolicyName' },
  'AdminNetworkPolicy metadata.name': { rule: 'dns1123Subdomain', by: 'apiextensions ValidateCustomResource (ObjectMeta name, a DNS subdomain)' },
  'BaselineAdminNetworkPolicy metadata.name': { rule: 'dns1123Subdomain', by: 'apiextensions ValidateCustomResource (ObjectMeta name, a DNS subdomain)' },
  'AdminNetworkPolicy ports[].namedPort': { rule: 'portName', by: 'a container port name (IsValidPortName), as namedPort is matched against them' },
  'LabelSelector matchLabels key': { rule: 'labelKey', by: 'ValidateLabelSelector (ValidateLabels)' },
  'LabelSelector matchLabels value': { rule: 'labelValue', by: 'ValidateLabelSelector (ValidateLabels)' },
  'LabelSelector matchExpressions[].key': { rule: 'labelKey', by: 'ValidateLabelSelectorRequirement (ValidateLabelName)' },
  'LabelSelector matchExpressions[].values[]': { rule: 'labelValue', by: 'ValidateLabelSelectorRequirement (IsValidLabelValue)' },
  'NetworkPolicy ports[].port (a name)': { rule: 'portName', by: 'ValidateNetworkPolicyPort (IsValidPortName)' },
  'Calico metadata.name': { rule: 'dns1123Subdomain', by: 'libcalico-go validateObjectMeta (IPPool, IPAMConfiguration, FelixConfiguration)' },
  'Deployment metadata.name': { rule: 'dns1123Subdomain', by: 'ValidateDeploymentName' },
  'ReplicaSet metadata.name': { rule: 'dns1123Subdomain', by: 'ValidateReplicaSetName' },
  'StatefulSet metadata.name': { rule: 'dns1123Label', by: 'ValidateStatefulSetName (a DNS label: the pods\' hostnames are <name>-N)' },
  'DaemonSet metadata.name': { rule: 'dns1123Subdomain', by: 'ValidateDaemonSetName' },
  'StatefulSet spec.serviceName': { rule: 'dns1123Label', by: 'ValidateStatefulSetSpec (the pods\' subdomain)' },
  'Node spec.taints[].key': { rule: 'labelKey', by: 'validateNodeTaints (ValidateLabelName)' },
  'Pod spec.tolerations[].key': { rule: 'labelKey', by: 'ValidateTolerations (ValidateLabelName)' },
  'Pod spec.nodeSelector key': { rule: 'labelKey', by: 'ValidatePodSpec (ValidateLabels)' },
  'Pod spec.nodeSelector value': { rule: 'labelValue', by: 'ValidatePodSpec (ValidateLabels)' },
  'Cluster spec.nodes[].name': { rule: 'dns1123Subdomain', by: 'ValidateNodeName (the name of a Node object)' },
  'Cluster spec.externalHosts[].name': { rule: 'dns1123Label', by: 'netsim: a host name, and the name of its network namespace' },
  'Cluster spec.cni.bridge': { rule: 'bridgeName', by: 'dev_valid_name, the bridge plugin creating the device' },
  'Cluster spec.nodes[].interfaces[].name': { rule: 'bridgeName', by: 'dev_valid_name (ip link add NAME type dummy)' },
  'Cluster spec.kubeProxy.detectLocal.bridgeInterface': { rule: 'ifName', by: 'dev_valid_name (kube-proxy matches -i NAME)' },
  'Cluster spec.kubeProxy.detectLocal.interfaceNamePrefix': { rule: 'ifName', by: 'dev_valid_name (kube-proxy matches -i PREFIX+)' },
} as const satisfies Record<string, TextRule>;

/** The rule of a text field; `normalize` is what upstream does to the value before checking it. */
export interface TextRule {
  readonly rule: RuleName;
  readonly by: string;
  readonly normalize?: 'lowercase' | 'trimTrailingDot';
}

/** The key of a text field in TEXT_FIELDS. */
export type TextField = keyof typeof TEXT_FIELDS;

/** A list with a maximum length, and the upstream function that sets it. */
export interface ListRule {
  readonly max: number;
  readonly by: string;
}

/** Lists the API server caps (field.TooMany). */
export const LIST_FIELDS = {
  'EndpointSlice endpoints': { max: 1000, by: 'validateEndpoints (maxEndpoints)' },
  'EndpointSlice endpoints[].addresses': { max: 100, by: 'validateEndpoints (maxAddresses)' },
  'EndpointSlice ports': { max: 100, by: 'validatePorts (maxPorts)' },
} as const satisfies Record<string, ListRule>;

/** The key of a list field in LIST_FIELDS. */
export type ListField = keyof typeof LIST_FIELDS;

/** An integer range and the message the API server gives outside it. */
export interface IntRule {
  readonly min: number;
  readonly max: number;
  /** The value that means "unset" and is defaulted (a targetPort or nodePort of 0). */
  readonly unset?: number;
  readonly message: string;
  readonly by: string;
}

/** IsValidPortNum's range and InclusiveRangeError's wording. */
const PORT = { min: 1, max: 65535, message: 'must be between 1 and 65535, inclusive' } as const;

/** Integer fields and their range. */
export const INT_FIELDS = {
  'Pod spec.containers[].ports[].containerPort': { ...PORT, by: 'validateContainerPorts (IsValidPortNum)' },
  'Pod spec.containers[].ports[].hostPort': { ...PORT, unset: 0, by: 'validateContainerPorts (IsValidPortNum; 0 means none)' },
  'Service spec.ports[].port': { ...PORT, by: 'validateServicePort (IsValidPortNum)' },
  'Service spec.ports[].targetPort': { ...PORT, unset: 0, by: 'validatePortNumOrName (0 is defaulted to port)' },
  'Service spec.ports[].nodePort': { ...PORT, unset: 0, by: 'ValidateService (IsValidPortNum; 0 means allocate one)' },
  'Service spec.healthCheckNodePort': { ...PORT, unset: 0, by: 'ValidateService (IsValidPortNum; 0 means allocate one)' },
  'Service spec.sessionAffinityConfig.clientIP.timeoutSeconds': {
    min: 1, max: 86400, message: 'must be greater than 0 and less than 86400', by: 'validateAffinityTimeout (MaxClientIPServiceAffinitySeconds)',
  },
  'Workload spec.replicas': { min: 0, max: 2147483647, message: 'must be greater than or equal to 0', by: 'ValidateDeploymentSpec, ValidateReplicaSetSpec, ValidateStatefulSetSpec (ValidateNonnegativeField; an int32)' },
  'StatefulSet spec.ordinals.start': { min: 0, max: 2147483647, message: 'must be greater than or equal to 0', by: 'ValidateStatefulSetSpec (ValidateNonnegativeField)' },
  'EndpointSlice ports[].port': { ...PORT, by: 'validateEndpointPorts (IsValidPortNum)' },
  'NetworkPolicy ports[].port': { ...PORT, by: 'ValidateNetworkPolicyPort (IsValidPortNum)' },
  'NetworkPolicy ports[].endPort': { ...PORT, by: 'ValidateNetworkPolicyPort (IsValidPortNum)' },
} as const satisfies Record<string, IntRule>;

/** The key of an integer field in INT_FIELDS. */
export type IntField = keyof typeof INT_FIELDS;

/** ValidateAnnotations' limit on the sum of the keys' and values' lengths (TotalAnnotationSizeLimitB). */
export const ANNOTATIONS_MAX_BYTES = 256 * 1024;
