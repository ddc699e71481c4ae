/**
 * Reading `v1 Service`. Kubernetes' own validation rules that shape the network are checked
 * here: a multi-port Service names every port, names and port/protocol pairs are unique,
 * nodePorts only on NodePort and LoadBalancer Services; the rules that tie several fields
 * together are in service-rules.ts, names and numbers in validate/.
 */
import type { Ip } from '../addr/index.js';
import type { ServiceType } from '../cluster/objects.js';
import { SERVICE, SERVICE_PORT, SERVICE_SPEC } from './fields.js';
import { optCidrList, optIp } from './read-addr.js';
import { readIpFamilies } from './read-ip-families.js';
import { readMeta } from './read-meta.js';
import { PROTOCOLS } from './read-pod.js';
import { readServiceApiFields } from './service-api-rules.js';
import { checkServiceRules } from './service-rules.js';
import type { At, RawService, RawServicePort } from './raw.js';
import {
  type Field, absent, child, fail, fieldName, isMap, missing, optBool, optEnum, optList, optMap, optString, trimmed, wrongType,
} from './reader.js';
import { checkEndpointIp, checkText, optIntField, optLabels, optText, quoted } from './validate/index.js';

/** The Service types netsim reads. */
export const SERVICE_TYPES: readonly ServiceType[] = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];
const POLICIES = ['Cluster', 'Local'] as const;

