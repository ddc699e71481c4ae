/**
 * `-m tos`, `-m dscp` (libxt_tos, libxt_dscp) and `-m owner` (libxt_owner), as iptables-save
 * prints them.
 *
 * Kernel facts (iptables v1.8.9 nf_tables, checked in a namespace): `--tos 0x10` prints
 * `--tos 0x10/0xff`; a symbolic name takes mask 0x3f (`Minimize-Delay` → `0x10/0x3f`); `--dscp 10`
 * prints `--dscp 0x0a`; `--dscp-class AF41` prints `--dscp 0x22`; owner prints
 * `--socket-exists` first, then `--uid-owner`, `--gid-owner`, `--suppl-groups`, each with its own `!`.
 */
import type { Opt } from '../../rule.js';
import type { ExtContext, ExtensionDef } from '../extension.js';
import { inOrder } from '../extension.js';
import { parseUint } from '../values.js';

/** The IPv4 TOS names iptables knows (libxt_tos.c tos_symbol_names), all with mask 0x3f. */
export const TOS_NAMES: Readonly<Record<string, number>> = {
  'Minimize-Delay': 0x10, 'Maximize-Throughput': 0x08, 'Maximize-Reliability': 0x04, 'Minimize-Cost': 0x02, 'Normal-Service': 0x00,
};

/** DSCP class names (libxt_dscp_helper.c). */
export const DSCP_CLASSES: Readonly<Record<string, number>> = {
  CS0: 0x00, CS1: 0x08, CS2: 0x10, CS3: 0x18, CS4: 0x20, CS5: 0x28, CS6: 0x30, CS7: 0x38, BE: 0x00,
  AF11: 0x0a, AF12: 0x0c, AF13: 0x0e, AF21: 0x12, AF22: 0x14, AF23: 0x16, AF31: 0x1a, AF32: 0x1c, AF33: 0x1e,
  AF41: 0x22, AF42: 0x24, AF43: 0x26, EF: 0x2e,
};

/** Two hex digits, as iptables prints a TOS or DSCP byte. */
export function hex2(n: number): string {
  return `0x${n.toString(16).padStart(2, '0')}`;
}

/** `VALUE[/MASK]` or a TOS name, as (value, mask); a bare value has mask 0xff. */
export function parseTosValue(text: string): { value: number; mask: number } | undefined {
  const named = TOS_NAMES[text];
  if (named !== undefined) return { value: named, mask: 0x3f };
  const [v, m, ...rest] = text.split('/');
  const value = parseUint(v ?? '', 0xff);
  const mask = m === undefined ? 0xff : parseUint(m, 0xff);
  return rest.length > 0 || value === undefined || mask === undefined ? undefined : { value, mask };
}

function oneArg(opts: readonly Opt[], ctx: ExtContext, where: string, rewrite: (o: Opt) => Opt | undefined): readonly Opt[] {
  if (opts.length !== 1) ctx.report('IPT_MISSING_ARG', `${where} needs exactly one of its options`);
  return opts.map((o) => {
    const r = rewrite(o);
    if (r === undefined) ctx.report('IPT_BAD_OPTION', `${where}: bad value for ${o.name}: ${o.args.join(' ')}`);
    return r ?? o;
  });
}

/** `-m tos [!] --tos VALUE[/MASK]|NAME` */
export const tos: ExtensionDef = {
  name: 'tos',
  options: [{ names: ['--tos'], nargs: 1, negatable: true }],
  canonicalize: (opts, ctx) =>
    oneArg(opts, ctx, '-m tos', (o) => {
      const vm = parseTosValue(o.args[0] ?? '');
      return vm === undefined ? undefined : { ...o, args: [`${hex2(vm.value)}/${hex2(vm.mask)}`] };
    }),
};

/** A DSCP value (0-63) or class name, as `--dscp` prints it. */
export function dscpArg(o: Opt): string | undefined {
  const text = o.args[0] ?? '';
  const n = o.name.endsWith('-class') ? DSCP_CLASSES[text.toUpperCase()] : parseUint(text, 0x3f);
  return n === undefined ? undefined : hex2(n);
}

/** `-m dscp [!] --dscp N | [!] --dscp-class CLASS` (printed as `--dscp 0xNN`). */
export const dscp: ExtensionDef = {
  name: 'dscp',
  options: [
    { names: ['--dscp'], nargs: 1, negatable: true },
    { names: ['--dscp-class'], nargs: 1, negatable: true },
  ],
  canonicalize: (opts, ctx) =>
    oneArg(opts, ctx, '-m dscp', (o) => {
      const v = dscpArg(o);
      return v === undefined ? undefined : { ...o, name: '--dscp', args: [v] };
    }),
};

/** A uid or gid, or a range `A-B` (names are not resolved: a dump has numbers). */
function idRange(text: string): string | undefined {
  const [a, b, ...rest] = text.split('-');
  const lo = parseUint(a ?? '');
  const hi = b === undefined ? lo : parseUint(b);
  if (rest.length > 0 || lo === undefined || hi === undefined || hi < lo) return undefined;
  return lo === hi ? `${lo}` : `${lo}-${hi}`;
}

/** `-m owner [!] --uid-owner ID[-ID] [!] --gid-owner ID[-ID] [--suppl-groups] [!] --socket-exists` */
export const owner: ExtensionDef = {
  name: 'owner',
  options: [
    { names: ['--uid-owner'], nargs: 1, negatable: true },
    { names: ['--gid-owner'], nargs: 1, negatable: true },
    { names: ['--socket-exists'], nargs: 0, negatable: true },
    { names: ['--suppl-groups'], nargs: 0 },
  ],
  canonicalize: (opts, ctx) => {
    if (opts.length === 0) ctx.report('IPT_MISSING_ARG', '-m owner needs --uid-owner, --gid-owner or --socket-exists');
    const out = opts.map((o) => {
      if (o.name !== '--uid-owner' && o.name !== '--gid-owner') return o;
      const r = idRange(o.args[0] ?? '');
      if (r === undefined) ctx.report('IPT_BAD_OPTION', `-m owner: ${o.name} takes a number or a range N-M, not ${o.args[0] ?? ''}`);
      return r === undefined ? o : { ...o, args: [r] };
    });
    return inOrder(out, ['--socket-exists', '--uid-owner', '--gid-owner', '--suppl-groups']);
  },
};
