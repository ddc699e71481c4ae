/**
 * Port matches: `-m tcp`, `-m udp`, `-m sctp` (libxt_tcp, libxt_udp, libxt_sctp) and
 * `-m multiport` (libxt_multiport).
 *
 * Kernel facts (iptables v1.8.9 nf_tables, fixtures ports.rules):
 * - a range `A:B` prints as `A` when A = B; `A:` is `A:65535` and `:B` is `0:B`; A > B is refused;
 * - `--dport 0:65535` matches everything and is not printed (the `-m tcp` stays);
 *   `! --dport 0:65535` is dropped too, and a tcp match left without options disappears;
 * - `--syn` prints as `--tcp-flags FIN,SYN,RST,ACK SYN`; flags print in the order FIN SYN RST
 *   PSH ACK URG, `ALL` is those six, an empty set is `NONE`; ECE and CWR are unknown;
 * - tcp prints `--sport --dport --tcp-option --tcp-flags`;
 * - multiport keeps its list as given (service names become numbers) and refuses `A:A`;
 * - sctp prints like udp but keeps `0:65535`.
 */
import type { Opt } from '../../rule.js';
import { type ExtContext, type ExtensionDef, inOrder, opt, withArgs } from '../extension.js';
import { formatPortRange, parsePort, parsePortRange, parseUint } from '../values.js';

const FLAGS = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG'] as const;

/** Parses a comma list of TCP flag names into a bit set (bit i is FLAGS[i]). */
function parseFlags(text: string): number | undefined {
  let bits = 0;
  for (const name of text.toUpperCase().split(',')) {
    if (name === 'ALL') bits |= 0x3f;
    else if (name === 'NONE') continue;
    else {
      const i = FLAGS.indexOf(name as (typeof FLAGS)[number]);
      if (i < 0) return undefined;
      bits |= 1 << i;
    }
  }
  return bits;
}

function formatFlags(bits: number): string {
  const names = FLAGS.filter((_f, i) => (bits & (1 << i)) !== 0);
  return names.length === 0 ? 'NONE' : names.join(',');
}

/** Canonical port option, or undefined to drop it (the full range). */
function portOpt(o: Opt, ctx: ExtContext, keepFull = false): Opt | undefined {
  const r = o.args[0] === undefined ? undefined : parsePortRange(o.args[0]);
  if (r === undefined || r.lo > r.hi) {
    ctx.report('IPT_BAD_OPTION', `bad port or port range for ${o.name}: ${o.args[0] ?? ''}`);
    return o;
  }
  if (r.lo === 0 && r.hi === 65535 && !keepFull) return undefined;
  // Most dumps are iptables-save output already: the option is kept as it is.
  const text = formatPortRange(r);
  return text === o.args[0] ? o : { ...o, args: [text] };
}

function isFullRange(o: Opt): boolean {
  const r = o.args[0] === undefined ? undefined : parsePortRange(o.args[0]);
  return r !== undefined && r.lo === 0 && r.hi === 65535;
}

/** Shared canonicalisation of `--sport`/`--dport` for tcp and udp. */
function canonPorts(opts: readonly Opt[], ctx: ExtContext): { kept: Opt[]; droppedNegFull: boolean } {
  const kept: Opt[] = [];
  let droppedNegFull = false;
  for (const o of opts) {
    if ((o.name === '--sport' || o.name === '--dport') && o.neg && isFullRange(o)) {
      droppedNegFull = true;
      continue;
    }
    const c = o.name === '--sport' || o.name === '--dport' ? portOpt(o, ctx) : o;
    if (c !== undefined) kept.push(c);
  }
  return { kept, droppedNegFull };
}

