/**
 * Reading the outside of the cluster: `Cluster.spec.loadBalancer` (how the cloud's load
 * balancer delivers a LoadBalancer IP: `vip` or `nodePort`) and `Cluster.spec.externalHosts`
 * (named hosts on the internet, behind the network's exit, that traces start from or go to).
 * Where their addresses may lie is checked once the networks are known (resolve/external-hosts.ts).
 */
import type { Ip } from '../addr/index.js';
import type { CloudLoadBalancerConfig } from '../cluster/objects.js';
import { CLOUD_LOAD_BALANCER, EXTERNAL_HOST } from './fields.js';
import { optIp } from './read-addr.js';
import type { At } from './raw.js';
import { type Field, at, child, fail, fieldName, optEnum, optList, optMap, reqString } from './reader.js';
import { checkText } from './validate/index.js';

/** `spec.loadBalancer.mode` values. */
export const CLOUD_LB_MODES = ['vip', 'nodePort'] as const;

/** A declared external host, its fields kept for the checks that need the cluster's networks. */
export interface RawExternalHost {
  readonly name: At<string>;
  readonly addresses: readonly At<Ip>[];
}

/** `spec.loadBalancer`; undefined when absent (the `vip` default). */
export function readCloudLoadBalancer(f: Field): CloudLoadBalancerConfig | undefined {
  if (optMap(f, CLOUD_LOAD_BALANCER) === undefined) return undefined;
  return { mode: optEnum(child(f, 'mode'), CLOUD_LB_MODES) ?? 'vip' };
}

/**
 * `spec.externalHosts`: each a name and one or two addresses (one per family). A repeated name
 * is SCN_DUPLICATE_NAME; two addresses of one family, SCN_BAD_ADDRESS.
 */
export function readExternalHosts(f: Field): RawExternalHost[] {
  const out: RawExternalHost[] = [];
  for (const item of optList(f) ?? []) {
    if (optMap(item, EXTERNAL_HOST) === undefined) continue;
    const name = reqString(item, 'name');
    const nameField = child(item, 'name');
    if (name === undefined || !checkText(nameField, 'Cluster spec.externalHosts[].name', name)) continue;
    if (out.some((h) => h.name.value === name)) {
      fail(nameField, 'SCN_DUPLICATE_NAME', `${fieldName(nameField)}: Duplicate value: "${name}": another external host has this name`);
      continue;
    }
    const addresses = readAddresses(item);
    if (addresses.length > 0) out.push({ name: { value: name, field: nameField }, addresses });
  }
  return out;
}

function readAddresses(item: Field): At<Ip>[] {
  const list = child(item, 'addresses');
  const given = optList(list);
  if (given === undefined || given.length === 0) {
    fail(given === undefined ? item : list, 'SCN_MISSING_FIELD', `${fieldName(list)}: Required value: an external host needs an address (one per family at most)`, given === undefined ? 'key' : 'value');
    return [];
  }
  const out: At<Ip>[] = [];
  for (const a of given) {
    const ip = optIp(a);
    if (ip === undefined) continue;
    if (out.some((o) => o.value.family === ip.family)) {
      fail(a, 'SCN_BAD_ADDRESS', `${fieldName(a)}: a second IPv${ip.family} address: an external host has one address per family`);
      continue;
    }
    out.push({ value: ip, field: a });
  }
  return out;
}

/** Where a host was declared, for the built object. */
export function hostPos(h: RawExternalHost): ReturnType<typeof at> {
  return at(h.name.field);
}
