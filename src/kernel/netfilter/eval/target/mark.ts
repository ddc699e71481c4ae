/**
 * `-j MARK` and `-j CONNMARK` (net/netfilter/xt_mark.c, xt_connmark.c). Both continue the
 * traversal. iptables-save prints `--set-mark V/M` as `--set-xmark V/(M|V)` and keeps
 * `--or-mark`, `--and-mark`, `--xor-mark`; the kernel applies `mark = (mark & ~mask) ^ value`.
 */
import { assertNever, InternalError } from '../../../../diag/diagnostic.js';
import type { Opt } from '../../rule.js';
import type { EvalCtx } from '../ctx.js';
import { arg, eachOpt, u32, valueMask } from '../opts.js';
import { CONTINUE, type CompiledTarget } from './types.js';

/** `(mark & ~mask) ^ xor` as a (mask, xor) pair. */
interface XMark {
  readonly mask: number;
  readonly xor: number;
}

const apply = (mark: number, x: XMark) => ((mark & ~x.mask) ^ x.xor) >>> 0;

/** The xmark of one MARK-style option (`--set-xmark`, `--set-mark`, `--or-mark`, …). */
function xmarkOf(o: Opt, where: string): XMark | undefined {
  switch (o.name) {
    case '--set-xmark': {
      const { value, mask } = valueMask(arg(o, where), where);
      return { mask, xor: value };
    }
    case '--set-mark': {
      const { value, mask } = valueMask(arg(o, where), where);
      return { mask: (mask | value) >>> 0, xor: value };
    }
    case '--or-mark': {
      const v = u32(arg(o, where), where);
      return { mask: v, xor: v };
    }
    case '--and-mark':
      return { mask: ~u32(arg(o, where), where) >>> 0, xor: 0 };
    case '--xor-mark':
      return { mask: 0, xor: u32(arg(o, where), where) };
    default:
      return undefined;
  }
}

/** `-j MARK`. */
export function markTarget(opts: readonly Opt[]): CompiledTarget {
  const where = '-j MARK';
  const o = opts[0];
  const x = o === undefined ? undefined : xmarkOf(o, where);
  if (x === undefined || opts.length !== 1) throw new InternalError(`${where}: expected one mark option`);
  return {
    label: 'MARK',
    run: (c) => {
      c.mark = apply(c.mark, x);
      return CONTINUE;
    },
  };
}

type ConnmarkOp = { kind: 'set'; x: XMark } | { kind: 'save' | 'restore'; nfmask: number; ctmask: number };

function setConnmark(c: EvalCtx, mark: number): void {
  if (c.ct.kind === 'tracked') c.ct = { ...c.ct, entry: { ...c.ct.entry, mark } };
}

function runConnmark(c: EvalCtx, op: ConnmarkOp): void {
  if (c.ct.kind !== 'tracked') return; // no entry: the kernel does nothing
  const ctmark = c.ct.entry.mark;
  switch (op.kind) {
    case 'set':
      setConnmark(c, apply(ctmark, op.x));
      return;
    case 'save':
      setConnmark(c, ((ctmark & ~op.ctmask) ^ (c.mark & op.nfmask)) >>> 0);
      return;
    case 'restore':
      c.mark = ((c.mark & ~op.nfmask) ^ (ctmark & op.ctmask)) >>> 0;
      return;
    default:
      assertNever(op, 'CONNMARK operation');
  }
}

/** `-j CONNMARK --set-xmark V/M | --save-mark [--nfmask M --ctmask M | --mask M] | --restore-mark …`. */
export function connmarkTarget(opts: readonly Opt[]): CompiledTarget {
  const where = '-j CONNMARK';
  let op: ConnmarkOp | undefined;
  let nfmask = 0xffffffff;
  let ctmask = 0xffffffff;
  for (const o of opts) {
    const x = xmarkOf(o, where);
    if (x !== undefined) op = { kind: 'set', x };
  }
  let saveOrRestore: 'save' | 'restore' | undefined;
  eachOpt(opts.filter((o) => xmarkOf(o, where) === undefined), where, {
    '--save-mark': () => (saveOrRestore = 'save'),
    '--restore-mark': () => (saveOrRestore = 'restore'),
    '--nfmask': (o) => (nfmask = u32(arg(o, where), where)),
    '--ctmask': (o) => (ctmask = u32(arg(o, where), where)),
    '--mask': (o) => (nfmask = ctmask = u32(arg(o, where), where)),
  });
  if (saveOrRestore !== undefined) op = { kind: saveOrRestore, nfmask, ctmask };
  const chosen = op;
  if (chosen === undefined) throw new InternalError(`${where}: no operation`);
  return {
    label: 'CONNMARK',
    run: (c) => {
      runConnmark(c, chosen);
      return CONTINUE;
    },
  };
}
