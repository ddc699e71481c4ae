/**
 * NAT targets: `-j DNAT`, `-j SNAT`, `-j MASQUERADE`, `-j REDIRECT` (libxt_NAT, libipt_MASQUERADE,
 * libxt_REDIRECT).
 *
 * Kernel facts (fixtures nat.rules): `--to` is a unique prefix of `--to-destination` and prints
 * as the full name; addresses and ports print as given in canonical form
 * (`10.0.0.1-10.0.0.5:80-90`, IPv6 as `[fd00::1]:80`); flags print in the order
 * `--random --random-fully --persistent` after the address. A port needs `-p tcp|udp|sctp|…`.
 */
import type { Opt } from '../../rule.js';
import { type ExtContext, type ExtensionDef, inOrder } from '../extension.js';
import { formatAddr, parseIpFast, parsePort } from '../values.js';

const PORT_PROTOS = ['tcp', 'udp', 'udplite', 'sctp', 'dccp'];

/** `P` or `P-Q`, printed `P` or `P-Q` (the text itself when it is printed so already). */
function portRange(text: string): string | undefined {
  const dash = text.indexOf('-');
  if (dash < 0) {
    // The common single port: no split, and no new string when it is already canonical.
    const p = parsePort(text);
    return p === undefined ? undefined : /^[1-9][0-9]*$|^0$/.test(text) ? text : `${p}`;
  }
  const [a, b, ...rest] = text.split('-');
  const lo = parsePort(a ?? '');
  const hi = b === undefined ? lo : parsePort(b);
  if (lo === undefined || hi === undefined || rest.length > 0 || hi < lo) return undefined;
  return lo === hi ? `${lo}` : `${lo}-${hi}`;
}

/** Splits `ADDR[-ADDR][:PORTS]` (IPv6 addresses with a port are bracketed). */
function splitAddrPort(text: string, family: 4 | 6): { addr: string; port: string | undefined } {
  if (family === 6) {
    if (text.startsWith('[')) {
      const close = text.indexOf(']');
      const rest = text.slice(close + 1);
      return { addr: text.slice(1, close), port: rest.startsWith(':') ? rest.slice(1) : undefined };
    }
    return { addr: text, port: undefined };
  }
  const colon = text.indexOf(':');
  return colon < 0 ? { addr: text, port: undefined } : { addr: text.slice(0, colon), port: text.slice(colon + 1) };
}

/** Canonical `--to-destination`/`--to-source` value, or undefined when it is malformed. */
function natRange(text: string, ctx: ExtContext): string | undefined {
  const { addr, port } = splitAddrPort(text, ctx.family);
  const addrOut = addr === '' ? '' : natAddrs(addr, ctx.family);
  if (addrOut === undefined) return undefined;
  if (port === undefined) return addrOut === '' ? undefined : addrOut;
  const ports = portRange(port);
  if (ports === undefined) return undefined;
  if (ctx.proto === undefined || !PORT_PROTOS.includes(ctx.proto)) {
    ctx.report('IPT_BAD_OPTION', `a NAT port (${text}) needs -p tcp, udp or sctp`);
  }
  // Already canonical (every generated rule): the text itself, no new string.
  if (ctx.family === 4 && addrOut === addr && ports === port) return text;
  return ctx.family === 6 && addrOut !== '' ? `[${addrOut}]:${ports}` : `${addrOut}:${ports}`;
}

/** `A` or `A-B` as inet_ntop prints them, or undefined when one is not an address of the family. */
function natAddrs(addr: string, family: 4 | 6): string | undefined {
  // A dotted quad printed as inet_ntop prints it is its own canonical form: no parse, no new string.
  if (family === 4 && isCanonicalQuad(addr)) return addr;
  if (!addr.includes('-')) {
    const ip = parseIpFast(addr);
    if (ip === undefined || ip.family !== family) return undefined;
    const out = formatAddr(ip);
    return out === addr ? addr : out;
  }
  const ips = addr.split('-').map(parseIpFast);
  if (ips.length > 2 || ips.some((ip) => ip === undefined || ip.family !== family)) return undefined;
  return ips.map((ip) => formatAddr(ip as NonNullable<typeof ip>)).join('-');
}

