/**
 * Reading canonical option lists. The parser has already validated them (an unknown option or
 * module never reaches the engine), so anything unexpected here is a bug: an InternalError.
 */
import { InternalError } from '../../../diag/diagnostic.js';
import type { Opt } from '../rule.js';

/** Calls the handler of each option; an option without a handler is an internal error. */
export function eachOpt(opts: readonly Opt[], where: string, handlers: Readonly<Record<string, (o: Opt) => void>>): void {
  for (const o of opts) {
    const h = handlers[o.name];
    if (h === undefined) throw new InternalError(`${where}: option ${o.name} is not supported by the engine`);
    h(o);
  }
}

/** The single argument of an option. */
export function arg(o: Opt, where: string): string {
  const a = o.args[0];
  if (a === undefined) throw new InternalError(`${where}: ${o.name} needs an argument`);
  return a;
}

/** An unsigned 32-bit number in iptables' forms (`0x4000`, `16384`). */
export function u32(text: string, where: string): number {
  const n = text.startsWith('0x') || text.startsWith('0X') ? Number.parseInt(text.slice(2), 16) : Number.parseInt(text, 10);
  if (!Number.isFinite(n) || n < 0 || n > 0xffffffff) throw new InternalError(`${where}: not a 32-bit number: ${text}`);
  return n >>> 0;
}

/** `VALUE[/MASK]` (mask defaults to all ones). */
export function valueMask(text: string, where: string): { value: number; mask: number } {
  const [v, m] = text.split('/');
  return { value: u32(v ?? '', where), mask: m === undefined ? 0xffffffff : u32(m, where) };
}

/** A port range `a:b` (or `a`) as iptables-save prints it; `:b` and `a:` are open ended. */
export function portRange(text: string, where: string, sep = ':'): { min: number; max: number } {
  const [a, b] = text.split(sep);
  const parse = (s: string | undefined, dflt: number) => {
    if (s === undefined || s === '') return dflt;
    const n = Number.parseInt(s, 10);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InternalError(`${where}: not a port: ${text}`);
    return n;
  };
  const min = parse(a, 0);
  return { min, max: b === undefined ? min : parse(b, 65535) };
}
