/**
 * Reading `v1 Pod`: placement (`spec.nodeName`, `hostNetwork`), container ports, and from
 * `status` the pod IP, the Ready condition (ready unless a Ready condition says otherwise).
 */
import type { Container, ContainerPort, PodDns, Protocol } from '../cluster/objects.js';
import { CONDITION, CONTAINER, CONTAINER_PORT, POD, POD_SPEC } from './fields.js';
import { formatIp, ipEquals } from '../addr/index.js';
import { optIp } from './read-addr.js';
import { readPodDns } from './read-dns.js';
import { readMeta } from './read-meta.js';
import type { At, RawPod } from './raw.js';
import { type Field, child, fail, fieldName, optBool, optEnum, optList, optMap, optString, reqString, absent, missing, trimmed } from './reader.js';
import { checkText, optIntField, optText, quoted } from './validate/index.js';

/** L4 protocols Kubernetes accepts in ports. */
export const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

/** Reads a Pod. */
export function readPod(obj: Field): RawPod | undefined {
  optMap(obj, POD);
  const meta = readMeta(obj, 'Pod');
  if (meta === undefined) return undefined;
  const spec = child(obj, 'spec');
  if (absent(spec)) return missing(obj, 'spec');
  if (optMap(spec, POD_SPEC) === undefined) return undefined;
  const { nodeName, hostNetwork, containers, dns } = readPodSpec(spec);
  const status = child(obj, 'status');
  optMap(status);
  const podIP = readPodIP(status);
  return {
    meta,
    hostNetwork,
    ready: readReady(child(status, 'conditions')),
    containers,
    ...(nodeName === undefined ? {} : { nodeName }),
    ...(podIP === undefined ? {} : { podIP }),
    ...(dns === undefined ? {} : { dns }),
  };
}

/** What a pod spec says about the network (a Pod's, or a workload template's): its node, hostNetwork, containers. */
export function readPodSpec(spec: Field): { readonly nodeName?: At<string>; readonly hostNetwork: boolean; readonly containers: Container[]; readonly dns?: PodDns } {
  const nodeField = child(spec, 'nodeName');
  const nodeName = optText(nodeField, 'Pod spec.nodeName');
  const dns = readPodDns(spec);
  const containersField = child(spec, 'containers');
  const containers = optList(containersField);
  if (containers === undefined) missing(spec, 'containers');
  else if (containers.length === 0) fail(containersField, 'SCN_MISSING_FIELD', 'spec.containers: Required value: a pod needs at least one container');
  return {
    hostNetwork: optBool(child(spec, 'hostNetwork')) ?? false,
    containers: readContainers(containers ?? []),
    ...(nodeName === undefined ? {} : { nodeName: { value: nodeName, field: nodeField } }),
    ...(dns === undefined ? {} : { dns }),
  };
}

/**
 * `status.podIP`, or the first of `status.podIPs` when it is absent. When both are given they
 * must agree: `podIPs[0]` is the same address (ValidatePodStatusUpdate reads them as one list).
 */
function readPodIP(status: Field): RawPod['podIP'] {
  const single = child(status, 'podIP');
  const ips = (optList(child(status, 'podIPs')) ?? []).map((item) => (optMap(item) === undefined ? undefined : child(item, 'ip')));
  const [first, ...rest] = ips;
  // Every listed address must parse (IsValidIP); only the first is the pod's, as netsim is single-stack.
  for (const f of rest) if (f !== undefined) optIp(f);
  const field = absent(single) && first !== undefined ? first : single;
  const value = optIp(field);
  if (value === undefined) return undefined;
  const other = first === undefined || field === first || absent(first) ? undefined : optIp(first);
  if (first !== undefined && other !== undefined && !ipEquals(other, value)) {
    fail(first, 'SCN_BAD_VALUE', `${fieldName(first)}: Invalid value: ${quoted(String(first.value))}: must equal status.podIP (${quoted(formatIp(value))})`);
  }
  return { value, field };
}

/** The containers; their names are unique within the pod (validateContainers). */
function readContainers(items: readonly Field[]): Container[] {
  const seen = new Set<string>();
  // A loop, not flatMap (an array per container): every pod of a 5 MB scenario comes through here.
  const out: Container[] = [];
  for (const c of items) {
    const container = readContainer(c);
    if (container === undefined) continue;
    if (container.name !== '' && seen.has(container.name)) {
      fail(child(c, 'name'), 'SCN_DUPLICATE_NAME', `${fieldName(child(c, 'name'))}: Duplicate value: ${quoted(container.name)}`);
    }
    seen.add(container.name);
    out.push(container);
  }
  return trimmed(out);
}

function readReady(f: Field): boolean {
  for (const c of optList(f) ?? []) {
    if (optMap(c, CONDITION) === undefined || optString(child(c, 'type')) !== 'Ready') continue;
    const status = optEnum(child(c, 'status'), ['True', 'False', 'Unknown']);
    return status === undefined || status === 'True';
  }
  return true;
}

function readContainer(f: Field): Container | undefined {
  if (optMap(f, CONTAINER) === undefined) return undefined;
  const name = reqString(f, 'name') ?? '';
  if (name !== '') optText(child(f, 'name'), 'Pod spec.containers[].name');
  const ports: ContainerPort[] = [];
  const seen = new Set<string>();
  for (const p of optList(child(f, 'ports')) ?? []) {
    const port = readContainerPort(p);
    if (port?.name === undefined) {
      if (port !== undefined) ports.push(port);
      continue;
    }
    if (seen.has(port.name)) fail(child(p, 'name'), 'SCN_DUPLICATE_NAME', `${fieldName(child(p, 'name'))}: Duplicate value: ${quoted(port.name)}`);
    seen.add(port.name);
    ports.push(port);
  }
  const image = optString(child(f, 'image'));
  return image === undefined ? { name, ports: trimmed(ports) } : { name, ports: trimmed(ports), image };
}

function readContainerPort(f: Field): ContainerPort | undefined {
  if (optMap(f, CONTAINER_PORT) === undefined) return undefined;
  const portField = child(f, 'containerPort');
  const containerPort = absent(portField) ? missing(f, 'containerPort') : optIntField(portField, 'Pod spec.containers[].ports[].containerPort');
  // An empty name is no name, as validateContainerPorts reads it.
  const name = optString(child(f, 'name')) || undefined;
  if (name !== undefined) checkText(child(f, 'name'), 'Pod spec.containers[].ports[].name', name);
  optIntField(child(f, 'hostPort'), 'Pod spec.containers[].ports[].hostPort');
  const protocol = optEnum(child(f, 'protocol'), PROTOCOLS) ?? 'TCP';
  if (containerPort === undefined) return undefined;
  return name === undefined ? { containerPort, protocol } : { name, containerPort, protocol };
}
