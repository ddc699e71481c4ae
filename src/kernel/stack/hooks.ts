/**
 * Calling netfilter from the stack: builds the HookEnv of the namespace (address types from
 * its local table, the masquerade address as inet_select_addr picks it) and turns DROP and
 * REJECT verdicts into drops that name the deciding rule.
 */
import { assertNever } from '../../diag/diagnostic.js';
import type { Family, Ip } from '../../addr/ip.js';
import type { Packet } from '../../packet/packet.js';
import { addrType, selectSourceAddress } from '../addr.js';
import type { Hook } from '../events.js';
import { type HookEnv, type NfSkb, runHook } from '../netfilter/index.js';
import { fibLookup } from '../route/fib.js';
import { type Run, type StepResult, drop } from './types.js';

/** Devices a hook sees (`-i`, `-o`, `-m physdev`). */
export interface HookDevs {
  readonly inDev?: string;
  readonly outDev?: string;
  readonly physInDev?: string;
  readonly physOutDev?: string;
  readonly bridged?: boolean;
}

/** A hook passed the packet (possibly rewritten), or the step ends here. */
export type HookOutcome = { readonly ok: true; readonly packet: Packet; readonly skb: NfSkb } | { readonly ok: false; readonly result: StepResult };

/** The HookEnv of the namespace for one hook call. */
export function hookEnv(run: Run, devs: HookDevs): HookEnv {
  const ns = run.ns;
  const env = {
    ns: ns.name,
    ...devs,
    addrType: (a: Ip, dev?: string) => addrType(ns, a, dev),
    masqueradeAddress: (dev: string, family: Family) => selectSourceAddress(ns, dev, family),
    reverseRoute: (key: { dst: Ip; src: Ip; mark: number }) => {
      const r = fibLookup(ns, { dst: key.dst, src: key.src, mark: key.mark, iif: 'lo' });
      return r.kind === 'route' ? { type: r.route.type, ...(r.route.dev !== undefined ? { dev: r.route.dev } : {}) } : undefined;
    },
    ctx: run.ctx,
    emit: run.emit,
  };
  return env;
}

/** Runs one netfilter hook of the namespace (NF_HOOK). */
export function nfHook(run: Run, hook: Hook, packet: Packet, skb: NfSkb, devs: HookDevs): HookOutcome {
  const res = runHook(run.ns.netfilter, hook, packet, skb, hookEnv(run, devs));
  switch (res.verdict) {
    case 'ACCEPT':
      return { ok: true, packet: res.packet, skb: res.skb };
    case 'DROP':
      return { ok: false, result: drop(run, 'NETFILTER_DROP', `${hook}: ${res.decidedBy ?? 'DROP'}`, res.packet) };
    case 'REJECT': {
      const how = res.rejectWith ?? 'icmp-port-unreachable';
      return { ok: false, result: drop(run, 'NETFILTER_REJECT', `${hook}: ${res.decidedBy ?? 'REJECT'} (${how})`, res.packet) };
    }
    default:
      return assertNever(res.verdict, 'verdict');
  }
}
