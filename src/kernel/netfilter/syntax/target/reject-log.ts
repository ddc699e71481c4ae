/**
 * `-j REJECT` (libipt_REJECT, libip6t_REJECT) and `-j LOG` (libxt_LOG).
 *
 * Kernel facts (fixtures targets.rules): REJECT always prints `--reject-with`, defaulting to
 * `icmp-port-unreachable` (`icmp6-port-unreachable` for IPv6); short aliases print their full
 * name (`tcp-rst` → `tcp-reset`, `adm-prohibited` → `icmp6-adm-prohibited`); `tcp-reset`
 * needs `-p tcp`. LOG prints `--log-level` as a number and leaves out 4 (warning), the default.
 */
import type { Opt } from '../../rule.js';
import { type ExtContext, type ExtensionDef, inOrder, opt } from '../extension.js';
import { parseUint, utf8Length } from '../values.js';

/** REJECT types: printed name, then the aliases iptables also reads. */
const REJECT4: ReadonlyArray<readonly string[]> = [
  ['icmp-net-unreachable', 'net-unreach'], ['icmp-host-unreachable', 'host-unreach'],
  ['icmp-proto-unreachable', 'proto-unreach'], ['icmp-port-unreachable', 'port-unreach'],
  ['icmp-net-prohibited', 'net-prohib'], ['icmp-host-prohibited', 'host-prohib'],
  ['tcp-reset', 'tcp-rst'], ['icmp-admin-prohibited', 'admin-prohib'],
];
const REJECT6: ReadonlyArray<readonly string[]> = [
  ['icmp6-no-route', 'no-route'], ['icmp6-adm-prohibited', 'adm-prohibited'],
  ['icmp6-addr-unreachable', 'addr-unreach'], ['icmp6-port-unreachable', 'port-unreach'],
  ['tcp-reset', 'tcp-rst'], ['icmp6-policy-fail', 'policy-fail'], ['icmp6-reject-route', 'reject-route'],
];

function canonReject(opts: readonly Opt[], ctx: ExtContext): readonly Opt[] {
  const table = ctx.family === 4 ? REJECT4 : REJECT6;
  const given = opts.find((o) => o.name === '--reject-with')?.args[0] ?? (ctx.family === 4 ? 'icmp-port-unreachable' : 'icmp6-port-unreachable');
  const entry = table.find((names) => names.includes(given));
  if (entry === undefined) {
    ctx.report('IPT_BAD_OPTION', `unknown --reject-with type ${given} (IPv${ctx.family})`);
    return [opt('--reject-with', [given])];
  }
  const name = entry[0] as string;
  if (name === 'tcp-reset' && ctx.proto !== 'tcp') ctx.report('IPT_BAD_OPTION', '--reject-with tcp-reset needs -p tcp');
  return [opt('--reject-with', [name])];
}

/** `-j REJECT [--reject-with TYPE]` */
export const REJECT: ExtensionDef = {
  name: 'REJECT',
  options: [{ names: ['--reject-with'], nargs: 1 }],
  canonicalize: canonReject,
};

const LEVELS = ['emerg', 'alert', 'crit', 'error', 'warning', 'notice', 'info', 'debug'];

/** A syslog level by name or number 0–7 (iptables 1.8.9 refuses `err`, `warn`, `panic`). */
function logLevel(text: string): number | undefined {
  const i = LEVELS.indexOf(text);
  return i >= 0 ? i : parseUint(text, 7);
}

function canonLog(opts: readonly Opt[], ctx: ExtContext): readonly Opt[] {
  const out: Opt[] = [];
  for (const o of opts) {
    const len = o.name === '--log-prefix' ? utf8Length(o.args[0] ?? '') : 1;
    if (len < 1 || len > 29) ctx.report('IPT_BAD_OPTION', 'a --log-prefix is 1 to 29 bytes');
    if (o.name !== '--log-level') {
      out.push(o);
      continue;
    }
    const level = logLevel(o.args[0] ?? '');
    if (level === undefined) ctx.report('IPT_BAD_OPTION', `unknown --log-level ${o.args[0] ?? ''}`);
    else if (level !== 4) out.push(opt('--log-level', [`${level}`]));
  }
  return inOrder(out, [
    '--log-prefix', '--log-level', '--log-tcp-sequence', '--log-tcp-options', '--log-ip-options', '--log-uid', '--log-macdecode',
  ]);
}

/** `-j LOG` */
export const LOG: ExtensionDef = {
  name: 'LOG',
  options: [
    { names: ['--log-prefix'], nargs: 1 },
    { names: ['--log-level'], nargs: 1 },
    ...['--log-tcp-sequence', '--log-tcp-options', '--log-ip-options', '--log-uid', '--log-macdecode'].map((n) => ({
      names: [n],
      nargs: 0 as const,
    })),
  ],
  canonicalize: canonLog,
};
