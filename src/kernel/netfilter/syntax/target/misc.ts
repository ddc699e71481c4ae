/**
 * `-j NFLOG` (libxt_NFLOG) and `-j CT --notrack` (libxt_CT, the only CT form netsim models).
 *
 * Kernel facts (iptables v1.8.9 nf_tables): NFLOG prints `--nflog-prefix --nflog-group
 * --nflog-size --nflog-threshold`, leaving out group 0 and an unset threshold; the deprecated
 * `--nflog-range` is accepted and dropped.
 */
import type { Opt } from '../../rule.js';
import { type ExtContext, type ExtensionDef, inOrder } from '../extension.js';
import { parseUint, utf8Length } from '../values.js';

function canonNflog(opts: readonly Opt[], ctx: ExtContext): readonly Opt[] {
  const out: Opt[] = [];
  for (const o of opts) {
    if (o.name === '--nflog-range') continue;
    if (o.name === '--nflog-prefix') {
      if (utf8Length(o.args[0] ?? '') > 63) ctx.report('IPT_BAD_OPTION', 'an --nflog-prefix is at most 63 bytes');
      out.push(o);
      continue;
    }
    const n = parseUint(o.args[0] ?? '', o.name === '--nflog-group' ? 65535 : 0xffffffff);
    if (n === undefined) ctx.report('IPT_BAD_OPTION', `bad number for ${o.name}: ${o.args[0] ?? ''}`);
    else if (!(n === 0 && (o.name === '--nflog-group' || o.name === '--nflog-threshold'))) out.push({ ...o, args: [`${n}`] });
  }
  return inOrder(out, ['--nflog-prefix', '--nflog-group', '--nflog-size', '--nflog-threshold']);
}

/** `-j NFLOG` */
export const NFLOG: ExtensionDef = {
  name: 'NFLOG',
  options: ['--nflog-group', '--nflog-prefix', '--nflog-size', '--nflog-range', '--nflog-threshold'].map((n) => ({ names: [n], nargs: 1 as const })),
  canonicalize: canonNflog,
};

/** Options of libxt_CT that netsim reads only to say they are not modelled. */
const CT_UNMODELLED = ['--zone', '--zone-orig', '--zone-reply', '--helper', '--ctevents', '--expevents', '--timeout'];

/** `-j CT --notrack`: other CT options (zones, helpers, timeouts) are real but not modelled. */
export const CT: ExtensionDef = {
  name: 'CT',
  options: [{ names: ['--notrack'], nargs: 0 }, ...CT_UNMODELLED.map((n) => ({ names: [n], nargs: 1 as const }))],
  canonicalize: (opts, ctx) => {
    const other = opts.filter((o) => o.name !== '--notrack').map((o) => o.name);
    if (opts.length === 0 || other.length > 0) {
      ctx.report('IPT_UNKNOWN_TARGET', `-j CT${other.length > 0 ? ` ${other.join(' ')}` : ' without options'} is not modelled (netsim models only -j CT --notrack)`);
    }
    return opts;
  },
};
