/**
 * The value types of Calico's BGP API as the API server parses them: an AS number
 * (libcalico-go `numorstring.ASNumber`: an integer, or `"<high>.<low>"` in AS-dot notation),
 * a `metav1.Duration` (Go's `time.ParseDuration` text: `120s`, `2m`, `1h30m`, `1.5s`), and a
 * `peerIP` with its optional port (`10.0.0.1:1790`, `[fd00::1]:1790`, as confd's parseIPPort
 * splits it with Go's net.SplitHostPort).
 */
import { type Ip, parseIp } from '../addr/index.js';
import { type Field, absent, describe, fail, fieldName } from './reader.js';

/** The AS numbers BGP allows (4-octet ASNs, RFC 6793); 0 is reserved and means "unset" in Calico. */
export const AS_RANGE = { min: 1, max: 4294967295 } as const;

/** Parses an AS number's text: `64512` or AS-dot `1.10` (= 65546). */
export function parseAsNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const dot = /^([0-9]{1,5})\.([0-9]{1,5})$/.exec(v);
  if (dot !== null) {
    const [hi, lo] = [Number(dot[1]), Number(dot[2])];
    return hi <= 65535 && lo <= 65535 ? hi * 65536 + lo : undefined;
  }
  return /^[0-9]{1,10}$/.test(v) ? Number(v) : undefined;
}

/** An AS number field: SCN_BGP_BAD_AS_NUMBER when it is not one, or outside 1..4294967295. */
export function optAsNumber(f: Field): number | undefined {
  if (absent(f)) return undefined;
  const n = parseAsNumber(f.value);
  if (n === undefined || n < AS_RANGE.min || n > AS_RANGE.max) {
    const shown = typeof f.value === 'string' ? `"${f.value}"` : describe(f.value);
    fail(f, 'SCN_BGP_BAD_AS_NUMBER', `${fieldName(f)}: ${shown} is not an AS number: give an integer from ${AS_RANGE.min} to ${AS_RANGE.max} (or AS-dot text like "1.10")`);
    return undefined;
  }
  return n;
}

const UNIT_SECONDS: Readonly<Record<string, number>> = { ns: 1e-9, us: 1e-6, 'µs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** Seconds of a Go duration text (`time.ParseDuration`); undefined when it is not one. */
export function parseGoDuration(text: string): number | undefined {
  if (text === '0') return 0;
  const re = /([0-9]*\.?[0-9]+)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let end = 0;
  for (const m of text.matchAll(re)) {
    total += Number(m[1]) * (UNIT_SECONDS[m[2] ?? ''] ?? 0);
    end = (m.index ?? 0) + m[0].length;
  }
  return end === text.length && text.length > 0 ? total : undefined;
}

/**
 * A `metav1.Duration` field, in whole seconds as confd rounds it (`math.Round(d.Seconds())`):
 * SCN_BAD_VALUE when it is not a duration.
 */
export function optDurationSeconds(f: Field): number | undefined {
  if (absent(f)) return undefined;
  const s = typeof f.value === 'string' ? parseGoDuration(f.value) : undefined;
  if (s === undefined) {
    fail(f, 'SCN_BAD_VALUE', `${fieldName(f)}: ${describe(f.value)} is not a duration: write it as Go does, like 120s, 2m or 1h30m`);
    return undefined;
  }
  return Math.round(s);
}

/** A `peerIP`: an address, optionally with `:port` (IPv6 in brackets then). */
export function optPeerIp(f: Field): { ip: Ip; port?: number } | undefined {
  if (absent(f)) return undefined;
  const text = typeof f.value === 'string' ? f.value : undefined;
  const parsed = text === undefined ? undefined : splitHostPort(text);
  if (parsed === undefined) {
    fail(f, 'SCN_BAD_ADDRESS', `${fieldName(f)}: ${describe(f.value)} is not an address, or an address:port (IPv6 as [addr]:port)`);
    return undefined;
  }
  return parsed;
}

function splitHostPort(text: string): { ip: Ip; port?: number } | undefined {
  const bracket = /^\[([^\]]+)\]:([0-9]{1,5})$/.exec(text);
  const v4port = /^([0-9.]+):([0-9]{1,5})$/.exec(text);
  const m = bracket ?? v4port;
  if (m === null) {
    const ip = parseIp(text);
    return ip === undefined ? undefined : { ip };
  }
  const ip = parseIp(m[1] ?? '');
  const port = Number(m[2]);
  if (ip === undefined || port < 1 || port > 65535) return undefined;
  return { ip, port };
}
