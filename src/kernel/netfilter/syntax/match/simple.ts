/**
 * Small matches: `-m comment`, `-m mark`, `-m connmark`, `-m addrtype`, `-m physdev`, `-m set`,
 * `-m nfacct`, `-m rpfilter`.
 *
 * Kernel facts (fixtures matches.rules): marks print in hex and leave out an all-ones mask
 * (`--mark 16384` → `--mark 0x4000`, `0x1/0xffffffff` → `0x1`); addrtype type lists are
 * upper-cased and keep the given order; physdev prints `--physdev-is-in --physdev-in
 * --physdev-is-out --physdev-out --physdev-is-bridged`; set keeps its flags as given.
 */
import type { Opt } from '../../rule.js';
import { type ExtContext, type ExtensionDef, inOrder, mapArgs } from '../extension.js';
import { formatValueMask, parseUint, parseValueMask, truncateUtf8, utf8Length } from '../values.js';

/** The longest comment iptables-nft keeps, in bytes (XT_MAX_COMMENT_LEN - 1). */
const MAX_COMMENT = 255;

/**
 * `-m comment --comment TEXT`. A longer comment is cut to 255 bytes without a word, as
 * iptables-restore v1.8.9 (nf_tables) does (checked: 257 and 1000 bytes load and print back 255);
 * netsim cuts at a character boundary.
 */
export const comment: ExtensionDef = {
  name: 'comment',
  options: [{ names: ['--comment'], nargs: 1 }],
  canonicalize: (opts, ctx) => {
    if (opts.length === 0) ctx.report('IPT_MISSING_ARG', '-m comment needs --comment');
    // The list itself when no comment is cut (every comment a dump holds): the rule keeps it.
    if (opts.every((o) => utf8Length(o.args[0] ?? '') <= MAX_COMMENT)) return opts;
    return opts.map((o) => {
      const text = o.args[0] ?? '';
      return utf8Length(text) <= MAX_COMMENT ? o : { ...o, args: [truncateUtf8(text, MAX_COMMENT)] };
    });
  },
};

function markCanon(opts: readonly Opt[], ctx: ExtContext): readonly Opt[] {
  if (opts.length === 0) ctx.report('IPT_MISSING_ARG', '--mark is required');
  return mapArgs(opts, ctx, {
    '--mark': ([a]) => {
      const vm = parseValueMask(a ?? '');
      return vm === undefined ? undefined : [formatValueMask(vm)];
    },
  });
}

/** `-m mark --mark VALUE[/MASK]` */
export const mark: ExtensionDef = {
  name: 'mark',
  options: [{ names: ['--mark'], nargs: 1, negatable: true }],
  canonicalize: markCanon,
};

/** `-m connmark --mark VALUE[/MASK]` */
export const connmark: ExtensionDef = { ...mark, name: 'connmark' };

const ADDR_TYPES = [
  'UNSPEC', 'UNICAST', 'LOCAL', 'BROADCAST', 'ANYCAST', 'MULTICAST', 'BLACKHOLE', 'UNREACHABLE',
  'PROHIBIT', 'THROW', 'NAT', 'XRESOLVE',
];

function typeList([a]: readonly string[]): readonly string[] | undefined {
  const names = (a ?? '').toUpperCase().split(',');
  return names.every((n) => ADDR_TYPES.includes(n)) ? [names.join(',')] : undefined;
}

/** `-m addrtype --src-type/--dst-type TYPES [--limit-iface-in|--limit-iface-out]` */
export const addrtype: ExtensionDef = {
  name: 'addrtype',
  options: [
    { names: ['--src-type'], nargs: 1, negatable: true },
    { names: ['--dst-type'], nargs: 1, negatable: true },
    { names: ['--limit-iface-in'], nargs: 0 },
    { names: ['--limit-iface-out'], nargs: 0 },
  ],
  canonicalize: (opts, ctx) => {
    const out = mapArgs(opts, ctx, { '--src-type': typeList, '--dst-type': typeList });
    return inOrder(out, ['--src-type', '--dst-type', '--limit-iface-in', '--limit-iface-out']);
  },
};

