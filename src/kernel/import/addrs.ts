/**
 * Addresses of a node dump, from `ip -j addr`'s `addr_info`: family, local address, prefix
 * length, scope, `secondary`, `nodad`, `noprefixroute` and an explicit broadcast. The order `ip addr` prints is
 * kept through the insertion sequence (IPv4 in order; IPv6 newest first, so the first listed
 * gets the highest sequence). Lifetimes other than forever and flags netsim does not model
 * (`dynamic`, `tentative`, labels) are warned about and dropped.
 */
import { parseIp } from '../../addr/ip.js';
import { type Diagnostic, warning } from '../../diag/diagnostic.js';
import type { IfAddr, Netns } from '../netns.js';
import { nextSeq, pushAddr } from '../netns.js';
import { FieldReader, type JsonEntry } from './json.js';

const FOREVER = 4294967295;
const KNOWN = new Set(['family', 'local', 'prefixlen', 'scope', 'label', 'secondary', 'nodad', 'noprefixroute', 'broadcast', 'valid_life_time', 'preferred_life_time']);

/** Adds the addresses of every device in `ip -j addr` (devices must exist already). */
export function readAddrs(ns: Netns, entries: readonly JsonEntry[], out: Diagnostic[]): void {
  for (const e of entries) {
    const f = new FieldReader(e, out, 'ip -j addr');
    const dev = f.str('ifname');
    if (dev === undefined || ns.links[dev] === undefined) continue;
    const infos = Array.isArray(e.obj['addr_info']) ? (e.obj['addr_info'] as unknown[]) : [];
    const read = infos.flatMap((i) => (typeof i === 'object' && i !== null ? [readOne(f.sub(i as Record<string, unknown>, `ip -j addr ${dev}`), dev, i as Record<string, unknown>, e, out)] : []));
    const v4 = read.filter((a) => a?.cidr.addr.family === 4);
    const v6 = read.filter((a) => a?.cidr.addr.family === 6).reverse();
    for (const a of [...v4, ...v6]) if (a !== undefined) pushAddr(ns, { ...a, seq: nextSeq(ns) });
  }
}

function readOne(f: FieldReader, dev: string, raw: Record<string, unknown>, e: JsonEntry, out: Diagnostic[]): Omit<IfAddr, 'seq'> | undefined {
  const local = parseIp(f.str('local') ?? '');
  const prefix = f.num('prefixlen');
  if (local === undefined || prefix === undefined) {
    out.push(warning('HOST_DUMP_UNMODELLED', `${dev}: an address without a local IP address and prefix length is skipped`, e.pos));
    return undefined;
  }
  const scopeText = f.str('scope') ?? 'global';
  const scope = scopeText === 'global' || scopeText === 'link' || scopeText === 'host' ? scopeText : 'global';
  const extra = Object.keys(raw).filter((k) => !KNOWN.has(k));
  const label = f.str('label');
  if (label !== undefined && label !== dev) extra.push(`label ${label}`);
  if (scope !== scopeText) extra.push(`scope ${scopeText}`);
  if ((f.num('valid_life_time') ?? FOREVER) !== FOREVER || (f.num('preferred_life_time') ?? FOREVER) !== FOREVER) extra.push('a finite lifetime');
  if (extra.length > 0) out.push(warning('HOST_DUMP_UNMODELLED', `${dev} ${f.str('local')}/${prefix}: not modelled, dropped from the address: ${extra.join(', ')}`, e.pos));
  const brd = parseIp(f.str('broadcast') ?? '');
  return {
    dev,
    cidr: { addr: local, prefix },
    scope,
    secondary: f.bool('secondary') === true,
    nodad: f.bool('nodad') === true,
    ...(f.bool('noprefixroute') === true ? { noPrefixRoute: 'flag' as const } : {}),
    ...(brd !== undefined ? { broadcast: brd } : {}),
  };
}
