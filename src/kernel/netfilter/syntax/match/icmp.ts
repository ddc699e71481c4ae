/**
 * `-m icmp --icmp-type` (libxt_icmp) and `-m icmp6 --icmpv6-type` (libip6t_icmp6).
 *
 * Kernel facts (fixtures icmp.rules, ipv6.rules): names are stored as numbers and print back as
 * `TYPE` when they cover every code and `TYPE/CODE` otherwise (`echo-request` → `8`,
 * `host-unreachable` → `3/1`); `any` stays `any`.
 */
import type { Opt } from '../../rule.js';
import type { ExtContext, ExtensionDef } from '../extension.js';
import { parseUint } from '../values.js';

type Table = Readonly<Record<string, readonly [number, number?]>>;

/** ICMPv4 names iptables knows (type, and code when the name is a single code). */
const ICMP4: Table = {
  'echo-reply': [0], pong: [0], 'destination-unreachable': [3], 'network-unreachable': [3, 0],
  'host-unreachable': [3, 1], 'protocol-unreachable': [3, 2], 'port-unreachable': [3, 3],
  'fragmentation-needed': [3, 4], 'source-route-failed': [3, 5], 'network-unknown': [3, 6],
  'host-unknown': [3, 7], 'network-prohibited': [3, 9], 'host-prohibited': [3, 10],
  'TOS-network-unreachable': [3, 11], 'TOS-host-unreachable': [3, 12], 'communication-prohibited': [3, 13],
  'host-precedence-violation': [3, 14], 'precedence-cutoff': [3, 15], 'source-quench': [4],
  redirect: [5], 'network-redirect': [5, 0], 'host-redirect': [5, 1], 'TOS-network-redirect': [5, 2],
  'TOS-host-redirect': [5, 3], 'echo-request': [8], ping: [8], 'router-advertisement': [9],
  'router-solicitation': [10], 'time-exceeded': [11], 'ttl-exceeded': [11], 'ttl-zero-during-transit': [11, 0],
  'ttl-zero-during-reassembly': [11, 1], 'parameter-problem': [12], 'ip-header-bad': [12, 0],
  'required-option-missing': [12, 1], 'timestamp-request': [13], 'timestamp-reply': [14],
  'address-mask-request': [17], 'address-mask-reply': [18],
};

/** ICMPv6 names ip6tables knows. */
const ICMP6: Table = {
  'destination-unreachable': [1], 'no-route': [1, 0], 'communication-prohibited': [1, 1],
  'beyond-scope': [1, 2], 'address-unreachable': [1, 3], 'port-unreachable': [1, 4],
  'failed-policy': [1, 5], 'reject-route': [1, 6], 'packet-too-big': [2], 'time-exceeded': [3],
  'ttl-exceeded': [3], 'ttl-zero-during-transit': [3, 0], 'ttl-zero-during-reassembly': [3, 1],
  'parameter-problem': [4], 'bad-header': [4, 0], 'unknown-header-type': [4, 1], 'unknown-option': [4, 2],
  'echo-request': [128], ping: [128], 'echo-reply': [129], pong: [129], 'router-solicitation': [133],
  'router-advertisement': [134], 'neighbour-solicitation': [135], 'neighbor-solicitation': [135],
  'neighbour-advertisement': [136], 'neighbor-advertisement': [136], redirect: [137],
};

/** Canonical `--icmp-type` argument, or undefined when it is neither a known name nor `T[/C]`. */
function canonType(text: string, table: Table): string | undefined {
  if (text === 'any') return 'any';
  const named = table[text];
  if (named !== undefined) return named[1] === undefined ? `${named[0]}` : `${named[0]}/${named[1]}`;
  const [t, c, ...rest] = text.split('/');
  const type = parseUint(t ?? '', 255);
  const code = c === undefined ? undefined : parseUint(c, 255);
  if (type === undefined || rest.length > 0 || (c !== undefined && code === undefined)) return undefined;
  return code === undefined ? `${type}` : `${type}/${code}`;
}

function canonWith(optName: string, table: Table) {
  return (opts: readonly Opt[], ctx: ExtContext): readonly Opt[] =>
    opts.map((o) => {
      if (o.name !== optName) return o;
      const t = canonType(o.args[0] ?? '', table);
      if (t === undefined) {
        ctx.report('IPT_BAD_OPTION', `unknown ICMP type ${o.args[0] ?? ''}`);
        return o;
      }
      return { ...o, args: [t] };
    });
}

/** `-m icmp` */
export const icmp: ExtensionDef = {
  name: 'icmp',
  family: 4,
  protos: ['icmp'],
  options: [{ names: ['--icmp-type'], nargs: 1, negatable: true }],
  canonicalize: canonWith('--icmp-type', ICMP4),
};

/** `-m icmp6` */
export const icmp6: ExtensionDef = {
  name: 'icmp6',
  family: 6,
  protos: ['ipv6-icmp'],
  options: [{ names: ['--icmpv6-type'], nargs: 1, negatable: true }],
  canonicalize: canonWith('--icmpv6-type', ICMP6),
};
