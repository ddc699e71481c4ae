/**
 * A namespace's state in the real tools' formats, section by section, for `netsim show`:
 * `ip addr`, `ip route` (main, and every table with `all`), `ip rule`, `ip neigh`,
 * `bridge fdb`, `iptables-save`, `ipset save`, `nft list ruleset`, `conntrack -L`.
 */
import { assertNever } from '../diag/diagnostic.js';
import { renderBridgeFdb, renderFdbByDevice, renderVxlanFdb, renderIpAddr, renderIpNeigh, renderIpRoute, renderIpRule } from '../kernel/index.js';
import { getRuleset, printNft, renderConntrack } from '../kernel/netfilter/index.js';
import { printIpsetSave } from '../kernel/netfilter/ipset/index.js';
import { printRuleset } from '../kernel/netfilter/syntax/index.js';
import type { World } from '../kernel/world.js';
import type { Netns } from '../kernel/netns.js';

/** The sections `netsim show` knows, in the order `all` prints them. */
export const SHOW_SECTIONS = ['addr', 'route', 'rule', 'neigh', 'fdb', 'iptables', 'ip6tables', 'ipset', 'nft', 'conntrack'] as const;

/** One section name. */
export type ShowSection = (typeof SHOW_SECTIONS)[number];

/** The command line a section mirrors, printed as its heading. */
const HEADINGS: Readonly<Record<ShowSection, string>> = {
  addr: 'ip addr',
  route: 'ip route show table all',
  rule: 'ip rule',
  neigh: 'ip neigh',
  fdb: 'bridge fdb',
  iptables: 'iptables-save',
  ip6tables: 'ip6tables-save',
  ipset: 'ipset save',
  nft: 'nft list ruleset',
  conntrack: 'conntrack -L',
};

/** The text of one section. */
export function renderSection(world: World, ns: Netns, section: ShowSection, now = 0): string {
  switch (section) {
    case 'addr':
      return renderIpAddr(world.netns, ns);
    case 'route':
      return renderIpRoute(ns, { table: 'all', peers: world.netns });
    case 'rule':
      return renderIpRule(ns, 4);
    case 'neigh':
      return renderIpNeigh(ns);
    case 'fdb':
      // A node read from a dump prints device by device, with the entries netsim keeps only as text.
      if (Object.values(ns.links).some((l) => l.dump !== undefined)) return renderFdbByDevice(ns);
      // Bridges' master entries and VXLAN devices' remote entries, device by device.
      return Object.values(ns.links)
        .sort((a, b) => a.ifindex - b.ifindex)
        .map((l) => (l.kind === 'bridge' ? renderBridgeFdb(ns, l.name) : l.kind === 'vxlan' ? renderVxlanFdb(ns, l.name, { showDev: true }) : ''))
        .join('');
    case 'iptables':
      return ipv4OrPointer(ns);
    case 'ip6tables':
      return printRuleset(getRuleset(ns.netfilter, 6));
    case 'ipset':
      // In the order the sets were created, as the kernel lists them; no initval (see ipset/parse.ts).
      return printIpsetSave([...ns.netfilter.ipsets.values()]);
    case 'nft':
      return printNft(ns.netfilter.nft.ruleset);
    case 'conntrack':
      return renderConntrack(ns.netfilter, now);
    default:
      return assertNever(section, 'show section');
  }
}

/**
 * `iptables-save`: the IPv4 tables. In a namespace whose rules are all IPv6 (an IPv6-only node)
 * iptables-save prints nothing, which reads like "no rules"; a comment line (iptables-restore
 * skips it) says where the rules are.
 */
function ipv4OrPointer(ns: Netns): string {
  const v4 = getRuleset(ns.netfilter, 4);
  if (v4.tables.length > 0 || getRuleset(ns.netfilter, 6).tables.length === 0) return printRuleset(v4);
  return '# no IPv4 tables here (iptables-save prints nothing): the rules are IPv6, see ip6tables (ip6tables-save)\n';
}

/**
 * The sections `all` prints for a namespace: every one, except `ipset` where the namespace has
 * no sets, `nft` where it has no nftables tables and `ip6tables` where it has no IPv6 tables
 * (so IPv4 namespaces print as they did before sets, nftables and IPv6 rules were shown).
 */
export function allSections(ns: Netns): ShowSection[] {
  const v6 = getRuleset(ns.netfilter, 6).tables.length > 0;
  const shown: Readonly<Record<ShowSection, boolean>> = {
    addr: true, route: true, rule: true, neigh: true, fdb: true, conntrack: true,
    iptables: true,
    ip6tables: v6,
    ipset: ns.netfilter.ipsets.size > 0,
    nft: ns.netfilter.nft.ruleset.tables.length > 0,
  };
  return SHOW_SECTIONS.filter((s) => shown[s]);
}

/**
 * Several sections, each under a `# <command>` heading when there is more than one. `now`: the
 * simulated time `conntrack -L` counts the remaining lifetimes from (a session's clock; 0 for a
 * cluster as built).
 */
export function renderSections(world: World, ns: Netns, sections: readonly ShowSection[], now = 0): string {
  if (sections.length === 1 && sections[0] !== undefined) return renderSection(world, ns, sections[0], now);
  return sections.map((s) => `# ${HEADINGS[s]}\n${renderSection(world, ns, s, now)}`).join('\n');
}
