/**
 * Matches that count or sample: `-m statistic` (libxt_statistic), `-m limit` (libxt_limit) and
 * `-m recent` (libxt_recent).
 *
 * Kernel facts (fixtures rate.rules):
 * - statistic keeps the probability as a 31-bit fraction and prints it with 11 decimals:
 *   `0.5` → `0.50000000000`, kube-proxy's `0.3333333333` → `0.33333333349`;
 *   nth needs `--packet` with `--every`;
 * - limit stores a period in 1/10000 s and prints the largest unit that divides it well, so
 *   `120/min` prints `2/sec`, `60/hour` prints `1/min`; a bare `-m limit` is `--limit 3/hour`;
 *   a burst of 5 (the default) is not printed;
 * - recent always prints `--name` (default `DEFAULT`), `--mask` and `--rsource`/`--rdest`,
 *   in the order command, --seconds, --reap, --hitcount, --rttl, --name, --mask, side.
 */
import type { Opt } from '../../rule.js';
import { type ExtContext, type ExtensionDef, find, inOrder, opt } from '../extension.js';
import { formatAddr, parseIpFast, parseUint } from '../values.js';

const SCALE31 = 0x80000000n;

/** `%.11f` of round(p·2^31)/2^31, computed exactly (printf rounds the exact value half to even). */
export function formatProbability(p: number): string {
  const k = BigInt(Math.round(p * 0x80000000));
  const scaled = k * 10n ** 11n;
  let q = scaled / SCALE31;
  const r = scaled % SCALE31;
  if (r * 2n > SCALE31 || (r * 2n === SCALE31 && q % 2n === 1n)) q += 1n;
  const digits = q.toString().padStart(12, '0');
  return `${digits.slice(0, -11)}.${digits.slice(-11)}`;
}

function canonStatistic(opts: readonly Opt[], ctx: ExtContext): readonly Opt[] {
  const mode = find(opts, '--mode')?.args[0];
  if (mode !== 'random' && mode !== 'nth') ctx.report(mode === undefined ? 'IPT_MISSING_ARG' : 'IPT_BAD_OPTION', `statistic needs --mode random or --mode nth`);
  const out = opts.map((o) => {
    if (o.name !== '--probability') return o;
    const p = Number(o.args[0]);
    if (!/^[0-9.eE+-]+$/.test(o.args[0] ?? '') || !(p >= 0 && p <= 1)) {
      ctx.report('IPT_BAD_OPTION', `--probability must be between 0 and 1: ${o.args[0] ?? ''}`);
      return o;
    }
    return { ...o, args: [formatProbability(p)] };
  });
  const every = find(opts, '--every');
  const packet = find(opts, '--packet');
  if (mode === 'random' && find(opts, '--probability') === undefined) ctx.report('IPT_MISSING_ARG', '--mode random needs --probability');
  if (mode === 'nth' && (every === undefined || packet === undefined)) ctx.report('IPT_MISSING_ARG', '--mode nth needs --every and --packet');
  const n = parseUint(every?.args[0] ?? '1');
  const k = parseUint(packet?.args[0] ?? '0');
  if (n === undefined || n === 0 || k === undefined || k >= n) ctx.report('IPT_BAD_OPTION', '--every must be ≥ 1 and --packet below it');
  return inOrder(out, ['--mode', '--probability', '--every', '--packet']);
}

/** `-m statistic` */
export const statistic: ExtensionDef = {
  name: 'statistic',
  options: [
    { names: ['--mode'], nargs: 1 },
    { names: ['--probability'], nargs: 1, negatable: true },
    { names: ['--every'], nargs: 1, negatable: true },
    { names: ['--packet'], nargs: 1 },
  ],
  canonicalize: canonStatistic,
};

const LIMIT_SCALE = 10000;
const UNITS: ReadonlyArray<readonly [string, number]> = [['second', 1], ['minute', 60], ['hour', 3600], ['day', 86400]];
const PRINT_UNITS: ReadonlyArray<readonly [string, number]> = [
  ['day', LIMIT_SCALE * 86400], ['hour', LIMIT_SCALE * 3600], ['min', LIMIT_SCALE * 60], ['sec', LIMIT_SCALE],
];

