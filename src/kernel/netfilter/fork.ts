/**
 * A trace's fork of a namespace's netfilter state (overlay.ts): a new state object sharing the
 * rulesets (immutable values, replaced copy-on-write) and, until the packet path first writes
 * them, the base's `-m recent` lists, `-m statistic --mode nth` counters and ipsets. The
 * conntrack table and the nftables state fork the same way in their own modules
 * (conntrack/table.ts `forkConntrack`, nft/state.ts `forkNft`). Writers take their part through
 * the `own…` functions here; the base is never written through a fork (see ../cow.ts).
 */
import { forkConntrack } from './conntrack/table.js';
import { forkNft } from './nft/state.js';
import type { IpSet, NetfilterState, RecentEntry } from './state.js';

type Writable = { -readonly [K in keyof NetfilterState]: NetfilterState[K] };

/** Each forked state and the state it was forked from. */
const origins = new WeakMap<NetfilterState, NetfilterState>();

/** A state that reads as `nf` and copies each part the first time it is written; O(1). */
export function forkNetfilter(nf: NetfilterState): NetfilterState {
  const fork: NetfilterState = {
    rulesets: { 4: nf.rulesets[4], 6: nf.rulesets[6] },
    conntrack: forkConntrack(nf.conntrack),
    recent: nf.recent,
    nth: nf.nth,
    ipsets: nf.ipsets,
    nft: forkNft(nf.nft),
  };
  origins.set(fork, nf);
  return fork;
}

/** `nf.recent`, with lists of its own, copied first if they are still the base's. */
export function ownRecent(nf: NetfilterState): Map<string, Map<string, RecentEntry>> {
  const b = origins.get(nf);
  if (b !== undefined && nf.recent === b.recent) (nf as Writable).recent = new Map([...nf.recent].map(([k, v]) => [k, new Map(v)]));
  return nf.recent;
}

/** `nf.nth`, copied first if it is still the base's. */
export function ownNth(nf: NetfilterState): Map<string, number> {
  const b = origins.get(nf);
  if (b !== undefined && nf.nth === b.nth) (nf as Writable).nth = new Map(nf.nth);
  return nf.nth;
}

/** `nf.ipsets`, copied first if it is still the base's (the sets are values, replaced whole). */
export function ownIpsets(nf: NetfilterState): Map<string, IpSet> {
  const b = origins.get(nf);
  if (b !== undefined && nf.ipsets === b.ipsets) (nf as Writable).ipsets = new Map(nf.ipsets);
  return nf.ipsets;
}
