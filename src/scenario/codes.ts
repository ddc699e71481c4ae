/**
 * Every diagnostic code the scenario loader emits, with its severity and a one-line meaning.
 * docs/errors.md explains each one with an example; codes.test.ts checks that both lists and
 * the source agree.
 */
import type { Severity } from '../diag/diagnostic.js';

/** Code → severity and meaning. */
export const SCENARIO_CODES: Readonly<Record<string, { readonly severity: Severity; readonly summary: string }>> = {
  SCN_YAML_SYNTAX: { severity: 'error', summary: 'the text is not valid YAML (or repeats a key in a mapping)' },
  SCN_TOO_DEEP: { severity: 'error', summary: 'collections nested deeper than any Kubernetes object (100 levels)' },
  SCN_YAML_TAG: { severity: 'error', summary: 'a YAML tag outside the core schema (!!python/object, !foo): not a JSON type' },
  SCN_YAML_VERSION: { severity: 'error', summary: 'a %YAML directive other than 1.1 or 1.2' },
  SCN_COMPLEX_KEY: { severity: 'error', summary: 'a mapping key that is itself a mapping or a list' },
  SCN_BAD_CHARACTER: { severity: 'error', summary: 'a character YAML does not allow in a file (NUL, a control character)' },
  SCN_UNKNOWN_FIELD: { severity: 'error', summary: 'a field netsim does not read and Kubernetes does not define (a typo?)' },
  SCN_WRONG_TYPE: { severity: 'error', summary: 'a value of the wrong type (a list where a mapping belongs, a number for a label…)' },
  SCN_MISSING_FIELD: { severity: 'error', summary: 'a required field is absent' },
  SCN_BAD_VALUE: { severity: 'error', summary: 'a value outside the allowed set or range' },
  SCN_INVALID_NAME: { severity: 'error', summary: "a name, label, annotation key or port name that breaks Kubernetes' naming rules" },
  SCN_BAD_INTERFACE_NAME: { severity: 'error', summary: 'an interface name the kernel refuses, or one another device of the node already has' },
  SCN_BAD_ADDRESS: { severity: 'error', summary: 'text that is not an IPv4 or IPv6 address, of the wrong family, or refused as an endpoint (loopback, link-local…)' },
  SCN_BAD_CIDR: { severity: 'error', summary: 'text that is not a prefix, or a prefix of the wrong family' },
  SCN_CIDR_OVERLAP: { severity: 'error', summary: 'two networks that must be disjoint share addresses' },
  SCN_ADDRESS_OUT_OF_RANGE: { severity: 'error', summary: 'an address or prefix outside the range it must come from' },
  SCN_DUPLICATE_ADDRESS: { severity: 'error', summary: 'two objects claim the same address' },
  SCN_DUPLICATE_NAME: { severity: 'error', summary: 'two objects (or ports) of a kind share a name' },
  SCN_DUPLICATE_PORT: { severity: 'error', summary: 'a Service port or nodePort is used twice' },
  SCN_MISSING_REFERENCE: { severity: 'error', summary: 'a reference to an object that does not exist' },
  SCN_IP_EXHAUSTED: { severity: 'error', summary: 'a range has no address (or podCIDR) left to allocate' },
  SCN_PORT_EXHAUSTED: { severity: 'error', summary: 'the node port range has no port left' },
  SCN_UNKNOWN_KIND: { severity: 'error', summary: 'a kind (or apiVersion) netsim does not know' },
  SCN_IGNORED_KIND: { severity: 'warning', summary: 'a Kubernetes kind netsim does not model; the object is skipped' },
  SCN_NO_CLUSTER: { severity: 'error', summary: 'no kind: Cluster object' },
  SCN_MULTIPLE_CLUSTERS: { severity: 'error', summary: 'more than one kind: Cluster object' },
  SCN_NO_NODES: { severity: 'error', summary: 'the cluster has no nodes' },
  SCN_SELECTOR_MATCHES_NOTHING: { severity: 'warning', summary: 'a Service selector selects no pod' },
  SCN_TARGET_PORT_UNRESOLVED: { severity: 'warning', summary: 'a named targetPort that no selected pod declares' },
  SCN_CALICO_KIND_IGNORED: { severity: 'warning', summary: 'a Calico kind netsim does not model (BGPPeer, GlobalNetworkPolicy, …), or a per-node FelixConfiguration; the object is skipped' },
  SCN_CALICO_FIELD_IGNORED: { severity: 'warning', summary: 'a Calico field netsim does not model, set to something other than its default; it has no effect' },
  SCN_CALICO_NOT_IN_USE: { severity: 'warning', summary: 'Calico objects in a cluster whose CNI plugin is not calico; they are skipped' },
  SCN_CALICO_POOL_OVERLAP: { severity: 'error', summary: 'two IPPools share addresses' },
  SCN_CALICO_POOL_OUTSIDE_CLUSTER: { severity: 'error', summary: 'an IPPool that is not inside the Cluster clusterCIDR' },
  SCN_CALICO_BLOCK_SIZE: { severity: 'error', summary: 'an IPPool blockSize outside 20–32 (IPv4) or 116–128 (IPv6), or larger than the pool' },
  SCN_CALICO_ENCAP_CONFLICT: { severity: 'error', summary: 'an IPPool with both ipipMode and vxlanMode enabled' },
  SCN_CALICO_IPIP_IPV6: { severity: 'error', summary: 'an IPv6 IPPool with ipipMode other than Never (IP-in-IP carries IPv4 only)' },
  SCN_CALICO_BAD_SELECTOR: { severity: 'error', summary: 'an IPPool nodeSelector that is not a Calico selector' },
  SCN_CALICO_STRICT_AFFINITY: { severity: 'error', summary: 'IPAMConfig maxBlocksPerHost set without strictAffinity' },
  SCN_CALICO_SINGLETON_NAME: { severity: 'error', summary: 'an IPAMConfig (or IPAMConfiguration) named other than default' },
};
