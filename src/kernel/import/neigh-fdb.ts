/**
 * Neighbours (`ip -j neigh`), forwarding entries (`bridge -j fdb`) and sysctls (`sysctl` output)
 * of a node dump.
 *
 * - Neighbours keep the dump's order through the insertion sequence (`ip neigh` lists newest
 *   first). States netsim does not model are mapped to the nearest (DELAY and PROBE are STALE:
 *   the address is still used; INCOMPLETE is FAILED: no address yet) with a warning.
 * - FDB: a bridge's `permanent` entries for its own and its ports' addresses are derived from
 *   the devices, so they are not stored; `static` and learned entries go to the bridge in the
 *   dump's order; a VXLAN device's `dst` entries to the device; every other `self` entry (the
 *   devices' multicast lists) is kept as text to be printed back.
 */
import { parseIp } from '../../addr/ip.js';
import { parseMac } from '../../addr/mac.js';
import { type Diagnostic, warning } from '../../diag/diagnostic.js';
import { ownFdbList, ownNeigh } from '../cow.js';
import type { Link } from '../link/types.js';
import { type NeighState, type Netns, nextSeq } from '../netns.js';
import { FieldReader, type JsonEntry } from './json.js';

const STATES: Readonly<Record<string, NeighState>> = { PERMANENT: 'PERMANENT', REACHABLE: 'REACHABLE', STALE: 'STALE', FAILED: 'FAILED', DELAY: 'STALE', PROBE: 'STALE', INCOMPLETE: 'FAILED' };

/** Adds the neighbours of `ip -j neigh` files. */
export function readNeigh(ns: Netns, entries: readonly JsonEntry[], out: Diagnostic[]): void {
  const read: Omit<Netns['neigh'][number], 'seq'>[] = [];
  for (const e of entries) {
    const f = new FieldReader(e, out, 'ip -j neigh');
    const ip = parseIp(f.need('dst') ?? '');
    const dev = f.need('dev');
    if (ip === undefined || dev === undefined) continue;
    const stateText = (f.strs('state') ?? ['NOARP'])[0] ?? 'NOARP';
    const state = STATES[stateText];
    if (state === undefined) {
      out.push(warning('HOST_DUMP_UNMODELLED', `neighbour ${f.str('dst')} dev ${dev}: state ${stateText} is not modelled; skipped`, e.pos));
      continue;
    }
    const extra = Object.keys(e.obj).filter((k) => !['dst', 'dev', 'lladdr', 'state'].includes(k));
    if (state !== stateText || extra.length > 0) out.push(warning('HOST_DUMP_UNMODELLED', `neighbour ${f.str('dst')} dev ${dev}: read as ${state}${extra.length > 0 ? `, without ${extra.join(', ')}` : ''}`, e.pos));
    const mac = parseMac(f.str('lladdr') ?? '');
    read.push({ dev, ip, state, ...(mac !== undefined ? { mac } : {}) });
  }
  for (const n of read.reverse()) ownNeigh(ns).push({ ...n, seq: nextSeq(ns) });
}

/** Adds `bridge -j fdb` entries to the namespace's bridges and VXLAN devices. */
export function readFdb(ns: Netns, entries: readonly JsonEntry[], out: Diagnostic[]): void {
  for (const e of entries) {
    const f = new FieldReader(e, out, 'bridge -j fdb');
    const macText = f.need('mac');
    const dev = f.need('ifname');
    const mac = parseMac(macText ?? '');
    const link = dev === undefined ? undefined : ns.links[dev];
    if (mac === undefined || link === undefined) continue;
    const state = f.str('state') ?? '';
    const flags = f.strs('flags') ?? [];
    const master = f.str('master');
    const dst = f.str('dst');
    if (master !== undefined) {
      const bridge = ns.links[master];
      if (bridge?.kind !== 'bridge') continue;
      if (state === 'permanent' && (link.mac === mac || bridge.mac === mac)) continue; // derived from the devices
      if (state !== 'static' && state !== '' && state !== 'permanent') continue;
      if (state === 'permanent' || flags.length > 0 || f.num('vlan') !== undefined) out.push(warning('HOST_DUMP_UNMODELLED', `fdb ${macText} dev ${dev}: ${[state === 'permanent' ? 'a local entry for another address' : '', ...flags, f.num('vlan') !== undefined ? 'vlan' : ''].filter((x) => x !== '').join(', ')} not modelled; read as ${state === '' ? 'learned' : 'static'}`, e.pos));
      ownFdbList(ns, 'bridge', bridge.name).push({ mac, dev: link.name, kind: state === '' ? 'learned' : 'static' });
      continue;
    }
    const dstIp = dst === undefined ? undefined : parseIp(dst);
    if (link.kind === 'vxlan' && dstIp !== undefined) {
      ownFdbList(ns, 'vxlan', link.name).push({ mac, dst: dstIp });
      continue;
    }
    keepSelf(link, `${macText} dev ${dev}${dst !== undefined ? ` dst ${dst}` : ''} ${[...flags, state].filter((x) => x !== '').join(' ')}`);
  }
}

function keepSelf(link: Link, line: string): void {
  if (link.dump === undefined) return;
  (link.dump.selfFdb as string[]).push(line);
}

/** `sysctl NAME…` output (`name = value` lines) → the namespace's sysctls; unknown names are warned about. */
export function readSysctl(text: string, file: string, set: (name: string, value: string) => boolean, out: Diagnostic[]): void {
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '' || line.startsWith('#')) return;
    const m = /^\s*([A-Za-z0-9_.\-/]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (m === null) {
      out.push(warning('HOST_DUMP_UNMODELLED', `not a sysctl line (name = value): ${line}`, { file, line: i + 1, col: 1 }));
      return;
    }
    if (!set(m[1] as string, m[2] as string)) out.push(warning('HOST_DUMP_UNMODELLED', `sysctl ${m[1]} is not modelled; ignored`, { file, line: i + 1, col: 1 }));
  });
}
