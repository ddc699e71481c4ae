/**
 * A log of the namespaces whose neighbour-answering state changed, by name, for the ARP/ND port
 * index (neigh-index.ts), which repairs itself from it instead of rebuilding: a trace's first
 * read of a node runs that node's deferred build (deferred-netns.ts), and rebuilding an index of
 * 5,000 segment ports after each would cost what the index saves.
 *
 * Noted here, by the one funnel of each kind of write: a namespace added, removed or replaced in
 * a world map (world.ts, overlay.ts), its deferred setup run (deferred-netns.ts), a device
 * written (link-index.ts `putLink`/`dropLink`), its addresses (netns.ts `pushAddr`/`keepAddrs`),
 * its sysctls (sysctl.ts), and the routes of a routing table some index has read
 * (prefix-index.ts `indexInsert`/`indexRemove`, via {@link watchRoutes}). test/architecture
 * checks that nothing else writes those.
 *
 * Names, not objects: an overlay's fork shares its name with the base namespace, and a change
 * noted for either makes an index look again (at worst for nothing).
 */

/** Beyond this many names the log starts again, and every index is rebuilt (a whole build writes more). */
const MAX_LOG = 1 << 16;

let log: string[] = [];
/** Position (since the start of time) of `log[0]`. */
let start = 0;
/**
 * The names noted since a position was last handed out: noting one again changes nothing for any
 * reader (each reads from a position handed out before, so it sees the name). A node's deferred
 * build writes its namespace a hundred times.
 */
let fresh = new Set<string>();

/**
 * Counts every write noted here, repeats included, and every write of a route index or an
 * `ip rule` list whether or not a namespace watches it: a whole-world memo (neigh-memo.ts) is
 * valid while this has not moved.
 */
let generation = 0;

/** A number that changes on every write this module hears of (see {@link noteNetnsChange}, {@link noteRoutesWrite}, {@link noteRulesWrite}). */
export function worldGeneration(): number {
  return generation;
}

/** Records that `name`'s answering state may have changed. */
export function noteNetnsChange(name: string): void {
  generation++;
  if (fresh.has(name)) return;
  fresh.add(name);
  log.push(name);
  if (log.length > MAX_LOG) {
    start += log.length;
    log = [];
    fresh = new Set();
  }
}

/** The position after the last change noted so far. */
export function changeMark(): number {
  if (fresh.size > 0) fresh = new Set();
  return start + log.length;
}

/**
 * The names noted since `mark` (repeats possible) — a view of the log, to read before the next
 * note — or undefined when the log no longer reaches back that far (the reader rebuilds).
 */
export function changesSince(mark: number): { readonly names: readonly string[]; readonly from: number } | undefined {
  return mark < start ? undefined : { names: log, from: mark - start };
}

/** Route indexes (a namespace's local table) whose writes are noted under a namespace's name. */
const watched = new WeakMap<object, string | string[]>();

/**
 * Notes `name` on every later write of `routes` (a `PrefixIndex`, prefix-index.ts). A frozen
 * index is never written (a write would throw): the empty local table that every sandbox shell
 * shares (deferred-sandbox.ts) is one, and listing each of 150,000 shells' names under it made
 * every watch a scan and a copy of that list.
 */
export function watchRoutes(routes: object, name: string): void {
  if (Object.isFrozen(routes)) return;
  const w = watched.get(routes);
  if (w === undefined) watched.set(routes, name);
  else if (typeof w === 'string' ? w !== name : !w.includes(name)) watched.set(routes, [...(typeof w === 'string' ? [w] : w), name]);
}

/** The names noted on a write of `routes` (for tests). */
export function routeWatchers(routes: object): readonly string[] {
  const w = watched.get(routes);
  return w === undefined ? [] : typeof w === 'string' ? [w] : w;
}

/** Called by the writes of a route index: notes the namespaces watching it. */
export function noteRoutesWrite(routes: object): void {
  generation++;
  const w = watched.get(routes);
  if (w === undefined) return;
  if (typeof w === 'string') noteNetnsChange(w);
  else for (const n of w) noteNetnsChange(n);
}

/** Called by `ip rule add|del` (route/rule.ts): the policy routing a proxy ARP answer reads. */
export function noteRulesWrite(): void {
  generation++;
}
