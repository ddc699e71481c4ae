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
  const dir = `${dataDir.replace(/\/+$/, '')}/${network}`;
  if (files[`${dir}/lock`] === undefined) files[`${dir}/lock`] = '';
  return { files, dir };
}

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
  s.files[`${s.dir}/${LAST_IP_PREFIX}${rangeId}`] = text;
  return true;
}

/** `LastReservedIP` of a range set, if recorded. */
export function lastReservedIp(s: DiskStore, rangeId: number): Ip | undefined {
  const text = s.files[`${s.dir}/${LAST_IP_PREFIX}${rangeId}`];
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
