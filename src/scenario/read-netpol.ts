/**
 * Reading `networking.k8s.io/v1 NetworkPolicy` with the API server's rules
 * (pkg/apis/networking/validation: ValidateNetworkPolicy, ValidateNetworkPolicySpec,
 * ValidateNetworkPolicyPeer, ValidateIPBlock, ValidateNetworkPolicyPort) and its defaults
 * (SetDefaults_NetworkPolicy: policyTypes; a port's protocol is TCP). Selectors are read by
 * read-selector.ts.
 */
import { type Cidr, cidrContains, formatCidr } from '../addr/index.js';
import {
  EVERYTHING, type IPBlock, type NetworkPolicy, type NetworkPolicyPeer, type NetworkPolicyPort, type PolicyType, defaultPolicyTypes,
} from '../cluster/objects.js';
import { IP_BLOCK, NETWORK_POLICY, NETWORK_POLICY_EGRESS, NETWORK_POLICY_INGRESS, NETWORK_POLICY_PEER, NETWORK_POLICY_PORT, NETWORK_POLICY_SPEC } from './fields.js';
import { optCidr } from './read-addr.js';
import { readMeta } from './read-meta.js';
import { PROTOCOLS } from './read-pod.js';
import { optSelector } from './read-selector.js';
import type { RawNetworkPolicy } from './raw.js';
import { type Field, absent, child, fail, fieldName, missing, optEnum, optList, optMap, optString, wrongType } from './reader.js';
import { checkText, optIntField, quoted } from './validate/index.js';

const TYPES: readonly PolicyType[] = ['Ingress', 'Egress'];

/** Reads a NetworkPolicy; an absent spec is an empty one (a deny-all-ingress policy), as for the API server. */
export function readNetworkPolicy(obj: Field): RawNetworkPolicy | undefined {
  optMap(obj, NETWORK_POLICY);
  const meta = readMeta(obj, 'NetworkPolicy');
  if (meta === undefined) return undefined;
  const spec = child(obj, 'spec');
  optMap(spec, NETWORK_POLICY_SPEC);
  const podSelector = optSelector(child(spec, 'podSelector')) ?? EVERYTHING;
  // A null rule (`- ` with nothing after it) decodes to the zero rule, `{}`: allow everything.
  const ingress = (optList(child(spec, 'ingress')) ?? []).flatMap((r) => {
    if (absent(r)) return [{ from: [], ports: [] }];
    if (optMap(r, NETWORK_POLICY_INGRESS) === undefined) return [];
    return [{ from: readPeers(child(r, 'from')), ports: readPorts(child(r, 'ports')) }];
  });
  const egress = (optList(child(spec, 'egress')) ?? []).flatMap((r) => {
    if (absent(r)) return [{ to: [], ports: [] }];
    if (optMap(r, NETWORK_POLICY_EGRESS) === undefined) return [];
    return [{ to: readPeers(child(r, 'to')), ports: readPorts(child(r, 'ports')) }];
  });
  const policy: NetworkPolicy = {
    name: meta.name,
    namespace: meta.namespace,
    labels: meta.labels,
    podSelector,
    policyTypes: defaultPolicyTypes(readPolicyTypes(child(spec, 'policyTypes')), egress.length),
    ingress,
    egress,
    pos: meta.pos,
  };
  return { meta, policy, kindField: child(obj, 'kind') };
}

/** `policyTypes`: at most two, each Ingress or Egress (NotSupported otherwise). */
function readPolicyTypes(f: Field): PolicyType[] {
  const items = optList(f) ?? [];
  if (items.length > TYPES.length) {
    fail(f, 'SCN_NETPOL_POLICY_TYPE', `${fieldName(f)}: Invalid value: ${items.length} entries: may not specify more than two policyTypes`);
    return [];
  }
  return items.flatMap((item) => {
    const s = optString(item);
    if (s === undefined) return [];
    if ((TYPES as readonly string[]).includes(s)) return [s as PolicyType];
    fail(item, 'SCN_NETPOL_POLICY_TYPE', `${fieldName(item)}: Unsupported value: ${quoted(s)}: supported values: "Ingress", "Egress"`);
    return [];
  });
}

function readPeers(f: Field): NetworkPolicyPeer[] {
  return (optList(f) ?? []).flatMap((p) => readPeer(p) ?? []);
}

