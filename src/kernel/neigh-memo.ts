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

/** Outcomes by asked address (null: nobody answers), IPv4 then IPv6 (their values overlap). */
type ByAddress = readonly [Map<bigint, NamedDiscovery | null>, Map<bigint, NamedDiscovery | null>];

/** One built world's memo: the generation it holds for, and outcomes by asking namespace, device and address. */
interface Memo {
  generation: number;
  size: number;
  readonly outcomes: Map<string, Map<string, ByAddress>>;
}

/** Past this many outcomes the memo starts again (a bound on memory). */
const MAX_OUTCOMES = 1 << 18;

const memos = new WeakMap<object, Memo>();
let enabled = true;

/** Turns the memo on or off (tests compare the two); returns the previous setting. */
export function setNeighMemo(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}

/**
 * The remembered outcome of a discovery from `dev` of namespace `from` for `ip`, through the world
 * map `all`: null when nobody answers, undefined when not known; with {@link remember} to store
 * the outcome of a discovery made. The sender's address is no part of the key: it is chosen from
 * the asking namespace's addresses, which the generation covers.
 */
export function recall(all: NetnsMap, from: string, dev: string, ip: Ip): NamedDiscovery | null | undefined {
  const memo = memoFor(all);
  return memo === undefined ? undefined : slot(memo, from, dev, ip).get(ip.value);
}

/**
 * Stores what a discovery begun at `generation` (worldGeneration, netns-changes.ts) found (see
 * {@link recall}); nothing when the memo does not apply, or when the discovery changed the world
 * (ran a deferred setup): its outcome then holds for no one state of it.
 */
export function remember(all: NetnsMap, from: string, dev: string, ip: Ip, generation: number, outcome: NamedDiscovery | null): void {
  if (worldGeneration() !== generation) return;
  const memo = memoFor(all);
  if (memo === undefined) return;
  if (++memo.size > MAX_OUTCOMES) {
    memo.size = 1;
    memo.outcomes.clear();
  }
  slot(memo, from, dev, ip).set(ip.value, outcome);
}

/** The memo of the world `all` overlays, cleared when the world changed; undefined when it does not apply (see the module comment). */
function memoFor(all: NetnsMap): Memo | undefined {
  if (!enabled) return undefined;
  const parts = overlayParts(peekNetns(all));
  if (parts === undefined || parts.replaced) return undefined;
  const generation = worldGeneration();
  let memo = memos.get(parts.base);
  if (memo === undefined) memos.set(parts.base, (memo = { generation, size: 0, outcomes: new Map() }));
  else if (memo.generation !== generation) {
    memo.generation = generation;
    memo.size = 0;
    memo.outcomes.clear();
  }
  return memo;
}

/** The outcomes for addresses of `ip`'s family asked from `dev` of `from`. */
function slot(memo: Memo, from: string, dev: string, ip: Ip): Map<bigint, NamedDiscovery | null> {
  let byDev = memo.outcomes.get(from);
  if (byDev === undefined) memo.outcomes.set(from, (byDev = new Map()));
  let byAddr = byDev.get(dev);
  if (byAddr === undefined) byDev.set(dev, (byAddr = [new Map(), new Map()]));
  return byAddr[ip.family === 4 ? 0 : 1];
}
