/**
 * A namespace's state in the real tools' formats, section by section, for `netsim show`:
 * `ip addr`, `ip route` (main, and every table with `all`), `ip rule`, `ip neigh`,
 * `bridge fdb`, `iptables-save`, `ipset save`, `nft list ruleset`, `conntrack -L`.
 */
import { assertNever } from '../diag/diagnostic.js';
import { renderBridgeFdb, renderVxlanFdb, renderIpAddr, renderIpNeigh, renderIpRoute, renderIpRule } from '../kernel/index.js';
import { getRuleset, printNft, renderConntrack } from '../kernel/netfilter/index.js';
import { printIpsetSave } from '../kernel/netfilter/ipset/index.js';
import { printRuleset } from '../kernel/netfilter/syntax/index.js';
import type { World } from '../kernel/world.js';
import type { Netns } from '../kernel/netns.js';

/** The sections `netsim show` knows, in the order `all` prints them. */
export const SHOW_SECTIONS = ['addr', 'route', 'rule', 'neigh', 'fdb', 'iptables', 'ipset', 'nft', 'conntrack'] as const;

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
  ipset: 'ipset save',
  nft: 'nft list ruleset',
  conntrack: 'conntrack -L',
};

/** The text of one section. */
export function renderSection(world: World, ns: Netns, section: ShowSection): string {
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
      // Bridges' master entries and VXLAN devices' remote entries, device by device.
      return Object.values(ns.links)
        .sort((a, b) => a.ifindex - b.ifindex)
        .map((l) => (l.kind === 'bridge' ? renderBridgeFdb(ns, l.name) : l.kind === 'vxlan' ? renderVxlanFdb(ns, l.name, { showDev: true }) : ''))
        .join('');
    case 'iptables':
      return printRuleset(getRuleset(ns.netfilter, 4));
    case 'ipset':
      // In the order the sets were created, as the kernel lists them; no initval (see ipset/parse.ts).
      return printIpsetSave([...ns.netfilter.ipsets.values()]);
    case 'nft':
      return printNft(ns.netfilter.nft.ruleset);
    case 'conntrack':
      return renderConntrack(ns.netfilter, 0);
    default:
      return assertNever(section, 'show section');
  }
}

/**
 * The sections `all` prints for a namespace: every one, except `ipset` where the namespace has
 * no sets and `nft` where it has no nftables tables (so namespaces print as they did before
 * sets and nftables were modelled).
 */
export function allSections(ns: Netns): ShowSection[] {
  return SHOW_SECTIONS.filter((s) => (s !== 'ipset' || ns.netfilter.ipsets.size > 0) && (s !== 'nft' || ns.netfilter.nft.ruleset.tables.length > 0));
}

/** Several sections, each under a `# <command>` heading when there is more than one. */
export function renderSections(world: World, ns: Netns, sections: readonly ShowSection[]): string {
  if (sections.length === 1 && sections[0] !== undefined) return renderSection(world, ns, sections[0]);
  return sections.map((s) => `# ${HEADINGS[s]}\n${renderSection(world, ns, s)}`).join('\n');
}
