/**
 * BIRD's `protocol kernel` export: the speaker's best routes written into the namespace's main
 * table as `proto bird` routes, through the kernel export filter (Calico's
 * `calico_kernel_programming`).
 *
 * - A static blackhole (a block affine to the node) → `blackhole <block> proto bird`.
 * - A route the kernel protocol learned (a local pod's /32) is never written back.
 * - A BGP route → the first {@link KernelRule} whose pool contains it decides: `reject` (a VXLAN
 *   pool: Felix owns those routes), or accept with BIRD-Calico's `krt_tunnel`: through the tunnel
 *   (`via <BGP next hop> dev tunl0 onlink`), or plain. Plain routes resolve the BGP next hop as
 *   `gateway recursive` does: through the table without BIRD's own routes; a next hop on a
 *   connected network stays as it is (`via <next hop> dev eth0`), one behind a router becomes
 *   that route's gateway (`via <router> dev eth0`). A next hop that resolves nowhere is not
 *   written (BIRD keeps such a route unreachable in its own table).
 *
 * Only kernel verbs are used (`ip route add`); what the kernel refuses is returned, as BIRD only
 * logs netlink's answer.
 */
import { type Cidr, cidrContains } from '../addr/cidr.js';
import type { Ip } from '../addr/ip.js';
import { CommandError } from '../kernel/errors.js';
import type { Netns } from '../kernel/netns.js';
import { type RouteSpec, addRoute, lookupTable } from '../kernel/route/table.js';
import { TABLE_MAIN } from '../kernel/route/types.js';
import type { BgpRouteView, BgpSpeakerConfig, KernelRule, SpeakerView } from './types.js';

/** The protocol value BIRD gives its kernel routes (`RTPROT_BIRD`, 12). */
export const BIRD_PROTO = 'bird';

/** A route BIRD could not write: netlink's answer, as BIRD logs it. */
export interface KernelRefusal {
  readonly dst: Cidr;
  readonly spec: RouteSpec;
  readonly command: string;
  readonly answer: string;
}

/** A route BIRD keeps in its own table but does not write, and why. */
export interface KernelSkip {
  readonly dst: Cidr;
  readonly reason: 'unresolved-next-hop';
  readonly nextHop: Ip;
}

/** What {@link programBgpRoutes} did not write. */
export interface BgpKernelOutcome {
  readonly refused: KernelRefusal[];
  readonly skipped: KernelSkip[];
}

/** `protocol kernel { export filter calico_kernel_programming; }`: writes the speaker's best routes into `ns`. */
export function programBgpRoutes(ns: Netns, speaker: BgpSpeakerConfig, view: SpeakerView): BgpKernelOutcome {
  const out: BgpKernelOutcome = { refused: [], skipped: [] };
  const learned = new Set(speaker.originate.filter((o) => !o.blackhole).map((o) => o.protocol));
  for (const r of view.routes) {
    if (!r.best || (learned.has(r.protocol) && r.nextHop === undefined)) continue;
    const spec = kernelSpec(ns, speaker.kernelRules, r);
    if (spec === undefined) continue;
    if ('reason' in spec) {
      out.skipped.push(spec);
      continue;
    }
    try {
      addRoute(ns, spec);
    } catch (e) {
      if (!(e instanceof CommandError)) throw e;
      out.refused.push({ dst: r.prefix, spec, command: e.command, answer: e.answer });
    }
  }
  return out;
}

/** The kernel route for one best route, nothing (filtered out), or why it cannot be written. */
function kernelSpec(ns: Netns, rules: readonly KernelRule[], r: BgpRouteView): RouteSpec | KernelSkip | undefined {
  if (r.blackhole) return { type: 'blackhole', dst: r.prefix, proto: BIRD_PROTO };
  const nh = r.nextHop;
  if (nh === undefined) return undefined;
  const rule = rules.find((k) => k.cidr.addr.family === r.prefix.addr.family && cidrContains(k.cidr, r.prefix.addr) && r.prefix.prefix >= k.cidr.prefix);
  if (rule?.action === 'reject') return undefined;
  if (rule !== undefined && rule.tunnelDev !== undefined && tunnelled(rule, nh)) {
    return { dst: r.prefix, via: nh, dev: rule.tunnelDev, proto: BIRD_PROTO, onlink: true };
  }
  const igp = lookupTable(ns, TABLE_MAIN, nh, (x) => x.proto !== BIRD_PROTO && x.type === 'unicast');
  if (igp === undefined || igp.dev === undefined) return { dst: r.prefix, reason: 'unresolved-next-hop', nextHop: nh };
  return { dst: r.prefix, via: igp.via ?? nh, dev: igp.dev, proto: BIRD_PROTO };
}

/** BIRD-Calico's `krt_tunnel` decision: always, or (CrossSubnet) when the next hop is outside the node's subnet. */
function tunnelled(rule: KernelRule, nextHop: Ip): boolean {
  switch (rule.tunnel) {
    case 'always':
      return true;
    case 'never':
      return false;
    case 'cross-subnet':
      return rule.localSubnet === undefined || !cidrContains(rule.localSubnet, nextHop);
  }
}
