/**
 * Reading `v1 Pod`: placement (`spec.nodeName`, `hostNetwork`), container ports, and from
 * `status` the pod IP, the Ready condition (ready unless a Ready condition says otherwise).
 */
import type { Container, ContainerPort, Protocol } from '../cluster/objects.js';
import { CONDITION, CONTAINER, CONTAINER_PORT, POD, POD_SPEC } from './fields.js';
import { optIp } from './read-addr.js';
import { readMeta } from './read-meta.js';
import type { RawPod } from './raw.js';
import { type Field, child, fail, optBool, optEnum, optInt, optList, optMap, optString, reqString, absent, missing } from './reader.js';

/** L4 protocols Kubernetes accepts in ports. */
export const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

/** Reads a Pod. */
export function readPod(obj: Field): RawPod | undefined {
  optMap(obj, POD);
  const meta = readMeta(obj, true);
  if (meta === undefined) return undefined;
  const spec = child(obj, 'spec');
  if (absent(spec)) return missing(obj, 'spec');
  if (optMap(spec, POD_SPEC) === undefined) return undefined;
  const nodeField = child(spec, 'nodeName');
  const nodeName = optString(nodeField);
  const status = child(obj, 'status');
  optMap(status);
  const ipField = child(status, 'podIP');
  const podIP = optIp(ipField);
  const containers = optList(child(spec, 'containers'));
  if (containers === undefined) missing(spec, 'containers');
  return {
    meta,
    hostNetwork: optBool(child(spec, 'hostNetwork')) ?? false,
    ready: readReady(child(status, 'conditions')),
    containers: (containers ?? []).flatMap((c) => readContainer(c) ?? []),
    ...(nodeName === undefined ? {} : { nodeName: { value: nodeName, field: nodeField } }),
    ...(podIP === undefined ? {} : { podIP: { value: podIP, field: ipField } }),
  };
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
  const ports: ContainerPort[] = [];
  const seen = new Set<string>();
  for (const p of optList(child(f, 'ports')) ?? []) {
    const port = readContainerPort(p);
    if (port?.name === undefined) {
      if (port !== undefined) ports.push(port);
      continue;
    }
    if (seen.has(port.name)) fail(child(p, 'name'), 'SCN_DUPLICATE_NAME', `container ${name} declares port name "${port.name}" twice`);
    seen.add(port.name);
    ports.push(port);
  }
  return { name, ports };
}

function readContainerPort(f: Field): ContainerPort | undefined {
  if (optMap(f, CONTAINER_PORT) === undefined) return undefined;
  const portField = child(f, 'containerPort');
  const containerPort = absent(portField) ? missing(f, 'containerPort') : optInt(portField, 1, 65535);
  if (containerPort === undefined) return undefined;
  const name = optString(child(f, 'name'));
  const protocol = optEnum(child(f, 'protocol'), PROTOCOLS) ?? 'TCP';
  return name === undefined ? { containerPort, protocol } : { name, containerPort, protocol };
}
