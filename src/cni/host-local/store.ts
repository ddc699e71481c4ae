/**
 * host-local's on-disk state (the reference plugin's `backend/disk`), kept in the node's
 * {@link CniHost.store} under the same paths: `<dataDir>/<network>/<ip>` holds
 * `<containerID>\r\n<ifName>` for each reserved address, `last_reserved_ip.<rangeset index>` the
 * last address handed out from that range set, and an empty `lock` file appears with the
 * directory. Walks go in lexical path order, as Go's `filepath.Walk` does.
 */
import { type Ip, formatIp, parseIp } from '../../addr/ip.js';

const LAST_IP_PREFIX = 'last_reserved_ip.';
const LINE_BREAK = '\r\n';

/** One network's directory in the store. */
export interface DiskStore {
  readonly files: Record<string, string>;
  readonly dir: string;
}

/** `disk.New`: the network's directory (creating its `lock` file). */
export function openStore(files: Record<string, string>, dataDir: string, network: string): DiskStore {
  const { dir, lock } = storePaths(dataDir, network);
  if (files[lock] === undefined) files[lock] = '';
  return { files, dir };
}

/** The directory of a network and its `lock` file: `DATADIR/NETWORK` (trailing slashes of DATADIR dropped). */
export function storePathsOf(dataDir: string, network: string): { readonly dir: string; readonly lock: string } {
  const dir = `${dataDir.replace(/\/+$/, '')}/${network}`;
  return { dir, lock: `${dir}/lock` };
}

/**
 * {@link storePathsOf}, remembered by data directory and network: every ADD opens the store, and
 * a node hands all its pods one config (the regex and the two strings were a twentieth of a
 * node's first read). Bounded, as names come from scenarios.
 */
const paths = new Map<string, Map<string, { readonly dir: string; readonly lock: string }>>();

function storePaths(dataDir: string, network: string): { readonly dir: string; readonly lock: string } {
  let byNetwork = paths.get(dataDir);
  if (byNetwork === undefined) {
    if (paths.size >= 64) paths.clear();
    paths.set(dataDir, (byNetwork = new Map()));
  }
  let known = byNetwork.get(network);
  if (known === undefined) {
    if (byNetwork.size >= 64) byNetwork.clear();
    byNetwork.set(network, (known = storePathsOf(dataDir, network)));
  }
  return known;
}

/** `DIR/last_reserved_ip.N`, remembered by directory (every reservation writes it). */
function lastReservedPath(dir: string, rangeId: number): string {
  let byRange = lastPaths.get(dir);
  if (byRange === undefined) {
    if (lastPaths.size >= 64) lastPaths.clear();
    lastPaths.set(dir, (byRange = []));
  }
  return (byRange[rangeId] ??= `${dir}/${LAST_IP_PREFIX}${rangeId}`);
}

const lastPaths = new Map<string, string[]>();

/** The files directly in the directory, in lexical order: [name, content]. */
function entries(s: DiskStore): [string, string][] {
  const prefix = `${s.dir}/`;
  return Object.keys(s.files)
    .filter((k) => k.startsWith(prefix) && !k.slice(prefix.length).includes('/'))
    .sort()
    .map((k) => [k.slice(prefix.length), s.files[k] ?? '']);
}

/** `Reserve`: claims `ip` for the container (false when the file exists) and records it as last. */
export function reserve(s: DiskStore, id: string, ifName: string, ip: Ip, rangeId: number): boolean {
  const text = formatIp(ip);
  const path = `${s.dir}/${text}`;
  if (s.files[path] !== undefined) return false;
  s.files[path] = id.trim() + LINE_BREAK + ifName;
  s.files[lastReservedPath(s.dir, rangeId)] = text;
  return true;
}

/** `LastReservedIP` of a range set, if recorded. */
export function lastReservedIp(s: DiskStore, rangeId: number): Ip | undefined {
  const text = s.files[lastReservedPath(s.dir, rangeId)];
  return text === undefined ? undefined : parseIp(text);
}

/**
 * Removes `last_reserved_ip.<rangeId>`, so the next walk starts at the range's start as on a
 * fresh directory. Not a host-local operation: netsim's pod address plan reserves the addresses
 * a scenario fixes first (they exist before any CNI ADD) and then lets the others start at the
 * beginning of the range, stepping around them.
 */
export function forgetLastReserved(s: DiskStore, rangeId: number): void {
  delete s.files[`${s.dir}/${LAST_IP_PREFIX}${rangeId}`];
}

/** The owner keys a file may hold for a container: the current form, then the pre-0.7 form (ID only). */
function keys(id: string, ifName: string): [string, string] {
  return [id.trim() + LINE_BREAK + ifName, id.trim()];
}

/** `GetByID`: the addresses reserved by the container's interface. */
export function getById(s: DiskStore, id: string, ifName: string): Ip[] {
  const [key, old] = keys(id, ifName);
  return entries(s)
    .filter(([, content]) => content.trim() === key || content.trim() === old)
    .map(([name]) => parseIp(name))
    .filter((a): a is Ip => a !== undefined);
}

/** `FindByID`: whether the container's interface holds any address. */
export function findById(s: DiskStore, id: string, ifName: string): boolean {
  const [key, old] = keys(id, ifName);
  const all = entries(s);
  return all.some(([, c]) => c.trim() === key) || all.some(([, c]) => c.trim() === old);
}

/** `ReleaseByID`: removes every file owned by the container's interface (old-form keys only when none match). */
export function releaseById(s: DiskStore, id: string, ifName: string): void {
  const [key, old] = keys(id, ifName);
  const drop = (match: string) => {
    let found = false;
    for (const [name, content] of entries(s)) {
      if (content.trim() !== match) continue;
      delete s.files[`${s.dir}/${name}`];
      found = true;
    }
    return found;
  };
  if (!drop(key)) drop(old);
}