/** `-m physdev` (bridge ports, seen when br_netfilter passes bridged frames to iptables). */
export const physdev: ExtensionDef = {
  name: 'physdev',
  options: [
    { names: ['--physdev-in'], nargs: 1, negatable: true },
    { names: ['--physdev-out'], nargs: 1, negatable: true },
    { names: ['--physdev-is-in'], nargs: 0, negatable: true },
    { names: ['--physdev-is-out'], nargs: 0, negatable: true },
    { names: ['--physdev-is-bridged'], nargs: 0, negatable: true },
  ],
  canonicalize: (opts) =>
    inOrder(opts, ['--physdev-is-in', '--physdev-in', '--physdev-is-out', '--physdev-out', '--physdev-is-bridged']),
};

/** `-m nfacct --nfacct-name NAME`: counts in a named accounting object; always matches. */
export const nfacct: ExtensionDef = {
  name: 'nfacct',
  options: [{ names: ['--nfacct-name'], nargs: 1 }],
  canonicalize: (opts, ctx) => {
    if (opts.length === 0) ctx.report('IPT_MISSING_ARG', '-m nfacct needs --nfacct-name');
    return opts;
  },
};

const SET_FLAG = /^(src|dst)(,(src|dst)){0,5}$/;

/** `-m set --match-set NAME src|dst[,…]` (ipset). */
export const set: ExtensionDef = {
  name: 'set',
  options: [
    { names: ['--match-set', '--set'], nargs: 2, negatable: true },
    { names: ['--return-nomatch'], nargs: 0 },
    { names: ['--update-counters'], nargs: 0, negatable: true },
    { names: ['--update-subcounters'], nargs: 0, negatable: true },
    ...['--packets-eq', '--packets-lt', '--packets-gt', '--bytes-eq', '--bytes-lt', '--bytes-gt'].map((n) => ({
      names: [n],
      nargs: 1 as const,
      negatable: true,
    })),
  ],
  canonicalize: (opts, ctx) => {
    const ms = opts.find((o) => o.name === '--match-set');
    if (ms === undefined) ctx.report('IPT_MISSING_ARG', '-m set needs --match-set NAME FLAGS');
    else if (!SET_FLAG.test(ms.args[1] ?? '')) ctx.report('IPT_BAD_OPTION', `bad --match-set flags ${ms.args[1] ?? ''} (want src or dst, comma separated)`);
    for (const o of opts) {
      if (/^--(packets|bytes)-/.test(o.name) && parseUint(o.args[0] ?? '', Number.MAX_SAFE_INTEGER) === undefined) {
        ctx.report('IPT_BAD_OPTION', `bad number for ${o.name}: ${o.args[0] ?? ''}`);
      }
    }
    return inOrder(opts, [
      '--match-set', '--return-nomatch', '--update-counters', '--update-subcounters',
      '--packets-eq', '--packets-lt', '--packets-gt', '--bytes-eq', '--bytes-lt', '--bytes-gt',
    ]);
  },
};

/**
 * `-m rpfilter [--loose] [--validmark] [--accept-local] [--invert]` (net/ipv4/netfilter/ipt_rpfilter.c).
 * Kernel fact (iptables v1.8.9 nf_tables): iptables-save prints the flags in the order
 * `--loose --validmark --accept-local --invert`, whatever order they were given in
 * (`--invert --validmark` saves as `--validmark --invert`).
 */
export const rpfilter: ExtensionDef = {
  name: 'rpfilter',
  options: [
    { names: ['--loose'], nargs: 0 },
    { names: ['--validmark'], nargs: 0 },
    { names: ['--accept-local'], nargs: 0 },
    { names: ['--invert'], nargs: 0 },
  ],
  canonicalize: (opts) => inOrder(opts, ['--loose', '--validmark', '--accept-local', '--invert']),
};
