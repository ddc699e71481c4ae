/**
 * Membership tests, as `-m set --match-set NAME FLAGS` asks them (net/netfilter/xt_set.c,
 * ipset's hash and bitmap types). FLAGS say which packet field feeds each dimension of the set:
 * `dst,dst` on a hash:ip,port set compares the destination address and destination port.
 *
 * A hash:net element added with `nomatch` is an exception: a packet inside it is reported as
 * `nomatch` (the rule does not match unless `--return-nomatch`), and the most specific prefix
 * wins, as the kernel searches prefixes longest first.
 */
import { type Cidr, type Ip, cidrContains, parseCidr } from '../../../addr/index.js';
import { dimensions, type IpSet } from './element.js';

/** The packet fields a set lookup can read. Ports only for TCP, UDP, SCTP and UDP-Lite. */
export interface IpsetPacket {
  readonly src: Ip;
  readonly dst: Ip;
  /** Protocol number (6 tcp, 17 udp, 132 sctp, 136 udplite). */
  readonly proto?: number;
  readonly sport?: number;
  readonly dport?: number;
}

/** `src` or `dst` for each dimension; the last one repeats when there are fewer flags than dimensions. */
export type IpsetFlags = readonly ('src' | 'dst')[];

/** Result of a lookup: found, found as a `nomatch` exception, or absent. */
export type IpsetLookup = 'hit' | 'nomatch' | 'miss';

type Part = { readonly kind: 'net'; readonly cidr: Cidr } | { readonly kind: 'port'; readonly proto: number | undefined; readonly port: number } | { readonly kind: 'other'; readonly text: string };

interface Entry {
  readonly parts: readonly Part[];
  readonly nomatch: boolean;
  /** Sum of prefix lengths, so the most specific entry wins. */
  readonly specificity: number;
}

const PROTOS: Readonly<Record<string, number>> = { tcp: 6, udp: 17, sctp: 132, udplite: 136 };

function parsePart(text: string, kind: 'ip' | 'net' | 'port'): Part {
  if (kind !== 'port') {
    const c = parseCidr(text);
    return c === undefined ? { kind: 'other', text } : { kind: 'net', cidr: c };
  }
  const colon = text.indexOf(':');
  const port = Number.parseInt(colon < 0 ? text : text.slice(colon + 1), 10);
  const proto = colon < 0 ? undefined : PROTOS[text.slice(0, colon)];
  return Number.isNaN(port) || (colon >= 0 && proto === undefined) ? { kind: 'other', text } : { kind: 'port', proto, port };
}

const compiled = new WeakMap<IpSet, readonly Entry[]>();

function entries(set: IpSet): readonly Entry[] {
  const cached = compiled.get(set);
  if (cached !== undefined) return cached;
  const dims = dimensions(set.type);
  const out = set.members.map((m): Entry => {
    const [elem = '', ...flags] = m.split(' ');
    const parts = elem.split(',').map((p, i) => parsePart(p, dims[i] ?? 'ip'));
    const specificity = parts.reduce((n, p) => n + (p.kind === 'net' ? p.cidr.prefix : 0), 0);
    return { parts, nomatch: flags.includes('nomatch'), specificity };
  });
  compiled.set(set, out);
  return out;
}

function partMatches(part: Part, pkt: IpsetPacket, side: 'src' | 'dst'): boolean {
  switch (part.kind) {
    case 'net':
      return cidrContains(part.cidr, pkt[side]);
    case 'port': {
      const p = side === 'src' ? pkt.sport : pkt.dport;
      return p === part.port && (part.proto === undefined || part.proto === pkt.proto);
    }
    case 'other':
      return false; // icmp type elements: netsim does not look into ICMP headers here
  }
}

/**
 * Looks the packet up in the set with the given flags (`--match-set NAME src,dst`). A list:set
 * asks its members in order with the same flags (list_set_ktest in ip_set_list_set.c); a
 * member's `nomatch` answer counts as a miss there and the next member is asked, so the list
 * reports a hit when any member hits, and `nomatch` only when none hits and one said nomatch.
 * `member` resolves a list's member names; members of another family are skipped.
 */
export function ipsetLookup(set: IpSet, pkt: IpsetPacket, flags: IpsetFlags, member: (name: string) => IpSet | undefined = () => undefined): IpsetLookup {
  if (set.type === 'list:set') {
    let answer: IpsetLookup = 'miss';
    for (const m of set.members) {
      const inner = member(m.split(' ')[0] ?? '');
      if (inner === undefined || inner.type === 'list:set') continue;
      const r = ipsetLookup(inner, pkt, flags);
      if (r === 'hit') return 'hit';
      if (r === 'nomatch') answer = 'nomatch';
    }
    return answer;
  }
  if (pkt.src.family !== set.family && set.type !== 'bitmap:port') return 'miss';
  let best: Entry | undefined;
  for (const e of entries(set)) {
    const hit = e.parts.every((p, i) => partMatches(p, pkt, flags[i] ?? flags[flags.length - 1] ?? 'src'));
    if (hit && (best === undefined || e.specificity > best.specificity)) best = e;
  }
  return best === undefined ? 'miss' : best.nomatch ? 'nomatch' : 'hit';
}

/** True when the packet is in the set and not excluded by a `nomatch` element. */
export function ipsetContains(set: IpSet, pkt: IpsetPacket, flags: IpsetFlags, member?: (name: string) => IpSet | undefined): boolean {
  return ipsetLookup(set, pkt, flags, member) === 'hit';
}
