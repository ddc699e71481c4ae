/**
 * `-j MARK` (libxt_MARK revision 2) and `-j CONNMARK` (libxt_CONNMARK revision 1).
 *
 * Kernel facts (fixtures targets.rules): every way of writing a mark change is stored as
 * "mark = (mark AND NOT mask) XOR value" and printed as `--set-xmark VALUE/MASK`:
 * `--or-mark X` → `X/X`, `--xor-mark X` → `X/0x0`, `--and-mark X` → `0x0/~X`,
 * `--set-mark V[/M]` → `V/(V|M)` (M defaults to all ones). CONNMARK `--save-mark` and
 * `--restore-mark` always print both `--nfmask` and `--ctmask` (`--mask M` sets both).
 */
import type { Opt } from '../../rule.js';
import { type ExtContext, type ExtensionDef, find, opt } from '../extension.js';
import { hex, parseUint, parseValueMask } from '../values.js';

const MARK_OPS = ['--set-xmark', '--set-mark', '--or-mark', '--and-mark', '--xor-mark'];

/** The `--set-xmark` form of one mark operation, or undefined when its value is bad. */
function xmark(o: Opt): string | undefined {
  if (o.name === '--set-xmark' || o.name === '--set-mark') {
    const vm = parseValueMask(o.args[0] ?? '');
    if (vm === undefined) return undefined;
    const mask = o.name === '--set-mark' ? (vm.value | vm.mask) >>> 0 : vm.mask;
    return `${hex(vm.value)}/${hex(mask)}`;
  }
  const v = parseUint(o.args[0] ?? '');
  if (v === undefined) return undefined;
  if (o.name === '--or-mark') return `${hex(v)}/${hex(v)}`;
  if (o.name === '--xor-mark') return `${hex(v)}/0x0`;
  return `0x0/${hex(~v >>> 0)}`;
}

/** Rewrites the single mark operation among `opts` to `--set-xmark`. */
function canonMarkOp(opts: readonly Opt[], ctx: ExtContext, what: string): Opt[] {
  const ops = opts.filter((o) => MARK_OPS.includes(o.name));
  if (ops.length !== 1) {
    ctx.report(ops.length === 0 ? 'IPT_MISSING_ARG' : 'IPT_BAD_OPTION', `${what} needs exactly one of ${MARK_OPS.join(', ')}`);
    return [...opts];
  }
  const op = ops[0] as Opt;
  const x = xmark(op);
  if (x === undefined) {
    ctx.report('IPT_BAD_OPTION', `bad value for ${op.name}: ${op.args[0] ?? ''}`);
    return [...opts];
  }
  return [opt('--set-xmark', [x])];
}

/** `-j MARK` */
export const MARK: ExtensionDef = {
  name: 'MARK',
  options: MARK_OPS.map((n) => ({ names: [n], nargs: 1 as const })),
  canonicalize: (opts, ctx) => canonMarkOp(opts, ctx, 'MARK'),
};

function maskArg(o: Opt | undefined, ctx: ExtContext): string {
  if (o === undefined) return '0xffffffff';
  const v = parseUint(o.args[0] ?? '');
  if (v === undefined) ctx.report('IPT_BAD_OPTION', `bad value for ${o.name}: ${o.args[0] ?? ''}`);
  return v === undefined ? (o.args[0] ?? '') : hex(v);
}

/** `--save-mark`/`--restore-mark` with both masks spelled out. */
function canonSaveRestore(cmd: Opt, opts: readonly Opt[], ctx: ExtContext): Opt[] {
  const mask = find(opts, '--mask');
  const nf = maskArg(find(opts, '--nfmask') ?? mask, ctx);
  const ct = maskArg(find(opts, '--ctmask') ?? mask, ctx);
  return [opt(cmd.name), opt('--nfmask', [nf]), opt('--ctmask', [ct])];
}

/** `-j CONNMARK` */
export const CONNMARK: ExtensionDef = {
  name: 'CONNMARK',
  options: [
    ...MARK_OPS.map((n) => ({ names: [n], nargs: 1 as const })),
    { names: ['--save-mark'], nargs: 0 },
    { names: ['--restore-mark'], nargs: 0 },
    { names: ['--mask'], nargs: 1 },
    { names: ['--nfmask'], nargs: 1 },
    { names: ['--ctmask'], nargs: 1 },
  ],
  canonicalize: (opts, ctx) => {
    const cmd = opts.find((o) => o.name === '--save-mark' || o.name === '--restore-mark');
    if (cmd === undefined) return canonMarkOp(opts, ctx, 'CONNMARK');
    if (opts.some((o) => MARK_OPS.includes(o.name))) ctx.report('IPT_BAD_OPTION', `CONNMARK ${cmd.name} cannot be combined with a mark value`);
    return canonSaveRestore(cmd, opts, ctx);
  },
};
