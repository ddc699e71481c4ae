/**
 * Targets that rewrite or annotate a packet without deciding its fate: `-j TOS`, `-j DSCP`
 * (libxt_TOS, libxt_DSCP), `-j TCPMSS` (libxt_TCPMSS), `-j CLASSIFY` (libxt_CLASSIFY).
 *
 * Kernel facts (iptables v1.8.9 nf_tables, checked in a namespace): every TOS form prints as
 * `--set-tos V/M` (`--set-tos 0x10` → `0x10/0xff`, a name → mask 0x3f, `--and-tos 0x0f` →
 * `0x00/0xf0`, `--or-tos 0x04` → `0x04/0x04`, `--xor-tos 0x04` → `0x04/0x00`); DSCP prints
 * `--set-dscp 0xNN` (a class as its value); CLASSIFY prints `--set-class %04x:%04x`; TCPMSS keeps
 * `--set-mss N` or `--clamp-mss-to-pmtu`.
 */
import type { Opt } from '../../rule.js';
import type { ExtContext, ExtensionDef } from '../extension.js';
import { dscpArg, hex2, parseTosValue } from '../match/tos.js';
import { parseUint } from '../values.js';

function exactlyOne(opts: readonly Opt[], ctx: ExtContext, where: string): Opt | undefined {
  if (opts.length !== 1) ctx.report('IPT_MISSING_ARG', `${where} needs exactly one of its options`);
  return opts[0];
}

function canonTos(opts: readonly Opt[], ctx: ExtContext): readonly Opt[] {
  const o = exactlyOne(opts, ctx, '-j TOS');
  if (o === undefined) return opts;
  const text = o.args[0] ?? '';
  let vm: { value: number; mask: number } | undefined;
  if (o.name === '--set-tos') vm = parseTosValue(text);
  else {
    const n = parseUint(text, 0xff);
    if (n !== undefined) vm = o.name === '--and-tos' ? { value: 0, mask: ~n & 0xff } : o.name === '--or-tos' ? { value: n, mask: n } : { value: n, mask: 0 };
  }
  if (vm === undefined) {
    ctx.report('IPT_BAD_OPTION', `-j TOS: bad value for ${o.name}: ${text}`);
    return opts;
  }
  return [{ name: '--set-tos', args: [`${hex2(vm.value)}/${hex2(vm.mask)}`], neg: false }];
}

/** `-j TOS --set-tos V[/M]|NAME | --and-tos | --or-tos | --xor-tos` */
export const TOS: ExtensionDef = {
  name: 'TOS',
  family: 4,
  options: ['--set-tos', '--and-tos', '--or-tos', '--xor-tos'].map((n) => ({ names: [n], nargs: 1 as const })),
  canonicalize: canonTos,
};

/** `-j DSCP --set-dscp N | --set-dscp-class CLASS` */
export const DSCP: ExtensionDef = {
  name: 'DSCP',
  options: [{ names: ['--set-dscp'], nargs: 1 }, { names: ['--set-dscp-class'], nargs: 1 }],
  canonicalize: (opts, ctx) => {
    const o = exactlyOne(opts, ctx, '-j DSCP');
    const v = o === undefined ? undefined : dscpArg(o);
    if (o !== undefined && v === undefined) ctx.report('IPT_BAD_OPTION', `-j DSCP: bad value for ${o.name}: ${o.args[0] ?? ''}`);
    return v === undefined ? opts : [{ name: '--set-dscp', args: [v], neg: false }];
  },
};

/** `-j TCPMSS --set-mss N | --clamp-mss-to-pmtu` (the rule must be `-p tcp`). */
export const TCPMSS: ExtensionDef = {
  name: 'TCPMSS',
  protos: ['tcp'],
  options: [{ names: ['--set-mss'], nargs: 1 }, { names: ['--clamp-mss-to-pmtu'], nargs: 0 }],
  canonicalize: (opts, ctx) => {
    const o = exactlyOne(opts, ctx, '-j TCPMSS');
    if (o?.name === '--set-mss') {
      const n = parseUint(o.args[0] ?? '', 0xffff);
      if (n === undefined) ctx.report('IPT_BAD_OPTION', `-j TCPMSS: bad --set-mss ${o.args[0] ?? ''}`);
      return n === undefined ? opts : [{ ...o, args: [`${n}`] }];
    }
    return opts;
  },
};

/** `-j CLASSIFY --set-class MAJOR:MINOR` (hex, printed as `%04x:%04x`). */
export const CLASSIFY: ExtensionDef = {
  name: 'CLASSIFY',
  options: [{ names: ['--set-class'], nargs: 1 }],
  canonicalize: (opts, ctx) => {
    const o = exactlyOne(opts, ctx, '-j CLASSIFY');
    const m = /^([0-9a-fA-F]{1,4}):([0-9a-fA-F]{1,4})$/.exec((o?.args[0] ?? '').replace(/0x/g, ''));
    if (o === undefined || m === null) {
      if (o !== undefined) ctx.report('IPT_BAD_OPTION', `-j CLASSIFY: --set-class takes MAJOR:MINOR in hex, not ${o.args[0] ?? ''}`);
      return opts;
    }
    const four = (s: string) => Number.parseInt(s, 16).toString(16).padStart(4, '0');
    return [{ ...o, args: [`${four(m[1] ?? '0')}:${four(m[2] ?? '0')}`] }];
  },
};
