/**
 * `usePodCidr`: the calico CNI plugin with host-local IPAM (canal.yaml's conflist) hands
 * host-local the node's `spec.podCIDRs` in place of the words `usePodCidr` / `usePodCidrIPv6`
 * (projectcalico/calico cni-plugin `utils.ReplaceHostLocalIPAMPodCIDRs`): in `ipam.subnet` (the
 * legacy single range) and in every range of `ipam.ranges`, matched without regard to case. The
 * podCIDRs come from the Kubernetes Node object (`getPodCidrs`: a GET of the node, its
 * `spec.podCIDRs`, first of each family), which this model reads from {@link CniHost.api}.
 */
import { parseCidr } from '../../addr/cidr.js';
import { type JsonObject, isObject } from '../json.js';
import { ok, pluginError } from '../outcome.js';
import type { ClusterApi, CniOutcome, JsonValue, NetConf } from '../types.js';

/** The Kubernetes Node objects in the API map (`kubectl get nodes`). */
export const NODES_RESOURCE = 'nodes';

/** A node's podCIDRs by family, as `getPodCidrs` returns them (`""` when the node has none). */
export interface NodePodCidrs {
  readonly v4: string;
  readonly v6: string;
}

/** `getPodCidrs`: the Node's `spec.podCIDRs` (or the older single `spec.podCIDR`), the first of each family. */
export function nodePodCidrs(api: ClusterApi, nodename: string): CniOutcome<NodePodCidrs> {
  const node = api.get(NODES_RESOURCE)?.get(nodename);
  if (!isObject(node)) return pluginError(`nodes "${nodename}" not found`);
  const spec = isObject(node.spec) ? node.spec : {};
  const listed = Array.isArray(spec.podCIDRs) ? spec.podCIDRs : typeof spec.podCIDR === 'string' ? [spec.podCIDR] : [];
  const texts = listed.filter((c): c is string => typeof c === 'string');
  const of = (family: 4 | 6): string => texts.find((t) => parseCidr(t)?.addr.family === family) ?? '';
  return ok({ v4: of(4), v6: of(6) });
}

/** One range (or the `ipam` object itself): its `subnet` with the node's podCIDR put in. */
function replaceOne(range: JsonValue, cidrs: () => CniOutcome<NodePodCidrs>): CniOutcome<JsonValue> {
  if (!isObject(range)) return pluginError(`failed to parse host-local IPAM data; was expecting a dict, not: ${JSON.stringify(range)}`);
  const subnet = typeof range.subnet === 'string' ? range.subnet.toLowerCase() : '';
  const family = subnet === 'usepodcidr' ? 'v4' : subnet === 'usepodcidripv6' ? 'v6' : undefined;
  if (family === undefined) return ok(range);
  const got = cidrs();
  if (!got.ok) return got;
  const cidr = got.value[family];
  if (cidr === '') return pluginError(`${family === 'v4' ? 'usePodCidr' : 'usePodCidrIPv6'} found but there is no ${family === 'v4' ? 'IPv4' : 'IPv6'} CIDR configured`);
  return ok({ ...range, subnet: cidr });
}

/**
 * `ReplaceHostLocalIPAMPodCIDRs`: the network configuration with every `usePodCidr` of its
 * host-local `ipam` section replaced; unchanged when the IPAM is not host-local.
 */
export function replaceHostLocalPodCidrs(conf: NetConf, cidrs: () => CniOutcome<NodePodCidrs>): CniOutcome<NetConf> {
  const ipam = conf.ipam;
  if (!isObject(ipam) || ipam.type !== 'host-local') return ok(conf);
  const top = replaceOne(ipam, cidrs);
  if (!top.ok) return top;
  const replaced = top.value as JsonObject;
  if (replaced.ranges === undefined) return ok({ ...conf, ipam: replaced });
  if (!Array.isArray(replaced.ranges)) return pluginError(`failed to parse host-local IPAM ranges section; was expecting a list, not: ${JSON.stringify(replaced.ranges)}`);
  const sets: JsonValue[] = [];
  for (const set of replaced.ranges) {
    if (!Array.isArray(set)) return pluginError(`failed to parse host-local IPAM range set; was expecting a list, not: ${JSON.stringify(set)}`);
    const out: JsonValue[] = [];
    for (const r of set) {
      const one = replaceOne(r, cidrs);
      if (!one.ok) return one;
      out.push(one.value);
    }
    sets.push(out);
  }
  return ok({ ...conf, ipam: { ...replaced, ranges: sets } });
}
