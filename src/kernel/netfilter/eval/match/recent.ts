/**
 * `-m recent` (net/netfilter/xt_recent.c): named lists of addresses with the times they were
 * seen, kept per namespace in state (`/proc/net/xt_recent/NAME`). kube-proxy's ClientIP affinity
 * is `--rcheck --seconds T --reap` in the service chain and `--set` in the endpoint chain.
 *
 * - `--set` adds the address (or stamps it again) and always matches.
 * - `--rcheck` matches when the address is listed (with `--seconds S`: stamped within S
 *   seconds; with `--hitcount N`: at least N such stamps); `--update` does the same and, when
 *   the result is true, stamps it again; `--remove` matches and removes a listed address.
 * - `--reap` (with `--seconds`) drops the entry when even its newest stamp is too old.
 * - `!` inverts the result, and — as in the kernel — `--update` stamps whenever the inverted
 *   result is true.
 * A list keeps the last 20 stamps of an address (`ip_pkt_list_tot`).
 */
import type { Ip } from '../../../../addr/ip.js';
import { ipFromValue, parseIp } from '../../../../addr/ip.js';
import { InternalError } from '../../../../diag/diagnostic.js';
import type { MatchSpec } from '../../rule.js';
import type { RecentEntry } from '../../state.js';
import { ownRecent } from '../../fork.js';
import type { EvalCtx } from '../ctx.js';
import { arg, eachOpt } from '../opts.js';
import type { Matcher } from './types.js';

const MAX_STAMPS = 20;

type Command = 'set' | 'rcheck' | 'update' | 'remove';

interface RecentInfo {
  name: string;
  command: Command;
  invert: boolean;
  seconds: number;
  hitcount: number;
  reap: boolean;
  side: 'src' | 'dst';
  mask: Ip | undefined;
}

function listOf(c: EvalCtx, name: string): Map<string, RecentEntry> {
  // The packet path writes what it reads here (stamps, removals, reaping): a fork's own lists.
  const recent = ownRecent(c.state);
  let list = recent.get(name);
  if (list === undefined) {
    list = new Map();
    recent.set(name, list);
  }
  return list;
}

function stamp(list: Map<string, RecentEntry>, key: string, addr: Ip, now: number): void {
  const old = list.get(key)?.stamps ?? [];
  list.set(key, { addr, stamps: [...old, now].slice(-MAX_STAMPS) });
}

function evaluate(info: RecentInfo, c: EvalCtx): boolean {
  const raw = c.pkt[info.side];
  const addr = info.mask === undefined || info.mask.family !== raw.family ? raw : ipFromValue(raw.family, raw.value & info.mask.value);
  const key = `${addr.family} ${addr.value}`;
  const list = listOf(c, info.name);
  const now = c.env.ctx.now();
  if (info.command === 'set') {
    stamp(list, key, addr, now);
    return !info.invert;
  }
  const e = list.get(key);
  if (e === undefined) return info.invert;
  if (info.command === 'remove') {
    list.delete(key);
    return !info.invert;
  }
  const since = now - info.seconds;
  const hits = e.stamps.filter((s) => info.seconds === 0 || s >= since).length;
  const ret = hits >= Math.max(1, info.hitcount) ? !info.invert : info.invert;
  if (info.reap && info.seconds > 0 && (e.stamps[e.stamps.length - 1] ?? 0) < since) list.delete(key);
  if (info.command === 'update' && ret) stamp(list, key, addr, now);
  return ret;
}

/** `-m recent`. */
export function recentMatch(spec: MatchSpec): Matcher {
  const where = '-m recent';
  const info: RecentInfo = { name: 'DEFAULT', command: 'rcheck', invert: false, seconds: 0, hitcount: 0, reap: false, side: 'src', mask: undefined };
  const command = (cmd: Command) => (o: { neg: boolean }) => {
    info.command = cmd;
    info.invert = o.neg;
  };
  eachOpt(spec.opts, where, {
    '--set': command('set'),
    '--rcheck': command('rcheck'),
    '--update': command('update'),
    '--remove': command('remove'),
    '--name': (o) => (info.name = arg(o, where)),
    '--seconds': (o) => (info.seconds = Number.parseInt(arg(o, where), 10)),
    '--hitcount': (o) => (info.hitcount = Number.parseInt(arg(o, where), 10)),
    '--reap': () => (info.reap = true),
    '--rttl': () => undefined,
    '--rsource': () => (info.side = 'src'),
    '--rdest': () => (info.side = 'dst'),
    '--mask': (o) => {
      const m = parseIp(arg(o, where));
      if (m === undefined) throw new InternalError(`${where}: bad mask ${arg(o, where)}`);
      info.mask = m;
    },
  });
  return (c) => evaluate(info, c);
}
