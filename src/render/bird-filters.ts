/**
 * The filters of a BIRD 2 configuration, as Calico's confd writes them for its BIRD 1.6 fork
 * (`bird_aggr.cfg`'s `calico_aggr()`, `bird_ipam.cfg`'s `calico_export_to_bgp_peers` and
 * `calico_kernel_programming`), one filter per address family: BIRD 2 runs both families in
 * one daemon and a filter of one channel sees only that channel's routes.
 *
 * Where Calico's fork has something BIRD 2 lacks (`krt_tunnel`), the filter says so in a
 * comment and writes the route plain (see docs/bgp.md "Checked against BIRD 2").
 */
import { type Cidr, type Family, formatCidr } from '../addr/index.js';
import type { KernelRule, PrefixRule } from '../bgp/types.js';

/** `ipv4` / `ipv6`: BIRD 2's channel and table-family keyword. */
export function birdFamily(family: Family): 'ipv4' | 'ipv6' {
  return family === 4 ? 'ipv4' : 'ipv6';
}

/** The name a family's filter gets: Calico's for IPv4, `_v6` appended for IPv6 (bird6.cfg's filters, in the same daemon). */
export function familyName(base: string, family: Family): string {
  return family === 4 ? base : `${base}_v6`;
}

/** BIRD's prefix test: `net = P` (exactly P) or `net ~ P` (P or inside it). */
function netTest(match: PrefixRule['match'], c: Cidr): string {
  return `net ${match === 'exact' ? '=' : '~'} ${formatCidr(c)}`;
}

/**
 * `filter calico_export_to_bgp_peers { … }`: the speaker's export rules for one family, in
 * order, the first match deciding; no match rejects (Calico's filter ends without `accept`,
 * which BIRD treats as reject).
 */
export function exportFilter(rules: readonly PrefixRule[], family: Family): string {
  const lines = [
    `filter ${familyName('calico_export_to_bgp_peers', family)} {`,
    '  # Connected networks are not BGP routes here (a rule like 0.0.0.0/0 on a router would match them).',
    '  if ( source = RTS_DEVICE ) then reject;',
  ];
  for (const r of rules.filter((x) => x.cidr.addr.family === family)) {
    lines.push(`  if ( ${netTest(r.match, r.cidr)} ) then ${r.action};`);
  }
  lines.push('  reject;', '}');
  return lines.join('\n');
}

/**
 * `filter calico_kernel_programming { … }` for one family: what BIRD writes into the kernel.
 * Device routes are rejected first: BIRD 1.6's kernel protocol never exported `protocol direct`
 * routes (its `device routes` option, off by default), BIRD 2's does.
 */
export function kernelFilter(rules: readonly KernelRule[], family: Family): string {
  const lines = [
    `filter ${familyName('calico_kernel_programming', family)} {`,
    '  # BIRD 1.6 never wrote device (protocol direct) routes into the kernel; BIRD 2 does unless told not to.',
    '  if ( source = RTS_DEVICE ) then reject;',
  ];
  for (const r of rules.filter((x) => x.cidr.addr.family === family)) lines.push(...kernelRuleLines(r));
  lines.push('  accept;', '}');
  return lines.join('\n');
}

/** One pool's term of `calico_kernel_programming`. */
function kernelRuleLines(r: KernelRule): string[] {
  const test = `  if ( net ~ ${formatCidr(r.cidr)} ) then`;
  if (r.action === 'reject') return [`${test} {`, '    # A VXLAN pool: Felix programs these routes, not BIRD.', '    reject;', '  }'];
  const dev = r.tunnelDev ?? 'tunl0';
  switch (r.tunnel) {
    case 'never':
      return [`${test} accept;`];
    case 'always':
      return [
        `${test} {`,
        `    # Calico's BIRD: krt_tunnel = "${dev}" (every route through the IPIP device, onlink).`,
        '    # BIRD 2 has no krt_tunnel (a patch of Calico\'s BIRD 1.6 fork): the route is written plain.',
        '    accept;',
        '  }',
      ];
    case 'cross-subnet': {
      const subnet = r.localSubnet === undefined ? '<node subnet>' : formatCidr(r.localSubnet);
      return [
        `${test} {`,
        `    # Calico's BIRD: if defined(bgp_next_hop) && ( bgp_next_hop ~ ${subnet} ) then krt_tunnel = ""; else krt_tunnel = "${dev}";`,
        `    # BIRD 2 has no krt_tunnel: routes to nodes outside ${subnet} are written plain, not through ${dev}.`,
        '    accept;',
        '  }',
      ];
    }
  }
}
