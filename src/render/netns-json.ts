/**
 * `netsim show NAME SECTION -o json`: the sections iproute2 prints as JSON (`ip -j addr`,
 * `ip -j route show table all`, `ip -j rule`, `ip -j neigh`), one line as `ip -j` prints it.
 * The other sections have no JSON form in the tools they mirror (iptables-save, ipset save,
 * conntrack -L) or one netsim does not model (`nft -j`), so they are text only.
 */
import { ipAddrJson, ipNeighJson, ipRouteJson, ipRuleJson } from '../kernel/text/json.js';
import type { Netns } from '../kernel/netns.js';
import type { World } from '../kernel/world.js';

/** The sections with a JSON form, and the command whose JSON it is. */
export const JSON_SECTIONS = { addr: 'ip -j addr', route: 'ip -j route show table all', rule: 'ip -j rule', neigh: 'ip -j neigh' } as const;

/** A section with a JSON form. */
export type JsonSection = keyof typeof JSON_SECTIONS;

/** Whether `section` has a JSON form. */
export function isJsonSection(section: string): section is JsonSection {
  return Object.hasOwn(JSON_SECTIONS, section);
}

/** The section as `ip -j` prints it: compact JSON and a newline. */
export function renderSectionJson(world: World, ns: Netns, section: JsonSection): string {
  const value = section === 'addr' ? ipAddrJson(world.netns, ns) : section === 'route' ? ipRouteJson(world.netns, ns) : section === 'rule' ? ipRuleJson(ns) : ipNeighJson(ns);
  return `${JSON.stringify(value)}\n`;
}

/** Why a section has no JSON form (for the CLI's message). */
export function noJsonForm(section: string): string {
  return `${section} has no JSON form: -o json shows ${Object.keys(JSON_SECTIONS).join(', ')} (${Object.values(JSON_SECTIONS).join(', ')}); iptables-save, ipset save and conntrack -L print text, and nft -j is not modelled`;
}
