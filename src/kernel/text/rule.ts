/**
 * `ip [-6] rule show`, as iproute2 prints it: `PRIO:\tfrom SEL [to SEL] [fwmark M[/MASK]]
 * [iif DEV] [oif DEV] lookup TABLE` (checked against Linux, see test/golden/kernel).
 */
import type { Family } from '../../addr/ip.js';
import { formatCidr, formatRouteDst } from '../../addr/cidr.js';
import { familyBits } from '../../addr/ip.js';
import { assertNever } from '../../diag/diagnostic.js';
import type { Netns } from '../netns.js';
import { type FibRule, tableName } from '../route/types.js';

function hex(n: number): string {
  return `0x${(n >>> 0).toString(16)}`;
}

/** One rule line (without the newline). */
export function ruleLine(r: FibRule): string {
  const f: string[] = [];
  if (r.not === true) f.push('not');
  f.push('from', r.from === undefined || r.from.prefix === 0 ? 'all' : selector(r.from));
  if (r.to !== undefined && r.to.prefix !== 0) f.push('to', selector(r.to));
  if (r.fwmark !== undefined) f.push('fwmark', r.fwmask === undefined || r.fwmask === 0xffffffff ? hex(r.fwmark) : `${hex(r.fwmark)}/${hex(r.fwmask)}`);
  if (r.iif !== undefined) f.push('iif', r.iif);
  if (r.oif !== undefined) f.push('oif', r.oif);
  switch (r.action) {
    case 'lookup':
      f.push('lookup', tableName(r.table));
      break;
    case 'blackhole':
    case 'unreachable':
    case 'prohibit':
      f.push(r.action);
      break;
    default:
      assertNever(r.action, 'rule action');
  }
  return `${r.priority}:\t${f.join(' ')}`;
}

/** A host selector prints without `/32`, a prefix with it. */
function selector(c: NonNullable<FibRule['from']>): string {
  return c.prefix === familyBits(c.addr.family) ? formatRouteDst(c) : formatCidr({ addr: c.addr, prefix: c.prefix });
}

/** `ip rule show` (family 4) or `ip -6 rule show`. */
export function renderIpRule(ns: Netns, family: Family = 4): string {
  return ns.rules[family].map((r) => `${ruleLine(r)}\n`).join('');
}
