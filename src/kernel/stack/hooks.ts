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
import type { AddrType } from '../netfilter/api.js';
import type { Netns } from '../netns.js';
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

/**
 * The HookEnv of the namespace for one hook call: one shape whatever devices the hook sees (no
 * spread of `devs`, whose shapes vary, so the matchers' reads of `env` stay monomorphic). The
 * address types are remembered for the last two addresses asked: a chain of kube-proxy's
 * `-m addrtype --dst-type LOCAL … --dport N -j DROP` rules (one per eTP Local Service without a
 * local endpoint) asks about the same destination at every rule, and nothing a hook does
 * changes the local routing table.
 */
export function hookEnv(run: Run, devs: HookDevs): HookEnv {
  const ns = run.ns;
  const types = new AddrTypeMemo(ns);
  return {
    ns: ns.name,
    inDev: devs.inDev,
    outDev: devs.outDev,
    physInDev: devs.physInDev,
    physOutDev: devs.physOutDev,
    bridged: devs.bridged,
    addrType: (a: Ip, dev?: string) => types.get(a, dev),
    masqueradeAddress: (dev: string, family: Family) => selectSourceAddress(ns, dev, family),
    reverseRoute: (key: { dst: Ip; src: Ip; mark: number }) => {
      const r = fibLookup(ns, { dst: key.dst, src: key.src, mark: key.mark, iif: 'lo' });
      return r.kind === 'route' ? { type: r.route.type, ...(r.route.dev !== undefined ? { dev: r.route.dev } : {}) } : undefined;
    },
    ctx: run.ctx,
    emit: run.emit,
  };
}

/** `addrType(ns, …)` for the last two (address, device) pairs asked, by the address value's identity. */
class AddrTypeMemo {
  private a0: Ip | undefined;
  private d0: string | undefined;
  private t0: AddrType = 'UNICAST';
  private a1: Ip | undefined;
  private d1: string | undefined;
  private t1: AddrType = 'UNICAST';

  constructor(private readonly ns: Netns) {}

  get(a: Ip, dev: string | undefined): AddrType {
    if (a === this.a0 && dev === this.d0) return this.t0;
    if (a === this.a1 && dev === this.d1) return this.t1;
    const t = addrType(this.ns, a, dev);
    this.a1 = this.a0;
    this.d1 = this.d0;
    this.t1 = this.t0;
    this.a0 = a;
    this.d0 = dev;
    this.t0 = t;
    return t;
  }
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