/** True for `a.b.c.d` with each part 0–255 written without leading zeros (what formatAddr prints). */
function isCanonicalQuad(text: string): boolean {
  let parts = 0;
  let i = 0;
  const n = text.length;
  while (parts < 4) {
    const start = i;
    let v = 0;
    while (i < n && i - start < 3) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) break;
      v = v * 10 + (c - 48);
      i++;
    }
    if (i === start || v > 255 || (i - start > 1 && text.charCodeAt(start) === 48)) return false;
    parts++;
    if (parts < 4) {
      if (i >= n || text.charCodeAt(i) !== 46) return false;
      i++;
    }
  }
  return i === n;
}

function canonNat(toName: string) {
  return (opts: readonly Opt[], ctx: ExtContext): readonly Opt[] => {
    // Loops, not filter and map: a kube-proxy dump has a DNAT rule per endpoint, each already canonical.
    let tos = 0;
    let out: Opt[] | undefined;
    for (let i = 0; i < opts.length; i++) {
      const o = opts[i] as Opt;
      if (o.name !== toName) continue;
      tos++;
      const v = natRange(o.args[0] ?? '', ctx);
      if (v === undefined) ctx.report('IPT_BAD_ADDRESS', `bad ${toName} value: ${o.args[0] ?? ''}`);
      if (v === undefined || v === o.args[0]) continue;
      out ??= opts.slice();
      out[i] = { ...o, args: [v] };
    }
    if (tos === 0) ctx.report('IPT_MISSING_ARG', `${toName} is required`);
    return inOrder(out ?? opts, [toName, '--random', '--random-fully', '--persistent']);
  };
}

const FLAGS = [
  { names: ['--random'], nargs: 0 },
  { names: ['--random-fully'], nargs: 0 },
  { names: ['--persistent'], nargs: 0 },
] as const;

/** `-j DNAT --to-destination ADDR[:PORT]` */
export const DNAT: ExtensionDef = {
  name: 'DNAT',
  options: [{ names: ['--to-destination'], nargs: 1 }, ...FLAGS],
  canonicalize: canonNat('--to-destination'),
};

/** `-j SNAT --to-source ADDR[:PORT]` */
export const SNAT: ExtensionDef = {
  name: 'SNAT',
  options: [{ names: ['--to-source'], nargs: 1 }, ...FLAGS],
  canonicalize: canonNat('--to-source'),
};

function canonToPorts(opts: readonly Opt[], ctx: ExtContext): readonly Opt[] {
  const out = opts.map((o) => {
    if (o.name !== '--to-ports') return o;
    const v = portRange(o.args[0] ?? '');
    if (v === undefined) ctx.report('IPT_BAD_OPTION', `bad --to-ports: ${o.args[0] ?? ''}`);
    else if (ctx.proto === undefined || !PORT_PROTOS.includes(ctx.proto)) ctx.report('IPT_BAD_OPTION', '--to-ports needs -p tcp, udp or sctp');
    return v === undefined || v === o.args[0] ? o : { ...o, args: [v] };
  });
  return inOrder(out, ['--to-ports', '--random', '--random-fully']);
}

/** `-j MASQUERADE [--to-ports P[-Q]] [--random] [--random-fully]` */
export const MASQUERADE: ExtensionDef = {
  name: 'MASQUERADE',
  options: [{ names: ['--to-ports'], nargs: 1 }, FLAGS[0], FLAGS[1]],
  canonicalize: canonToPorts,
};

/** `-j REDIRECT [--to-ports P[-Q]] [--random]` */
export const REDIRECT: ExtensionDef = {
  name: 'REDIRECT',
  options: [{ names: ['--to-ports'], nargs: 1 }, FLAGS[0]],
  canonicalize: canonToPorts,
};
