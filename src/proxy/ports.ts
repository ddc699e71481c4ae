/**
 * The part of syncProxyRules both proxy modes share before they write anything: the service
 * ports this proxier's family handles (headless and other-family ClusterIPs dropped), each with
 * its endpoints normalised (pkg/proxy/serviceport.go, endpointslicecache.go).
 */
import type { Family } from '../addr/index.js';
import { type EndpointInfo, normalizeEndpoints } from './iptables/endpoints.js';
import { type ServicePortInfo, toServicePortInfo } from './iptables/service-port.js';
import type { EndpointInput, EndpointsBySPN, ProxierConfig, ServicePortInput } from './types.js';

/** One service port with its normalised endpoints. */
export interface CollectedPort {
  readonly input: ServicePortInput;
  readonly info: ServicePortInfo;
  readonly endpoints: readonly EndpointInfo[];
}

/** The endpoints recorded for `spn` (none when the map has no entry). */
export function endpointsFor(endpointsBySPN: EndpointsBySPN, spn: string): readonly EndpointInput[] {
  if (endpointsBySPN instanceof Map) return endpointsBySPN.get(spn) ?? [];
  const record = endpointsBySPN as Readonly<Record<string, readonly EndpointInput[]>>;
  return Object.hasOwn(record, spn) ? (record[spn] ?? []) : [];
}

/** The service ports a proxier of `config.family` handles, in input order. */
export function collectPorts(
  config: ProxierConfig,
  family: Family,
  servicePorts: readonly ServicePortInput[],
  endpointsBySPN: EndpointsBySPN,
): CollectedPort[] {
  const ports: CollectedPort[] = [];
  for (const input of servicePorts) {
    const info = toServicePortInfo(input, family);
    if (info === undefined) continue;
    ports.push({ input, info, endpoints: normalizeEndpoints(info, endpointsFor(endpointsBySPN, info.spn), config) });
  }
  return ports;
}
