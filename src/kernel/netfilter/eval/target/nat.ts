/**
 * `-j DNAT --to-destination`, `-j SNAT --to-source` and `-j MASQUERADE` (net/netfilter/xt_nat.c,
 * nf_nat_masquerade.c). The target only records the range; the hook sets up the binding after
 * the nat table (nf_nat_setup_info) and accepts the packet for this table, as NF_ACCEPT does.
 * MASQUERADE takes the primary address of the output device from `env.masqueradeAddress`;
 * without one the packet is dropped, as the kernel does when the device has no address.
 */
import type { Ip } from '../../../../addr/ip.js';
import { parseIp } from '../../../../addr/ip.js';
import { InternalError } from '../../../../diag/diagnostic.js';
import type { Opt } from '../../rule.js';
import type { NatRange } from '../../conntrack/nat.js';
import { arg, eachOpt, portRange } from '../opts.js';
import { ACCEPT, type CompiledTarget, DROP } from './types.js';

interface Spec {
  readonly minAddr: Ip;
  readonly maxAddr: Ip;
  readonly ports?: { min: number; max: number };
}

function addr(text: string, where: string): Ip {
  const a = parseIp(text.replace(/^\[|\]$/g, ''));
  if (a === undefined) throw new InternalError(`${where}: bad address ${text}`);
  return a;
}

/** Splits `ADDR[-ADDR][:PORT[-PORT]]`, with IPv6 addresses in brackets when a port follows. */
function splitAddrPort(text: string): [string, string | undefined] {
  if (text.startsWith('[')) {
    const close = text.lastIndexOf(']');
    const rest = text.slice(close + 1);
    return [text.slice(0, close + 1), rest.startsWith(':') ? rest.slice(1) : undefined];
  }
  const colons = text.split(':').length - 1;
  if (colons !== 1) return [text, undefined]; // bare IPv6, or IPv4 without port
  const [a, p] = text.split(':');
  return [a ?? '', p];
}

/** Parses a `--to-destination` / `--to-source` value. */
export function parseNatSpec(text: string, where: string): Spec {
  const [addrs, ports] = splitAddrPort(text);
  const dash = addrs.startsWith('[') ? addrs.indexOf(']-') + 1 : addrs.indexOf('-');
  const minText = dash > 0 ? addrs.slice(0, dash) : addrs;
  const maxText = dash > 0 ? addrs.slice(dash + 1) : addrs;
  const minAddr = addr(minText, where);
  const maxAddr = addr(maxText, where);
  return ports === undefined ? { minAddr, maxAddr } : { minAddr, maxAddr, ports: portRange(ports, where, '-') };
}

function rangeOf(spec: Spec, randomFully: boolean, persistent = false): NatRange {
  const base = { minAddr: spec.minAddr, maxAddr: spec.maxAddr, randomFully, persistent };
  return spec.ports === undefined ? base : { ...base, ports: spec.ports };
}

/** `-j DNAT` / `-j SNAT`. */
export function natTarget(kind: 'DNAT' | 'SNAT', opts: readonly Opt[]): CompiledTarget {
  const where = `-j ${kind}`;
  let spec: Spec | undefined;
  let randomFully = false;
  let persistent = false;
  const to = (o: Opt) => (spec = parseNatSpec(arg(o, where), where));
  eachOpt(opts, where, {
    '--to-destination': to,
    '--to-source': to,
    '--random': () => undefined,
    '--random-fully': () => (randomFully = true),
    '--persistent': () => (persistent = true),
  });
  if (spec === undefined) throw new InternalError(`${where}: no address`);
  const range = rangeOf(spec, randomFully, persistent);
  const manip = kind === 'DNAT' ? 'dst' : 'src';
  return {
    label: kind,
    run: (c) => {
      c.nat = { manip, range, by: kind };
      return ACCEPT;
    },
  };
}

/** `-j MASQUERADE [--to-ports P[-P]] [--random|--random-fully]`. */
export function masqueradeTarget(opts: readonly Opt[]): CompiledTarget {
  const where = '-j MASQUERADE';
  let ports: { min: number; max: number } | undefined;
  let randomFully = false;
  eachOpt(opts, where, {
    '--to-ports': (o) => (ports = portRange(arg(o, where), where, '-')),
    '--random': () => undefined,
    '--random-fully': () => (randomFully = true),
  });
  const p = ports;
  return {
    label: 'MASQUERADE',
    run: (c) => {
      const a = c.env.outDev === undefined ? undefined : c.env.masqueradeAddress?.(c.env.outDev, c.family);
      if (a === undefined) return DROP;
      const spec: Spec = p === undefined ? { minAddr: a, maxAddr: a } : { minAddr: a, maxAddr: a, ports: p };
      c.nat = { manip: 'src', range: rangeOf(spec, randomFully), by: 'MASQUERADE' };
      return ACCEPT;
    },
  };
}

/**
 * `-j REDIRECT [--to-ports P[-P]]`: DNAT to the namespace itself (nf_nat_redirect.c) — the
 * primary address of the input device in PREROUTING, the loopback address in OUTPUT. Without
 * an address the packet is dropped, as the kernel does.
 */
export function redirectTarget(opts: readonly Opt[]): CompiledTarget {
  const where = '-j REDIRECT';
  let ports: { min: number; max: number } | undefined;
  eachOpt(opts, where, {
    '--to-ports': (o) => (ports = portRange(arg(o, where), where, '-')),
    '--random': () => undefined,
  });
  const p = ports;
  return {
    label: 'REDIRECT',
    run: (c) => {
      const loopback = parseIp(c.family === 4 ? '127.0.0.1' : '::1');
      const a = c.hook === 'OUTPUT' ? loopback : c.env.inDev === undefined ? undefined : c.env.masqueradeAddress?.(c.env.inDev, c.family);
      if (a === undefined) return DROP;
      const spec: Spec = p === undefined ? { minAddr: a, maxAddr: a } : { minAddr: a, maxAddr: a, ports: p };
      c.nat = { manip: 'dst', range: rangeOf(spec, false), by: 'REDIRECT' };
      return ACCEPT;
    },
  };
}