/** The period of a `N[/unit]` rate in 1/10000 s (the unit may be any prefix of second/minute/hour/day). */
function ratePeriod(text: string): number | undefined {
  const [n, unit, ...rest] = text.split('/');
  const count = parseUint(n ?? '');
  if (count === undefined || count === 0 || rest.length > 0) return undefined;
  let mult = 1;
  if (unit !== undefined) {
    const u = UNITS.find(([name]) => unit.length > 0 && name.startsWith(unit.toLowerCase()));
    if (u === undefined) return undefined;
    mult = u[1];
  }
  const period = Math.floor((LIMIT_SCALE * mult) / count);
  return period === 0 ? undefined : period;
}

/** Prints a period as libxt_limit's print_rate does. */
export function formatRate(period: number): string {
  let i = 1;
  for (; i < PRINT_UNITS.length; i++) {
    const mult = (PRINT_UNITS[i] as readonly [string, number])[1];
    if (period > mult || Math.floor(mult / period) < mult % period) break;
  }
  const [name, mult] = PRINT_UNITS[i - 1] as readonly [string, number];
  return `${Math.floor(mult / period)}/${name}`;
}

/** `-m limit` */
export const limit: ExtensionDef = {
  name: 'limit',
  options: [
    { names: ['--limit'], nargs: 1 },
    { names: ['--limit-burst'], nargs: 1 },
  ],
  canonicalize: (opts, ctx) => {
    const rate = find(opts, '--limit')?.args[0] ?? '3/hour';
    const period = ratePeriod(rate);
    if (period === undefined) ctx.report('IPT_BAD_OPTION', `bad rate for --limit: ${rate}`);
    const burstText = find(opts, '--limit-burst')?.args[0] ?? '5';
    const burst = parseUint(burstText, 10000);
    if (burst === undefined) ctx.report('IPT_BAD_OPTION', `bad --limit-burst: ${burstText}`);
    const out = [opt('--limit', [period === undefined ? rate : formatRate(period)])];
    if (burst !== 5) out.push(opt('--limit-burst', [burst === undefined ? burstText : `${burst}`]));
    return out;
  },
};

const RECENT_CMDS = ['--set', '--rcheck', '--update', '--remove'];

function canonRecent(opts: readonly Opt[], ctx: ExtContext): readonly Opt[] {
  const cmds = opts.filter((o) => RECENT_CMDS.includes(o.name));
  if (cmds.length !== 1) ctx.report(cmds.length === 0 ? 'IPT_MISSING_ARG' : 'IPT_BAD_OPTION', 'recent needs exactly one of --set, --rcheck, --update, --remove');
  const out = opts.filter((o) => o.name !== '--rsource' && o.name !== '--rdest').map((o) => {
    if ((o.name === '--seconds' || o.name === '--hitcount') && parseUint(o.args[0] ?? '') === undefined) {
      ctx.report('IPT_BAD_OPTION', `bad number for ${o.name}: ${o.args[0] ?? ''}`);
    }
    if (o.name !== '--mask') return o;
    const m = parseIpFast(o.args[0] ?? '');
    if (m === undefined || m.family !== ctx.family) {
      ctx.report('IPT_BAD_OPTION', `bad --mask: ${o.args[0] ?? ''}`);
      return o;
    }
    return { ...o, args: [formatAddr(m)] };
  });
  if (find(out, '--name') === undefined) out.push(opt('--name', ['DEFAULT']));
  if (find(out, '--mask') === undefined) out.push(opt('--mask', [ctx.family === 4 ? '255.255.255.255' : 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff']));
  out.push(opt(find(opts, '--rdest') === undefined ? '--rsource' : '--rdest'));
  return inOrder(out, [...RECENT_CMDS, '--seconds', '--reap', '--hitcount', '--rttl', '--name', '--mask', '--rsource', '--rdest']);
}

/** `-m recent` (kube-proxy's ClientIP session affinity). */
export const recent: ExtensionDef = {
  name: 'recent',
  options: [
    ...RECENT_CMDS.map((n) => ({ names: [n], nargs: 0 as const, negatable: true })),
    { names: ['--seconds'], nargs: 1 },
    { names: ['--reap'], nargs: 0 },
    { names: ['--hitcount'], nargs: 1 },
    { names: ['--rttl'], nargs: 0 },
    { names: ['--name'], nargs: 1 },
    { names: ['--mask'], nargs: 1 },
    { names: ['--rsource'], nargs: 0 },
    { names: ['--rdest'], nargs: 0 },
  ],
  canonicalize: canonRecent,
};
