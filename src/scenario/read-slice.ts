/**
 * Reading `discovery.k8s.io/v1 EndpointSlice`: the endpoints of a Service without a selector,
 * linked to it by the `kubernetes.io/service-name` label, as in Kubernetes.
 */
import type { AddressType, Endpoint, EndpointPort } from '../cluster/objects.js';
import { SERVICE_NAME_LABEL } from '../cluster/objects.js';
import { ENDPOINT, ENDPOINT_CONDITIONS, ENDPOINT_PORT, ENDPOINT_SLICE, TARGET_REF } from './fields.js';
import { readHints } from './read-hints.js';
import { optIp } from './read-addr.js';
import { readMeta } from './read-meta.js';
import { PROTOCOLS } from './read-pod.js';
import type { RawSlice } from './raw.js';
import { type Field, absent, child, fail, fieldName, missing, optBool, optEnum, optMap, optString } from './reader.js';
import { checkEndpointIp, checkText, optIntField, optListField, optText, quoted } from './validate/index.js';

/** Reads an EndpointSlice. */
export function readSlice(obj: Field): RawSlice | undefined {
  optMap(obj, ENDPOINT_SLICE);
  const meta = readMeta(obj, 'EndpointSlice');
  if (meta === undefined) return undefined;
  const typeField = child(obj, 'addressType');
  const addressType: AddressType | undefined = absent(typeField) ? missing(obj, 'addressType') : optEnum(typeField, ['IPv4', 'IPv6']);
  const serviceField = child(child(child(obj, 'metadata'), 'labels'), SERVICE_NAME_LABEL);
  const serviceName = meta.labels[SERVICE_NAME_LABEL];
  if (serviceName === undefined) missing(child(obj, 'metadata'), `labels["${SERVICE_NAME_LABEL}"]`);
  if (addressType === undefined || serviceName === undefined) return undefined;
  const endpoints = (optListField(child(obj, 'endpoints'), 'EndpointSlice endpoints') ?? []).flatMap((e) => readEndpoint(e, addressType, meta.namespace) ?? []);
  const ports = readPorts(child(obj, 'ports'));
  const slice = { name: meta.name, namespace: meta.namespace, labels: meta.labels, pos: meta.pos, serviceName, addressType, endpoints, ports, origin: 'scenario' as const };
  return { meta, slice, serviceField };
}

function readEndpoint(f: Field, addressType: AddressType, namespace: string): Endpoint | undefined {
  if (optMap(f, ENDPOINT) === undefined) return undefined;
  const family = addressType === 'IPv4' ? 4 : 6;
  const listed = optListField(child(f, 'addresses'), 'EndpointSlice endpoints[].addresses');
  if (listed === undefined || listed.length === 0) return missing(f, 'addresses');
  const addresses = listed.flatMap((a) => {
    const ip = optIp(a);
    if (ip !== undefined && ip.family !== family) fail(a, 'SCN_BAD_ADDRESS', `${fieldName(a)} is not an ${addressType} address, as the slice's addressType says`);
    return ip === undefined || ip.family !== family || !checkEndpointIp(a, ip) ? [] : [ip];
  });
  optText(child(f, 'hostname'), 'EndpointSlice endpoints[].hostname');
  if (addresses.length === 0) return undefined;
  const cond = child(f, 'conditions');
  optMap(cond, ENDPOINT_CONDITIONS);
  // As kube-proxy reads them: an unset ready or serving is true, an unset terminating false.
  const ready = optBool(child(cond, 'ready')) ?? true;
  const nodeName = optText(child(f, 'nodeName'), 'EndpointSlice endpoints[].nodeName');
  const ref = child(f, 'targetRef');
  optMap(ref, TARGET_REF);
  const refName = optString(child(ref, 'name'));
  const refKind = optString(child(ref, 'kind'));
  return {
    addresses,
    conditions: { ready, serving: optBool(child(cond, 'serving')) ?? true, terminating: optBool(child(cond, 'terminating')) ?? false },
    ...(nodeName === undefined ? {} : { nodeName }),
    ...(refName === undefined || refKind !== 'Pod' ? {} : { targetRef: { kind: 'Pod' as const, name: refName, namespace: optString(child(ref, 'namespace')) ?? namespace } }),
    ...readHints(child(f, 'hints')),
  };
}

/** The slice's ports; their names are unique (validatePorts). */
function readPorts(f: Field): EndpointPort[] {
  const seen = new Set<string>();
  return (optListField(f, 'EndpointSlice ports') ?? []).flatMap((p) => {
    const port = readPort(p);
    if (port === undefined) return [];
    if (seen.has(port.name)) fail(child(p, 'name'), 'SCN_DUPLICATE_NAME', `${fieldName(child(p, 'name'))}: Duplicate value: ${quoted(port.name)}`);
    seen.add(port.name);
    return [port];
  });
}

function readPort(f: Field): EndpointPort | undefined {
  if (optMap(f, ENDPOINT_PORT) === undefined) return undefined;
  const port = optIntField(child(f, 'port'), 'EndpointSlice ports[].port');
  const name = optString(child(f, 'name')) ?? '';
  if (name !== '') checkText(child(f, 'name'), 'EndpointSlice ports[].name', name);
  optText(child(f, 'appProtocol'), 'EndpointSlice ports[].appProtocol');
  const protocol = optEnum(child(f, 'protocol'), PROTOCOLS) ?? 'TCP';
  if (port === undefined) return absent(child(f, 'port')) ? missing(f, 'port') : undefined;
  return { name, protocol, port };
}
