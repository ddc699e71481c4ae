/**
 * ValidateEndpointIP (k8s.io/kubernetes pkg/apis/core/validation): the addresses the API server
 * refuses as endpoints and Service externalIPs, as data. Go's net.IP predicates define the
 * ranges: IsUnspecified, IsLoopback (127.0.0.0/8, ::1), IsLinkLocalUnicast (169.254.0.0/16,
 * fe80::/10) and IsLinkLocalMulticast (224.0.0.0/24, and IPv6 ffX2::/16 for every flag nibble X).
 */
import { type Cidr, type Ip, cidr, cidrContains } from '../../addr/index.js';
import { type Field, fail, fieldName } from '../reader.js';
import { quoted } from './apply.js';

/** One refused range: its prefixes and the API server's message. */
interface SpecialRange {
  readonly prefixes: readonly Cidr[];
  /** The message; `$` stands for the address (IsUnspecified's message names it). */
  readonly message: string;
}

const SPECIAL_RANGES: readonly SpecialRange[] = [
  { prefixes: [cidr('0.0.0.0/32'), cidr('::/128')], message: 'may not be unspecified ($)' },
  { prefixes: [cidr('127.0.0.0/8'), cidr('::1/128')], message: 'may not be in the loopback range (127.0.0.0/8, ::1/128)' },
  { prefixes: [cidr('169.254.0.0/16'), cidr('fe80::/10')], message: 'may not be in the link-local range (169.254.0.0/16, fe80::/10)' },
  {
    prefixes: [cidr('224.0.0.0/24'), ...Array.from({ length: 16 }, (_, x) => cidr(`ff${x.toString(16)}2::/16`))],
    message: 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)',
  },
];

/** The API server's objections to `ip` as an endpoint address; none for a usable one. */
export function endpointIpProblems(ip: Ip, text: string): string[] {
  return SPECIAL_RANGES.filter((r) => r.prefixes.some((p) => cidrContains(p, ip))).map((r) => r.message.replace('$', text));
}

/** Reports an endpoint or external address the API server refuses; true when it is usable. */
export function checkEndpointIp(f: Field, ip: Ip): boolean {
  const text = typeof f.value === 'string' ? f.value : '';
  const problems = endpointIpProblems(ip, text);
  for (const p of problems) fail(f, 'SCN_BAD_ADDRESS', `${fieldName(f)}: Invalid value: ${quoted(text)}: ${p}`);
  return problems.length === 0;
}
