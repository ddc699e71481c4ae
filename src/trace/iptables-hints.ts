/**
 * What `iptables trace` could not know and would have changed the answer, said as hints next to
 * the verdict: a MASQUERADE that dropped because no output device or address was given, and a
 * NodePort that the dump serves on a destination netsim was not told is local.
 */
import { formatIp } from '../addr/ip.js';
import type { Rule } from '../kernel/netfilter/rule.js';
import { hasPorts } from '../packet/packet.js';
import type { HostTraceInput, HostTraceResult } from './iptables-trace.js';

function allRules(input: HostTraceInput, table: string, chain?: string): Rule[] {
  return input.rulesets.flatMap((rs) => rs.tables.filter((t) => t.name === table).flatMap((t) => t.chains.filter((c) => chain === undefined || c.name === chain).flatMap((c) => c.rules)));
}

function endsInIptablesMasquerade(r: HostTraceResult): boolean {
  const last = r.steps[r.steps.length - 1];
  return last !== undefined && !('policy' in last) && last.verdict === 'MASQUERADE';
}

/** nft's `masquerade` statement that ended the trace with a drop (`nft monitor trace` says "verdict drop"). */
function endsInNftMasquerade(r: HostTraceResult): boolean {
  const last = r.nft?.[r.nft.length - 1];
  return last?.kind === 'nft-rule' && last.verdict === 'drop' && /(^| )masquerade( |$)/.test(last.rule);
}

/** MASQUERADE needs the output device's address (`inet_select_addr`); without one the kernel drops. */
function masqueradeHint(input: HostTraceInput, r: HostTraceResult): string | undefined {
  if (r.verdict !== 'DROP' || !(endsInIptablesMasquerade(r) || endsInNftMasquerade(r))) return undefined;
  const family = r.packet.ip.family;
  const named = allRules(input, 'nat').find((x) => x.target?.name === 'MASQUERADE' && x.outIface !== undefined && !x.outIface.neg && !x.outIface.value.endsWith('+'));
  const suggest = named?.outIface === undefined ? '' : ` (the dump masquerades out of ${named.outIface.value}: try --out ${named.outIface.value})`;
  if (input.outDev === undefined) return `MASQUERADE dropped the packet because no output device was given: pass --out IF and the device's address with --local-addr${suggest}`;
  if (!input.localAddrs.some((a) => a.family === family)) return `MASQUERADE dropped the packet because ${input.outDev} has no IPv${family} address here: pass it with --local-addr`;
  return undefined;
}

/** kube-proxy sends `--dst-type LOCAL` packets to KUBE-NODEPORTS: without --local-addr none is local. */
function nodePortHint(input: HostTraceInput, r: HostTraceResult): string | undefined {
  if (input.localAddrs.length > 0 || !hasPorts(input.packet.l4)) return undefined;
  const dport = input.packet.l4.dport;
  const proto = input.packet.l4.proto;
  const served = allRules(input, 'nat', 'KUBE-NODEPORTS').some((x) =>
    x.proto?.value === proto && x.matches.some((m) => m.opts.some((o) => o.name === '--dport' && !o.neg && o.args[0] === `${dport}`)),
  );
  if (!served || r.nat.length > 0) return undefined;
  const dst = formatIp(input.packet.ip.dst);
  return `the dump serves NodePort ${proto}/${dport} (KUBE-NODEPORTS), reached only for a destination of type LOCAL; netsim was given no local addresses, so ${dst} was not treated as this node's: if it is, pass --local-addr ${dst}`;
}

/** Hints for a finished trace; empty when the input said all that mattered. */
export function hostTraceHints(input: HostTraceInput, r: HostTraceResult): string[] {
  return [masqueradeHint(input, r), nodePortHint(input, r)].filter((h): h is string => h !== undefined);
}
