/**
 * `-m tos` (xt_dscp.c tos_mt: `(tos & mask) == value`), `-m dscp` (xt_dscp.c dscp_mt:
 * `tos >> 2 == dscp`) and `-m owner` (xt_owner.c owner_mt). They read the TOS byte as the
 * table has left it so far, so a `-j TOS` earlier in the same table is seen.
 *
 * owner_mt: a packet without a socket matches only when every option is negated (and
 * `! --socket-exists` is then true); with a socket, each given uid/gid range is tested against
 * the socket's file owner, `!` inverting each test.
 */
import type { MatchSpec } from '../../rule.js';
import { arg, eachOpt, u32 } from '../opts.js';
import type { Matcher } from './types.js';

/** `-m tos --tos V/M` */
export function tosMatch(spec: MatchSpec): Matcher {
  let value = 0;
  let mask = 0xff;
  let neg = false;
  eachOpt(spec.opts, '-m tos', {
    '--tos': (o) => {
      const [v = '0', m = '0xff'] = arg(o, '-m tos').split('/');
      value = u32(v, '-m tos');
      mask = u32(m, '-m tos');
      neg = o.neg;
    },
  });
  return (c) => ((c.tos & mask) === value) !== neg;
}

/** `-m dscp --dscp N` */
export function dscpMatch(spec: MatchSpec): Matcher {
  let dscp = 0;
  let neg = false;
  eachOpt(spec.opts, '-m dscp', {
    '--dscp': (o) => {
      dscp = u32(arg(o, '-m dscp'), '-m dscp');
      neg = o.neg;
    },
  });
  return (c) => (c.tos >> 2 === dscp) !== neg;
}

interface IdTest {
  readonly lo: number;
  readonly hi: number;
  readonly neg: boolean;
}

function idTest(text: string, neg: boolean): IdTest {
  const [a = '0', b = a] = text.split('-');
  return { lo: u32(a, '-m owner'), hi: u32(b, '-m owner'), neg };
}

/** `-m owner [!] --uid-owner A[-B] [!] --gid-owner A[-B] [!] --socket-exists` */
export function ownerMatch(spec: MatchSpec): Matcher {
  let uid: IdTest | undefined;
  let gid: IdTest | undefined;
  let socketExists: boolean | undefined;
  eachOpt(spec.opts, '-m owner', {
    '--uid-owner': (o) => (uid = idTest(arg(o, '-m owner'), o.neg)),
    '--gid-owner': (o) => (gid = idTest(arg(o, '-m owner'), o.neg)),
    '--socket-exists': (o) => (socketExists = !o.neg),
    '--suppl-groups': () => undefined, // supplementary groups are not modelled: the socket has one gid
  });
  const tests = [uid, gid].filter((t): t is IdTest => t !== undefined);
  const allNegated = tests.every((t) => t.neg) && socketExists !== true;
  return (c) => {
    const sock = c.hook === 'OUTPUT' || c.hook === 'POSTROUTING' ? c.env.socket : undefined;
    if (sock === undefined) return allNegated;
    if (socketExists === false) return false;
    const inRange = (t: IdTest, id: number) => (id >= t.lo && id <= t.hi) !== t.neg;
    return (uid === undefined || inRange(uid, sock.uid)) && (gid === undefined || inRange(gid, sock.gid));
  };
}
