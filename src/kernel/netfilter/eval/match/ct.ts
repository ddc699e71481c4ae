/**
 * `-m conntrack` and `-m state` (net/netfilter/xt_conntrack.c, xt_state.c).
 *
 * The state bit comes from ctinfo (NEW, ESTABLISHED, RELATED), or is INVALID without an entry and
 * UNTRACKED after NOTRACK. `--ctstate` adds the pseudo states SNAT and DNAT when the entry has a
 * (non-null) source or destination binding. Without an entry the match is decided by
 * `--ctstate` alone (other options are not looked at), and fails when there is no `--ctstate`.
 */
import type { Cidr } from '../../../../addr/cidr.js';
import { cidrContains, parseCidr } from '../../../../addr/cidr.js';
import { assertNever, InternalError } from '../../../../diag/diagnostic.js';
import type { MatchSpec, Opt } from '../../rule.js';
import { natActive } from '../../conntrack/entry.js';
import type { Tuple } from '../../conntrack/tuple.js';
import type { CtView, EvalCtx } from '../ctx.js';
import { arg, eachOpt, portRange } from '../opts.js';
import { protoNumber } from './base.js';
import type { Matcher } from './types.js';

type Tracked = Extract<CtView, { kind: 'tracked' }>;

/** The state names a packet has, as `--ctstate` / `--state` see them. */
function stateNames(ct: CtView, withNat: boolean): ReadonlySet<string> {
  switch (ct.kind) {
    case 'invalid':
      return new Set(['INVALID']);
    case 'untracked':
      return new Set(['UNTRACKED']);
    case 'tracked': {
      const s = new Set<string>([ct.info]);
      if (withNat && natActive(ct.entry.natSrc)) s.add('SNAT');
      if (withNat && natActive(ct.entry.natDst)) s.add('DNAT');
      return s;
    }
    default:
      return assertNever(ct, 'ct view');
  }
}

function stateTest(o: Opt, where: string, withNat: boolean): (c: EvalCtx) => boolean {
  const wanted = arg(o, where).split(',');
  return (c) => {
    const have = stateNames(c.ct, withNat);
    return wanted.some((w) => have.has(w)) !== o.neg;
  };
}

function addrOpt(o: Opt, where: string, pick: (e: Tracked) => Tuple, side: 'src' | 'dst') {
  const cidr: Cidr | undefined = parseCidr(arg(o, where));
  if (cidr === undefined) throw new InternalError(`${where}: bad address ${arg(o, where)}`);
  return (ct: Tracked) => cidrContains(cidr, pick(ct)[side]) !== o.neg;
}

function portOpt(o: Opt, where: string, pick: (e: Tracked) => Tuple, side: 'sport' | 'dport') {
  const r = portRange(arg(o, where), where);
  return (ct: Tracked) => {
    const p = pick(ct)[side];
    return (p >= r.min && p <= r.max) !== o.neg;
  };
}

const ORIG = (ct: Tracked) => ct.entry.orig;
const REPL = (ct: Tracked) => ct.entry.reply;

function statusNames(ct: Tracked): ReadonlySet<string> {
  const s = new Set<string>(['CONFIRMED']);
  if (ct.entry.seenReply) s.add('SEEN_REPLY');
  if (ct.entry.assured) s.add('ASSURED');
  if (s.size === 1 && !ct.entry.confirmed) s.add('NONE');
  return s;
}

/** `-m conntrack`. */
export function conntrackMatch(spec: MatchSpec): Matcher {
  const where = '-m conntrack';
  let state: ((c: EvalCtx) => boolean) | undefined;
  const others: ((ct: Tracked, now: number) => boolean)[] = [];
  eachOpt(spec.opts, where, {
    '--ctstate': (o) => (state = stateTest(o, where, true)),
    '--ctproto': (o) => {
      const n = protoNumber(arg(o, where));
      others.push((ct) => (n === undefined || ct.entry.orig.proto === n) !== o.neg);
    },
    '--ctorigsrc': (o) => others.push(addrOpt(o, where, ORIG, 'src')),
    '--ctorigdst': (o) => others.push(addrOpt(o, where, ORIG, 'dst')),
    '--ctreplsrc': (o) => others.push(addrOpt(o, where, REPL, 'src')),
    '--ctrepldst': (o) => others.push(addrOpt(o, where, REPL, 'dst')),
    '--ctorigsrcport': (o) => others.push(portOpt(o, where, ORIG, 'sport')),
    '--ctorigdstport': (o) => others.push(portOpt(o, where, ORIG, 'dport')),
    '--ctreplsrcport': (o) => others.push(portOpt(o, where, REPL, 'sport')),
    '--ctrepldstport': (o) => others.push(portOpt(o, where, REPL, 'dport')),
    '--ctstatus': (o) => {
      const wanted = arg(o, where).split(',');
      others.push((ct) => wanted.some((w) => statusNames(ct).has(w)) !== o.neg);
    },
    '--ctexpire': (o) => {
      const [lo, hi] = arg(o, where).split(':').map((x) => Number.parseInt(x, 10));
      const r = { min: lo ?? 0, max: hi ?? lo ?? 0 };
      others.push((ct, now) => {
        const left = Math.max(0, Math.ceil(ct.entry.expires - now) - 1);
        return (left >= r.min && left <= r.max) !== o.neg;
      });
    },
    '--ctdir': (o) => {
      const dir = arg(o, where) === 'REPLY' ? 'reply' : 'original';
      others.push((ct) => (ct.dir === dir) !== o.neg);
    },
  });
  return (c) => {
    if (state !== undefined && !state(c)) return false;
    const ct = c.ct;
    if (ct.kind !== 'tracked') return state !== undefined; // xt_conntrack: without an entry only --ctstate is answered
    const now = c.env.ctx.now();
    return others.every((t) => t(ct, now));
  };
}

/** `-m state --state LIST` (no SNAT/DNAT pseudo states). */
export function stateMatch(spec: MatchSpec): Matcher {
  const where = '-m state';
  let m: Matcher = () => true;
  eachOpt(spec.opts, where, { '--state': (o) => (m = stateTest(o, where, false)) });
  return m;
}