/** A peer: ipBlock alone, or podSelector and/or namespaceSelector (ValidateNetworkPolicyPeer). */
function readPeer(f: Field): NetworkPolicyPeer | undefined {
  if (!absent(f) && optMap(f, NETWORK_POLICY_PEER) === undefined) return undefined;
  const [podField, nsField, blockField] = [child(f, 'podSelector'), child(f, 'namespaceSelector'), child(f, 'ipBlock')];
  const podSelector = optSelector(podField);
  const namespaceSelector = optSelector(nsField);
  const ipBlock = readIpBlock(blockField);
  const given = [podField, nsField, blockField].filter((x) => !absent(x)).length;
  if (given === 0) {
    fail(f, 'SCN_NETPOL_BAD_PEER', `${fieldName(f)}: Required value: must specify a peer (podSelector, namespaceSelector or ipBlock)`);
    return undefined;
  }
  if (given > 1 && !absent(blockField)) {
    fail(blockField, 'SCN_NETPOL_BAD_PEER', `${fieldName(f)}: Forbidden: may not specify both ipBlock and another peer`, 'key');
    return undefined;
  }
  if (ipBlock !== undefined) return { ipBlock };
  if (podSelector === undefined && namespaceSelector === undefined) return undefined;
  return { ...(podSelector === undefined ? {} : { podSelector }), ...(namespaceSelector === undefined ? {} : { namespaceSelector }) };
}

/** ValidateIPBlock: a cidr that parses, each `except` strictly inside it. */
function readIpBlock(f: Field): IPBlock | undefined {
  if (optMap(f, IP_BLOCK) === undefined) return undefined;
  const cidrField = child(f, 'cidr');
  const cidr = absent(cidrField) || cidrField.value === '' ? missing(f, 'cidr') : optCidr(cidrField);
  const except: Cidr[] = [];
  for (const item of optList(child(f, 'except')) ?? []) {
    const e = optCidr(item);
    if (e === undefined || cidr === undefined) continue;
    if (!strictlyInside(e, cidr)) {
      fail(item, 'SCN_NETPOL_EXCEPT_OUTSIDE_CIDR', `${fieldName(item)}: Invalid value: ${quoted(String(item.value))}: must be a strict subset of \`cidr\` (${formatCidr(cidr)})`);
      continue;
    }
    except.push(e);
  }
  return cidr === undefined ? undefined : { cidr, except };
}

/** `inner` lies in `outer` and is smaller: what ValidateIPBlock checks (Contains and a longer mask). */
function strictlyInside(inner: Cidr, outer: Cidr): boolean {
  return inner.addr.family === outer.addr.family && cidrContains(outer, inner.addr) && inner.prefix > outer.prefix;
}

function readPorts(f: Field): NetworkPolicyPort[] {
  return (optList(f) ?? []).flatMap((p) => readPort(p) ?? []);
}

/** ValidateNetworkPolicyPort: a protocol, a port number or name, and endPort only after a numeric port. */
function readPort(f: Field): NetworkPolicyPort | undefined {
  // A null entry decodes to the zero port: every TCP port.
  if (absent(f)) return { protocol: 'TCP' };
  if (optMap(f, NETWORK_POLICY_PORT) === undefined) return undefined;
  const protocol = optEnum(child(f, 'protocol'), PROTOCOLS) ?? 'TCP';
  const portField = child(f, 'port');
  const port = readPortValue(portField);
  const endField = child(f, 'endPort');
  const endPort = optIntField(endField, 'NetworkPolicy ports[].endPort');
  if (!absent(endField)) {
    const problem = absent(portField)
      ? 'may not be specified when `port` is not specified'
      : typeof portField.value === 'string'
        ? 'may not be specified when `port` is non-numeric'
        : endPort !== undefined && typeof port === 'number' && endPort < port
          ? 'must be greater than or equal to `port`'
          : undefined;
    if (problem !== undefined) {
      fail(endField, 'SCN_NETPOL_BAD_PORT', `${fieldName(endField)}: Invalid value: ${String(endField.value)}: ${problem}`);
      return undefined;
    }
  }
  if (!absent(portField) && port === undefined) return undefined;
  return { protocol, ...(port === undefined ? {} : { port }), ...(endPort === undefined ? {} : { endPort }) };
}

/** `port`: a number (1–65535) or a container port name (IsValidPortName); "80" in quotes is a name, and refused. */
function readPortValue(f: Field): number | string | undefined {
  if (absent(f)) return undefined;
  if (typeof f.value === 'number') return optIntField(f, 'NetworkPolicy ports[].port');
  if (typeof f.value !== 'string') return wrongType(f, 'a port number or a container port name');
  return checkText(f, 'NetworkPolicy ports[].port (a name)', f.value) ? f.value : undefined;
}