function canonTcp(opts: readonly Opt[], ctx: ExtContext): readonly Opt[] | undefined {
  const { kept, droppedNegFull } = canonPorts(opts, ctx);
  const out = kept.map((o): Opt => {
    if (o.name === '--syn') return opt('--tcp-flags', ['FIN,SYN,RST,ACK', 'SYN'], o.neg);
    if (o.name === '--tcp-flags') {
      const mask = parseFlags(o.args[0] ?? '');
      const cmp = parseFlags(o.args[1] ?? '');
      if (mask === undefined || cmp === undefined) {
        ctx.report('IPT_BAD_OPTION', `unknown TCP flag in --tcp-flags ${o.args.join(' ')}`);
        return o;
      }
      return withArgs(o, [formatFlags(mask), formatFlags(cmp)]);
    }
    if (o.name === '--tcp-option' && parseUint(o.args[0] ?? '', 255) === undefined) {
      ctx.report('IPT_BAD_OPTION', `bad --tcp-option: ${o.args[0] ?? ''}`);
    }
    return o;
  });
  if (out.filter((o) => o.name === '--tcp-flags').length > 1) ctx.report('IPT_BAD_OPTION', 'only one of --syn and --tcp-flags may be given');
  if (droppedNegFull && out.length === 0) return undefined;
  return inOrder(out, ['--sport', '--dport', '--tcp-option', '--tcp-flags']);
}

const PORT_OPTS = [
  { names: ['--sport', '--source-port'], nargs: 1, negatable: true },
  { names: ['--dport', '--destination-port'], nargs: 1, negatable: true },
] as const;

/** `-m tcp` */
export const tcp: ExtensionDef = {
  name: 'tcp',
  protos: ['tcp'],
  options: [
    ...PORT_OPTS,
    { names: ['--tcp-flags'], nargs: 2, negatable: true },
    { names: ['--syn'], nargs: 0, negatable: true },
    { names: ['--tcp-option'], nargs: 1, negatable: true },
  ],
  canonicalize: canonTcp,
};

/** `-m udp` */
export const udp: ExtensionDef = {
  name: 'udp',
  protos: ['udp'],
  options: PORT_OPTS,
  canonicalize: (opts, ctx) => {
    const { kept, droppedNegFull } = canonPorts(opts, ctx);
    if (droppedNegFull && kept.length === 0) return undefined;
    return inOrder(kept, ['--sport', '--dport']);
  },
};

/**
 * `-m sctp`: not translated to native nft expressions by iptables-nft, so, unlike tcp and udp,
 * a full range `0:65535` is kept and printed.
 */
export const sctp: ExtensionDef = {
  name: 'sctp',
  protos: ['sctp'],
  options: PORT_OPTS,
  canonicalize: (opts, ctx) => inOrder(opts.map((o) => portOpt(o, ctx, true) ?? o), ['--sport', '--dport']),
};

/** Canonical multiport list, or undefined when an element is bad. */
function multiportList(text: string): string | undefined {
  const items = text.split(',');
  if (items.length === 0 || items.length > 15) return undefined;
  const out: string[] = [];
  for (const item of items) {
    const [a, b, ...rest] = item.split(':');
    if (a === undefined || rest.length > 0) return undefined;
    const lo = parsePort(a);
    const hi = b === undefined ? lo : parsePort(b);
    if (lo === undefined || hi === undefined || (b !== undefined && lo >= hi)) return undefined;
    out.push(b === undefined ? `${lo}` : `${lo}:${hi}`);
  }
  return out.join(',');
}

/** `-m multiport` (revision 1, which allows ranges and `!`). */
export const multiport: ExtensionDef = {
  name: 'multiport',
  protos: ['tcp', 'udp', 'udplite', 'sctp', 'dccp'],
  options: [
    { names: ['--sports', '--source-ports'], nargs: 1, negatable: true },
    { names: ['--dports', '--destination-ports'], nargs: 1, negatable: true },
    { names: ['--ports'], nargs: 1, negatable: true },
  ],
  canonicalize: (opts, ctx) => {
    if (opts.length !== 1) {
      ctx.report(opts.length === 0 ? 'IPT_MISSING_ARG' : 'IPT_BAD_OPTION', 'multiport needs exactly one of --sports, --dports, --ports');
    }
    return opts.map((o) => {
      const list = multiportList(o.args[0] ?? '');
      if (list === undefined) {
        ctx.report('IPT_BAD_OPTION', `bad port list for ${o.name}: ${o.args[0] ?? ''} (at most 15 ports; a range A:B needs A < B)`);
        return o;
      }
      return list === o.args[0] ? o : { ...o, args: [list] };
    });
  },
};