/** Reads a Service. */
export function readService(obj: Field): RawService | undefined {
  optMap(obj, SERVICE);
  const meta = readMeta(obj, 'Service');
  if (meta === undefined) return undefined;
  const spec = child(obj, 'spec');
  if (absent(spec)) return missing(obj, 'spec');
  if (optMap(spec, SERVICE_SPEC) === undefined) return undefined;
  const type = optEnum(child(spec, 'type'), SERVICE_TYPES) ?? 'ClusterIP';
  const selectorField = child(spec, 'selector');
  const selector = optLabels(selectorField, 'Service spec.selector key', 'Service spec.selector value');
  const clusterIP = readClusterIP(spec);
  const ports = readPorts(spec, type);
  const externalName = optText(child(spec, 'externalName'), 'Service spec.externalName');
  const healthCheckNodePort = optIntField(child(spec, 'healthCheckNodePort'), 'Service spec.healthCheckNodePort');
  const externalIPs = readExternalIPs(child(spec, 'externalIPs'));
  const ipFamily = readIpFamilies(spec, clusterIP?.value);
  checkServiceRules(spec, { type, headless: clusterIP?.value === 'None', ports, externalIPs, externalName, healthCheckNodePort });
  // Built field by field in the order a literal with spreads gave (toService copies the keys in
  // order), and the fields read in the same order: V8 made such a literal, with four
  // conditional spreads, in a slow path of its own for each of 10,000 Services.
  const out: Partial<Mutable<RawService>> = {
    meta,
    type,
    ports,
    externalTrafficPolicy: optEnum(child(spec, 'externalTrafficPolicy'), POLICIES) ?? 'Cluster',
    internalTrafficPolicy: optEnum(child(spec, 'internalTrafficPolicy'), POLICIES) ?? 'Cluster',
    sessionAffinity: optEnum(child(spec, 'sessionAffinity'), ['None', 'ClientIP']) ?? 'None',
    sessionAffinityTimeoutSeconds: readAffinityTimeout(child(spec, 'sessionAffinityConfig')),
    externalIPs,
    loadBalancerSourceRanges: optCidrList(child(spec, 'loadBalancerSourceRanges')),
    loadBalancerIngress: [],
  };
  const ingress = readIngress(child(obj, 'status'));
  out.loadBalancerIngress = ingress.loadBalancerIngress;
  if (ingress.loadBalancerProxyIPs !== undefined) out.loadBalancerProxyIPs = ingress.loadBalancerProxyIPs;
  out.publishNotReadyAddresses = optBool(child(spec, 'publishNotReadyAddresses')) ?? false;
  out.ipFamily = ipFamily;
  const api = readServiceApiFields(spec, type);
  if (api.allocateLoadBalancerNodePorts !== undefined) out.allocateLoadBalancerNodePorts = api.allocateLoadBalancerNodePorts;
  if (api.loadBalancerClass !== undefined) out.loadBalancerClass = api.loadBalancerClass;
  if (api.trafficDistribution !== undefined) out.trafficDistribution = api.trafficDistribution;
  // `selector: {}` is no selector for a Service: its endpoints are managed by hand.
  if (selector !== undefined && Object.keys(selector).length > 0) out.selector = { value: selector, field: selectorField };
  if (clusterIP !== undefined) out.clusterIP = clusterIP;
  if (externalName !== undefined) out.externalName = externalName;
  if (healthCheckNodePort !== undefined) out.healthCheckNodePort = healthCheckNodePort;
  return out as RawService;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** `clusterIP` (or the first of `clusterIPs`): an address, `None`, or unset (`""` too). */
function readClusterIP(spec: Field): At<Ip | 'None'> | undefined {
  const single = child(spec, 'clusterIP');
  const list = optList(child(spec, 'clusterIPs')) ?? [];
  const first = list[0];
  const f = absent(single) && first !== undefined ? first : single;
  const text = optString(f);
  if (text === undefined || text === '') return undefined;
  if (first !== undefined && f === single && optString(first) !== text) {
    fail(first, 'SCN_BAD_VALUE', `${fieldName(first)} must equal clusterIP (${text})`);
  }
  if (text === 'None') return { value: 'None', field: f };
  const ip = optIp(f);
  return ip === undefined ? undefined : { value: ip, field: f };
}

function readPorts(spec: Field, type: ServiceType): RawServicePort[] {
  const items = optList(child(spec, 'ports')) ?? [];
  const ports = trimmed(items.flatMap((p) => readPort(p, type) ?? []));
  const names = new Set<string>();
  const pairs = new Set<string>();
  for (const p of ports) {
    if (ports.length > 1 && p.name === '') fail(p.field, 'SCN_MISSING_FIELD', `${fieldName(p.field)}.name is required when a Service has several ports`);
    if (p.name !== '' && names.has(p.name)) fail(child(p.field, 'name'), 'SCN_DUPLICATE_NAME', `${fieldName(child(p.field, 'name'))}: Duplicate value: ${quoted(p.name)}`);
    const pair = `${p.port}/${p.protocol}`;
    if (pairs.has(pair)) fail(child(p.field, 'port'), 'SCN_DUPLICATE_PORT', `port ${pair} is listed twice in this Service`);
    names.add(p.name);
    pairs.add(pair);
  }
  return ports;
}

function readPort(f: Field, type: ServiceType): RawServicePort | undefined {
  if (optMap(f, SERVICE_PORT) === undefined) return undefined;
  const portField = child(f, 'port');
  const port = absent(portField) ? missing(f, 'port') : optIntField(portField, 'Service spec.ports[].port');
  const nodePortField = child(f, 'nodePort');
  const nodePort = optIntField(nodePortField, 'Service spec.ports[].nodePort');
  const nameField = child(f, 'name');
  const name = optString(nameField) ?? '';
  if (name !== '') checkText(nameField, 'Service spec.ports[].name', name);
  optText(child(f, 'appProtocol'), 'Service spec.ports[].appProtocol');
  if (nodePort !== undefined && type !== 'NodePort' && type !== 'LoadBalancer') {
    fail(nodePortField, 'SCN_BAD_VALUE', `${fieldName(nodePortField)}: Forbidden: may not be used when \`type\` is '${type}'`);
  }
  const protocol = optEnum(child(f, 'protocol'), PROTOCOLS) ?? 'TCP';
  const targetPort = readTargetPort(child(f, 'targetPort'));
  // Every field is checked before a bad port drops the entry, as the API server reports all.
  if (port === undefined) return undefined;
  return {
    name,
    protocol,
    port,
    targetPort: targetPort ?? port,
    field: f,
    ...(nodePort === undefined ? {} : { nodePort, nodePortField }),
  };
}

/** `targetPort`: a port number, or a container port name (IANA_SVC_NAME); 0 and "" mean `port`. */
function readTargetPort(f: Field): number | string | undefined {
  if (absent(f)) return undefined;
  if (typeof f.value === 'number') return optIntField(f, 'Service spec.ports[].targetPort');
  if (typeof f.value !== 'string') return wrongType(f, 'a port number or a container port name');
  if (f.value === '') return undefined;
  // Kubernetes reads "8080" in quotes as a port *name*, and refuses it: a name needs a letter.
  if (/^[0-9]+$/.test(f.value)) {
    fail(f, 'SCN_INVALID_NAME', `${fieldName(f)}: Invalid value: ${quoted(f.value)}: must contain at least one letter (a-z) (a port number is written without quotes)`);
    return undefined;
  }
  return checkText(f, 'Service spec.ports[].targetPort (a name)', f.value) ? f.value : undefined;
}

function readAffinityTimeout(f: Field): number {
  const clientIP = child(f, 'clientIP');
  if (isMap(f.value)) optMap(clientIP);
  return optIntField(child(clientIP, 'timeoutSeconds'), 'Service spec.sessionAffinityConfig.clientIP.timeoutSeconds') ?? 10800;
}

/** `externalIPs`: addresses, none of them one the API server refuses as an endpoint (ValidateService). */
function readExternalIPs(f: Field): Ip[] {
  return (optList(f) ?? []).flatMap((item) => {
    const ip = optIp(item);
    return ip === undefined || !checkEndpointIp(item, ip) ? [] : [ip];
  });
}

/**
 * `status.loadBalancer.ingress[]`: each `ip`, and those whose `ipMode` is `Proxy`. The API
 * server refuses an `ipMode` without an `ip` (ValidateLoadBalancerStatus: "must be specified
 * when `ip` is not").
 */
function readIngress(status: Field): { loadBalancerIngress: Ip[]; loadBalancerProxyIPs?: Ip[] } {
  const ingress = optList(child(child(status, 'loadBalancer'), 'ingress')) ?? [];
  const ips: Ip[] = [];
  const proxied: Ip[] = [];
  for (const i of ingress) {
    if (!isMap(i.value)) continue;
    const ip = optIp(child(i, 'ip'));
    const modeField = child(i, 'ipMode');
    const mode = optEnum(modeField, IP_MODES);
    if (mode !== undefined && ip === undefined && absent(child(i, 'ip'))) fail(modeField, 'SCN_MISSING_FIELD', `${fieldName(modeField)}: Required value: ip must be set when ipMode is specified`);
    if (ip === undefined) continue;
    ips.push(ip);
    if (mode === 'Proxy') proxied.push(ip);
  }
  return { loadBalancerIngress: ips, ...(proxied.length > 0 ? { loadBalancerProxyIPs: proxied } : {}) };
}

/** `status.loadBalancer.ingress[].ipMode` (LoadBalancerIPMode). */
export const IP_MODES = ['VIP', 'Proxy'] as const;
