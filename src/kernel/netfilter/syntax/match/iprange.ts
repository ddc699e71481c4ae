/**
 * `-m iprange --src-range A-B --dst-range A-B` (libxt_iprange).
 *
 * Kernel facts (iptables v1.8.9 nf_tables): a single address prints as the range `A-A`; the
 * source range prints before the destination range whatever the input order.
 */
import { type ExtensionDef, inOrder, mapArgs } from '../extension.js';
import { formatAddr, parseIpFast } from '../values.js';

function range(family: 4 | 6) {
  return ([a]: readonly string[]): readonly string[] | undefined => {
    const [lo, hi, ...rest] = (a ?? '').split('-').map(parseIpFast);
    const last = hi ?? lo;
    if (lo === undefined || last === undefined || rest.length > 0 || lo.family !== family || last.family !== family) return undefined;
    return [`${formatAddr(lo)}-${formatAddr(last)}`];
  };
}

/** `-m iprange` */
export const iprange: ExtensionDef = {
  name: 'iprange',
  options: [
    { names: ['--src-range'], nargs: 1, negatable: true },
    { names: ['--dst-range'], nargs: 1, negatable: true },
  ],
  canonicalize: (opts, ctx) => {
    if (opts.length === 0) ctx.report('IPT_MISSING_ARG', '-m iprange needs --src-range or --dst-range');
    const r = range(ctx.family);
    return inOrder(mapArgs(opts, ctx, { '--src-range': r, '--dst-range': r }), ['--src-range', '--dst-range']);
  },
};
