/**
 * Reading `v1 Node` (what `kubectl get nodes -o yaml` prints): the name, labels,
 * `spec.podCIDR` (or the first of `podCIDRs`), the first InternalIP of `status.addresses`, and
 * its further InternalIP/ExternalIP entries.
 */
import { type Cidr, type Ip, familyBits } from '../addr/index.js';
import { NODE, NODE_ADDRESS, NODE_SPEC } from './fields.js';
import { optCidr, optIp } from './read-addr.js';
import { readMeta } from './read-meta.js';
import { readTaints } from './read-taints.js';
import type { At, RawNode } from './raw.js';
import { type Field, absent, child, isMap, optList, optMap, optString } from './reader.js';

/** Reads a Node object. */
export function readNode(obj: Field): RawNode | undefined {
  optMap(obj, NODE);
  const meta = readMeta(obj, 'Node');
  if (meta === undefined) return undefined;
  const spec = child(obj, 'spec');
  optMap(spec, NODE_SPEC);
  const podCIDR = readPodCIDR(spec);
  const internalIP = readInternalIP(child(obj, 'status'));
  const extra = readFurtherAddresses(child(obj, 'status'), internalIP?.field);
  const taints = readTaints(child(spec, 'taints'));
  return {
    meta,
    ...(taints.length === 0 ? {} : { taints }),
    ...(podCIDR === undefined ? {} : { podCIDR }),
    ...(internalIP === undefined ? {} : { internalIP }),
    ...(extra.length === 0 ? {} : { extraAddresses: extra }),
  };
}

function readPodCIDR(spec: Field): At<Cidr> | undefined {
  const single = child(spec, 'podCIDR');
  const f = absent(single) ? (optList(child(spec, 'podCIDRs')) ?? [])[0] : single;
  if (f === undefined) return undefined;
  const value = optCidr(f);
  return value === undefined ? undefined : { value, field: f };
}

function readInternalIP(status: Field): At<Ip> | undefined {
  optMap(status);
  for (const a of optList(child(status, 'addresses')) ?? []) {
    if (optMap(a, NODE_ADDRESS) === undefined || optString(child(a, 'type')) !== 'InternalIP') continue;
    const f = child(a, 'address');
    const value = optIp(f);
    return value === undefined ? undefined : { value, field: f };
  }
  return undefined;
}

/**
 * The InternalIP and ExternalIP entries after the first InternalIP: further addresses of the
 * node (host prefixes on eth0). Hostname and the DNS types are names, not addresses.
 */
function readFurtherAddresses(status: Field, first: Field | undefined): Cidr[] {
  const out: Cidr[] = [];
  for (const a of optList(child(status, 'addresses')) ?? []) {
    const type = optString(child(a, 'type'));
    if (!isMap(a.value) || (type !== 'InternalIP' && type !== 'ExternalIP')) continue;
    const f = child(a, 'address');
    if (first !== undefined && f.path.join('.') === first.path.join('.')) continue;
    const ip = optIp(f);
    if (ip !== undefined && !out.some((c) => c.addr.value === ip.value && c.addr.family === ip.family)) out.push({ addr: ip, prefix: familyBits(ip.family) });
  }
  return out;
}
