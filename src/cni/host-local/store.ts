/**
 * host-local's on-disk state (the reference plugin's `backend/disk`), kept in the node's
 * {@link CniHost.store} under the same paths: `<dataDir>/<network>/<ip>` holds
 * `<containerID>\r\n<ifName>` for each reserved address, `last_reserved_ip.<rangeset index>` the
 * last address handed out from that range set, and an empty `lock` file appears with the
 * directory. Walks go in lexical path order, as Go's `filepath.Walk` does. A store whose owner
 * reads it only through {@link flushReservations} may take reservations as notes, written when
 * it is read or a host-local verb opens it ({@link deferReservations}).
 */
import { type Ip, formatIp, parseIp } from '../../addr/ip.js';
import { InternalError } from '../../diag/diagnostic.js';

const LAST_IP_PREFIX = 'last_reserved_ip.';
const LINE_BREAK = '\r\n';

/** One network's directory in the store. */
export interface DiskStore {
  readonly files: Record<string, string>;
  readonly dir: string;
}

/** `disk.New`: the network's directory (creating its `lock` file), the store's noted reservations written first. */
export function openStore(files: Record<string, string>, dataDir: string, network: string): DiskStore {
  flushReservations(files);
  return lockedStore(files, dataDir, network);
}

/** {@link openStore} without writing the notes ({@link noteReserve} opens the directory so). */
function lockedStore(files: Record<string, string>, dataDir: string, network: string): DiskStore {
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

/**
 * Reservations noted and not yet written, by store. A node's first read (cluster/assemble/
 * lazy-pods.ts) reserves its pods' planned addresses, and a trace reads none of the files: a new
 * file name per address, made, hashed and kept for good, was two fifths of a node read's
 * host-local work. The notes are `Reserve` calls in order; {@link flushReservations} makes
 * them, so the files, their order included, are those `Reserve` would have left.
 */
interface Journal {
  /** The one directory noted in, fixed by the first note, with the IPv4 addresses that have a file there or a note. */
  at: { readonly dataDir: string; readonly network: string; readonly dir: string; readonly taken: Set<number> } | undefined;
  readonly notes: { readonly id: string; readonly ifName: string; readonly ip: Ip; readonly rangeId: number }[];
}

const journals = new WeakMap<Record<string, string>, Journal>();

/**
 * Lets host-local note reservations in `files` rather than write them, until
 * {@link flushReservations}. The caller reads `files` only after flushing them, and nothing but
 * host-local (this module) writes them until then; every host-local verb flushes first ({@link openStore}).
 */
export function deferReservations(files: Record<string, string>): void {
  flushReservations(files);
  journals.set(files, { at: undefined, notes: [] });
}

/** Writes the noted reservations, in order, as `Reserve` (each was free when noted), and stops noting. */
export function flushReservations(files: Record<string, string>): void {
  const j = journals.get(files);
  if (j === undefined) return;
  journals.delete(files);
  if (j.at === undefined) return;
  const s: DiskStore = { files, dir: j.at.dir };
  for (const n of j.notes) {
    if (!reserve(s, n.id, n.ifName, n.ip, n.rangeId)) throw new InternalError(`host-local: noted ${formatIp(n.ip)} was taken when written`);
  }
}

/**
 * `Reserve` of the IPv4 address `note.ip`, noted rather than written, where a note can stand for
 * it: the store defers its reservations, notes go to one directory, and the address has no file
 * there and no note yet — so `Reserve` would claim it (true). Opens the directory (its `lock`) as
 * `disk.New` does. False, with nothing done, where the address is taken or no note can stand for
 * it: the caller takes the plugin's path, which says why ({@link openStore} writes the notes first).
 */
export function noteReserve(files: Record<string, string>, dataDir: string, network: string, note: Journal['notes'][number]): boolean {
  const j = journals.get(files);
  if (j === undefined || note.ip.family !== 4) return false;
  if (j.at === undefined) {
    const { dir } = storePaths(dataDir, network);
    j.at = { dataDir, network, dir, taken: ipv4Files(files, dir) };
  } else if (j.at.dataDir !== dataDir || j.at.network !== network) return false;
  const value = Number(note.ip.value);
  if (j.at.taken.has(value)) return false;
  // The directory's `lock`, as `disk.New` writes it; only a host-local verb, which writes the notes first, removes files.
  if (j.notes.length === 0) lockedStore(files, dataDir, network);
  j.at.taken.add(value);
  j.notes.push(note);
  return true;
}

/**
 * The IPv4 addresses with a file directly in the directory, by value: the names that are an
 * address as formatIp prints it (the only names `Reserve` makes and looks for).
 */
function ipv4Files(files: Record<string, string>, dir: string): Set<number> {
  const prefix = `${dir}/`;
  const out = new Set<number>();
  for (const k in files) {
    if (!k.startsWith(prefix)) continue;
    const a = parseIp(k.slice(prefix.length));
    if (a?.family === 4 && `${prefix}${formatIp(a)}` === k) out.add(Number(a.value));
  }
  return out;
}
