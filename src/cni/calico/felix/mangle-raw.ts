/**
 * Felix's mangle and raw chains (felix/rules/static.go StaticMangleTableChains,
 * StaticRawTableChains) without host endpoints: mangle accepts established and already-accepted
 * traffic early; raw clears Calico's mark bits, marks traffic from workloads and drops what
 * fails the strict reverse-path check (anti-spoofing).
 */
import { A, M } from './fragments.js';
import { MARKS, WORKLOAD_IFACE_PREFIX } from './input.js';
import { CHAIN } from './filter.js';
import type { FelixChain } from './rule.js';

/** mangle cali-PREROUTING and cali-POSTROUTING, and the host endpoint dispatch chains they use. */
export function mangleChains(): FelixChain[] {
  const accepted = M.markSingleBitSet(MARKS.accept);
  return [
    {
      name: CHAIN.prerouting,
      rules: [
        { match: [M.conntrackState('RELATED,ESTABLISHED')], action: A.accept },
        { match: [accepted], action: A.accept },
        { action: A.jump(CHAIN.fromHostEndpoint) },
        { comments: ['Host endpoint policy accepted packet.'], match: [accepted], action: A.accept },
      ],
    },
    {
      name: CHAIN.postrouting,
      rules: [
        { match: [accepted], action: A.return },
        { action: A.clearMark(MARKS.all) },
        { match: [M.conntrackState('DNAT')], action: A.jump(CHAIN.toHostEndpoint) },
        { comments: ['Host endpoint policy accepted packet.'], match: [accepted], action: A.return },
      ],
    },
    { name: CHAIN.fromHostEndpoint, rules: [] },
    { name: CHAIN.toHostEndpoint, rules: [] },
  ];
}

/** raw cali-PREROUTING and cali-OUTPUT. */
export function rawChains(): FelixChain[] {
  const fromWorkload = MARKS.scratch0;
  return [
    {
      name: CHAIN.prerouting,
      rules: [
        { action: A.clearMark(MARKS.all) },
        { match: [M.inInterface(`${WORKLOAD_IFACE_PREFIX}+`)], action: A.setMark(fromWorkload) },
        { match: [M.markSingleBitSet(fromWorkload), M.rpfCheckFailed], action: A.drop },
        { match: [M.markClear(fromWorkload)], action: A.jump(CHAIN.fromHostEndpoint) },
        { match: [M.markSingleBitSet(MARKS.accept)], action: A.accept },
      ],
    },
    {
      name: CHAIN.output,
      rules: [{ action: A.clearMark(MARKS.all) }, { action: A.jump(CHAIN.toHostEndpoint) }, { match: [M.markSingleBitSet(MARKS.accept)], action: A.accept }],
    },
    { name: CHAIN.fromHostEndpoint, rules: [] },
    { name: CHAIN.toHostEndpoint, rules: [] },
  ];
}
