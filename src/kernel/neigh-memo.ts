/**
 * What ARP/ND discovery (neigh.ts `discover`) found, remembered per built world for the traces
 * that run on throw-away overlays of it (overlay.ts): each trace starts with the base's neighbour
 * caches, so each resolves the same neighbours again, and a discovery floods and scans the L2
 * domain (a fifth of a warm trace before this memo). Discovery only reads — devices, addresses,
 * routes, `ip rule`, sysctls, which namespaces exist and which deferred setups are pending — and
 * an overlay's forks read as its base does (they differ only in what packets write: caches, FDBs,
 * conntrack, sockets). So its outcome for (asking namespace, device, address) is a
 * function of the base world, remembered while `worldGeneration()` (netns-changes.ts), which
 * every write of those moves, stands still.
 *
 * Not used: off an overlay (discovery then writes the very world it reads), through an overlay
 * that put or deleted a namespace of its own (it no longer reads as its base); and an outcome of
 * a discovery that itself changed the world (ran a deferred setup) is dropped. What is remembered
 * is names: a hit hands out the overlay's own namespaces for them, as `writable` does after a
 * flood, and resolveNeigh writes exactly what it writes after one (the memo property of
 * neigh-index.property.test.ts compares the two).
 */
import type { Ip } from '../addr/ip.js';
import type { Mac } from '../addr/mac.js';
import { worldGeneration } from './netns-changes.js';
import type { Netns } from './netns.js';
import { overlayParts, peekNetns } from './overlay.js';

type NetnsMap = Readonly<Record<string, Netns>>;

/** A bridge a found answer's exchange crosses, by namespace name. */
export interface NamedCrossing {
  readonly ns: string;
  readonly bridge: string;
  readonly inPort?: string;
  readonly outPort?: string;
}

/** A discovery's outcome by names: who answers, the bridges crossed, and the answer. */
export interface NamedDiscovery {
  readonly ns: string;
  readonly dev: string;
  readonly bridges: readonly NamedCrossing[];
  readonly answer: { readonly mac: Mac; readonly proxy: boolean };
}

/** One built world's memo: the generation it holds for, and outcomes by key (null: nobody answers). */
interface Memo {
  generation: number;
  readonly outcomes: Map<string, NamedDiscovery | null>;
}

/** Past this many outcomes the memo starts again (a bound on memory, never reached by a batch of one cluster's flows at 5,000 nodes). */
const MAX_OUTCOMES = 1 << 17;

const memos = new WeakMap<object, Memo>();
let enabled = true;

/** Turns the memo on or off (tests compare the two); returns the previous setting. */
export function setNeighMemo(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}

/** A slot of the memo for one discovery: its key, and the outcomes that hold for the world now. */
export interface MemoSlot {
  readonly key: string;
  /**
   * By key (null: nobody answers). An outcome stored after a discovery that changed the world
   * (ran a deferred setup) is dropped by the next slot, as the generation has moved.
   */
  readonly outcomes: Map<string, NamedDiscovery | null>;
}

/**
 * The memo's slot for a discovery from `dev` of namespace `from` for `ip`, through the world map
 * `all`; undefined when the memo does not apply (see the module comment). The sender's address
 * is no part of the key: it is chosen from the asking namespace's addresses, which the
 * generation covers.
 */
export function memoSlot(all: NetnsMap, from: string, dev: string, ip: Ip): MemoSlot | undefined {
  if (!enabled) return undefined;
  const parts = overlayParts(peekNetns(all));
  if (parts === undefined || parts.replaced) return undefined;
  const generation = worldGeneration();
  let memo = memos.get(parts.base);
  if (memo === undefined) memos.set(parts.base, (memo = { generation, outcomes: new Map() }));
  else if (memo.generation !== generation || memo.outcomes.size >= MAX_OUTCOMES) {
    memo.generation = generation;
    memo.outcomes.clear();
  }
  return { key: `${from}\n${dev}\n${ip.family}:${ip.value}`, outcomes: memo.outcomes };
}
