/**
 * The vocabulary of the stack: where a packet is (Location), what one step did (StepResult),
 * and the per-step context threaded through the functions of this folder.
 */
import type { Mac } from '../../addr/mac.js';
import type { Frame, Packet } from '../../packet/packet.js';
import type { SimContext } from '../../sim/context.js';
import type { DropReason, Emit } from '../events.js';
import type { NfSkb } from '../netfilter/api.js';
import type { Netns } from '../netns.js';
import type { World } from '../world.js';

/** Where a packet is between two steps. */
export type Location =
  /** A socket in `ns` sends `packet` (routing → OUTPUT → POSTROUTING → device). */
  | { readonly at: 'local-out'; readonly ns: string; readonly packet: Packet }
  /**
   * A frame arrives on `dev` in `ns`. `skb` carries netfilter state when the frame stays in the
   * same namespace (loopback); crossing a veth starts from a fresh skb (skb_scrub_packet).
   */
  | { readonly at: 'rx'; readonly ns: string; readonly dev: string; readonly frame: Frame; readonly skb?: NfSkb };

/** What one step did: the packet left the namespace, was delivered, dropped, or left the model. */
export type StepResult =
  | { readonly kind: 'next'; readonly next: readonly Location[] }
  | { readonly kind: 'delivered'; readonly ns: string; readonly dev: string; readonly packet: Packet }
  | { readonly kind: 'dropped'; readonly ns: string; readonly reason: DropReason; readonly detail: string; readonly packet: Packet }
  | { readonly kind: 'exits'; readonly ns: string; readonly dev: string; readonly packet: Packet };

/** What the tracer hands to `step`. */
export interface StepEnv {
  readonly ctx: SimContext;
  readonly emit: Emit;
}

/** The context of one step: the world, the namespace being executed, time and the event sink. */
export interface Run extends StepEnv {
  readonly world: World;
  readonly ns: Netns;
}

/** Drops the packet: emits the `drop` event and returns the result. */
export function drop(run: Run, reason: DropReason, detail: string, packet: Packet): StepResult {
  run.emit({ kind: 'drop', ns: run.ns.name, reason, detail });
  return { kind: 'dropped', ns: run.ns.name, reason, detail, packet };
}

/** The frame an L3 packet leaves `dev` in. */
export function frameOf(srcMac: Mac, dstMac: Mac, packet: Packet): Frame {
  return { srcMac, dstMac, packet };
}

/**
 * Combines the results of copies of one frame (a flood): every onward location; failing that
 * the first delivery or exit; failing that the first drop that is not OTHERHOST, else the first.
 */
export function combine(results: readonly StepResult[]): StepResult | undefined {
  const next = results.flatMap((r) => (r.kind === 'next' ? r.next : []));
  if (next.length > 0) return { kind: 'next', next };
  return (
    results.find((r) => r.kind === 'delivered' || r.kind === 'exits') ??
    results.find((r) => r.kind === 'dropped' && r.reason !== 'OTHERHOST') ??
    results[0]
  );
}
