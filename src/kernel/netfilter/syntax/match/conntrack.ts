/**
 * `-m conntrack` (libxt_conntrack revision 3) and `-m state` (its alias kept under its own name).
 *
 * Kernel facts (fixtures conntrack.rules): state lists print in the kernel's bit order
 * INVALID NEW RELATED ESTABLISHED UNTRACKED SNAT DNAT whatever order they were written in;
 * `--ctstatus` likewise EXPECTED SEEN_REPLY ASSURED CONFIRMED (`NONE` is no bit);
 * `--ctproto tcp` prints `6`; `--ctorigsrc 10.0.0.7/24` keeps its host bits and a host address
 * prints without `/32`; options print in the order below, not the order given.
 */
import type { Opt } from '../../rule.js';
import { type ExtContext, type ExtensionDef, inOrder, mapArgs } from '../extension.js';
import { protoNumber } from '../protocols.js';
import { formatAddr, parseCidrFast, parsePort, parseUint } from '../values.js';

const STATES = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED', 'SNAT', 'DNAT'];
const STATUSES = ['EXPECTED', 'SEEN_REPLY', 'ASSURED', 'CONFIRMED'];

/** A comma list of names from `known`, printed in `known` order; `none` names the empty set. */
function bitList(known: readonly string[], none?: string) {
  return ([a]: readonly string[]): readonly string[] | undefined => {
    const names = (a ?? '').toUpperCase().split(',');
    if (!names.every((n) => known.includes(n) || n === none)) return undefined;
    const kept = known.filter((k) => names.includes(k));
    return [kept.length === 0 && none !== undefined ? none : kept.join(',')];
  };
}

function ctAddr(family: 4 | 6) {
  return ([a]: readonly string[]): readonly string[] | undefined => {
    const c = parseCidrFast(a ?? '');
    if (c === undefined || c.addr.family !== family) return undefined;
    const full = family === 4 ? 32 : 128;
    return [c.prefix === full ? formatAddr(c.addr) : `${formatAddr(c.addr)}/${c.prefix}`];
  };
}

/** `P` or `A:B` (conntrack ports and `--ctexpire`). */
function range(parse: (t: string) => number | undefined) {
  return ([a]: readonly string[]): readonly string[] | undefined => {
    const [lo, hi, ...rest] = (a ?? '').split(':').map(parse);
    if (lo === undefined || rest.length > 0 || (a ?? '').split(':').length > 2) return undefined;
    if ((a ?? '').includes(':') && (hi === undefined || hi < lo)) return undefined;
    return [hi === undefined || hi === lo ? `${lo}` : `${lo}:${hi}`];
  };
}

const ORDER = [
  '--ctstate', '--ctproto', '--ctorigsrc', '--ctorigdst', '--ctreplsrc', '--ctrepldst',
  '--ctorigsrcport', '--ctorigdstport', '--ctreplsrcport', '--ctrepldstport', '--ctstatus', '--ctexpire', '--ctdir',
];

function canonConntrack(opts: readonly Opt[], ctx: ExtContext): readonly Opt[] {
  const addr = ctAddr(ctx.family);
  const port = range(parsePort);
  const out = mapArgs(opts, ctx, {
    '--ctstate': bitList(STATES),
    '--ctstatus': bitList(STATUSES, 'NONE'),
    '--ctproto': ([a]) => {
      const n = protoNumber(a ?? '');
      return n === undefined ? undefined : [`${n}`];
    },
    '--ctorigsrc': addr, '--ctorigdst': addr, '--ctreplsrc': addr, '--ctrepldst': addr,
    '--ctorigsrcport': port, '--ctorigdstport': port, '--ctreplsrcport': port, '--ctrepldstport': port,
    '--ctexpire': range((t) => parseUint(t)),
    '--ctdir': ([a]) => (a === 'ORIGINAL' || a === 'REPLY' ? [a] : undefined),
  });
  // NONE is the empty status set; the kernel keeps no status test then.
  return inOrder(out.filter((o) => !(o.name === '--ctstatus' && o.args[0] === 'NONE')), ORDER);
}

/** `-m conntrack` */
export const conntrack: ExtensionDef = {
  name: 'conntrack',
  options: [
    ...ORDER.filter((n) => n !== '--ctdir').map((n) => ({ names: [n], nargs: 1 as const, negatable: true })),
    { names: ['--ctdir'], nargs: 1 },
  ],
  canonicalize: canonConntrack,
};

/** `-m state --state STATES` */
export const state: ExtensionDef = {
  name: 'state',
  options: [{ names: ['--state'], nargs: 1, negatable: true }],
  canonicalize: (opts, ctx) => {
    if (opts.length === 0) ctx.report('IPT_MISSING_ARG', '-m state needs --state');
    return mapArgs(opts, ctx, { '--state': bitList(STATES.slice(0, 5)) });
  },
};
