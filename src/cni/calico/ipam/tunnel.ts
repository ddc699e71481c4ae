/**
 * The tunnel device address calico-node allocates for its node at startup
 * (`node/pkg/allocateip`: `reconcileTunnelAddrs` → `assignHostTunnelAddr`): one address from the
 * pools that have the encapsulation enabled (`Always` or `CrossSubnet`), are not disabled and
 * select the node, under the handle `ipip-tunnel-addr-<node>` / `vxlan-tunnel-addr-<node>`
 * (`vxlan-v6-tunnel-addr-<node>` for IPv6). It goes through the same `autoAssign` as pods, and
 * calico-node runs before any pod of its node: so on a fresh node the tunnel address claims the
 * node's first block and takes its ordinal 0 (`.64` of a block at `.64`), and pods follow
 * (`.65`, `.66`, …). IPIP exists for IPv4 only.
 */
import type { Family, Ip } from '../../../addr/ip.js';
import type { ClusterApi } from '../../types.js';
import { autoAssign } from './assign.js';
import { readNodeLabels, readPools } from './datastore.js';
import { ipsByHandle } from './release.js';
import { poolSelectsNode } from './pools.js';

/** The encapsulation a tunnel address is for. */
export type TunnelKind = 'ipip' | 'vxlan';

/** The outcome: the node's tunnel address, or why there is none. */
export type TunnelOutcome = { readonly ok: true; readonly ip: Ip } | { readonly ok: false; readonly message: string };

/** `generateHandleAndAttributes`: the handle of a node's tunnel address. */
export function tunnelHandle(node: string, family: Family, kind: TunnelKind): string {
  if (kind === 'ipip') return `ipip-tunnel-addr-${node}`;
  return family === 4 ? `vxlan-tunnel-addr-${node}` : `vxlan-v6-tunnel-addr-${node}`;
}

/** The allocation's `type` attribute (`ipipTunnelAddress`, `vxlanTunnelAddress`, `vxlanV6TunnelAddress`). */
function tunnelType(family: Family, kind: TunnelKind): string {
  if (kind === 'ipip') return 'ipipTunnelAddress';
  return family === 4 ? 'vxlanTunnelAddress' : 'vxlanV6TunnelAddress';
}

/**
 * calico-node's tunnel address for `node`: the one its handle already holds, or a new one.
 * Without a pool for it, calico-node has no tunnel address (it would remove one), reported here
 * with `assignHostTunnelAddr`'s text.
 */
export function allocateTunnelAddress(api: ClusterApi, node: string, family: Family, kind: TunnelKind): TunnelOutcome {
  const handle = tunnelHandle(node, family, kind);
  const held = ipsByHandle(api, handle).find((ip) => ip.family === family);
  if (held !== undefined) return { ok: true, ip: held };
  const labels = readNodeLabels(api, node) ?? {};
  const pools = readPools(api, family).filter((p) => {
    const mode = kind === 'ipip' ? p.ipipMode : p.vxlanMode;
    return mode !== 'Never' && !p.disabled && (kind === 'vxlan' || family === 4) && poolSelectsNode(p, labels);
  });
  if (pools.length === 0) return { ok: false, message: 'unable to assign an address: no IP pools provided' };
  const got = autoAssign(api, { node, family, handle, attrs: { node, type: tunnelType(family, kind) }, pools: pools.map((p) => p.cidr) });
  const ip = got.ips[0];
  if (!got.ok || ip === undefined) return { ok: false, message: got.ok ? `no address for ${handle}` : got.message };
  return { ok: true, ip: ip.addr };
}

