/**
 * `-m rpfilter` (net/ipv4/netfilter/ipt_rpfilter.c, net/ipv6/netfilter/ip6t_rpfilter.c): the
 * reverse-path check as a match. The reply's route is looked up (destination = the packet's
 * source, source = its destination, the packet's mark with `--validmark`, else 0); the check
 * passes when that route is unicast (or local with `--accept-local`) and, unless `--loose`,
 * leaves through the device the packet came in on. Packets on `lo` always pass. `--invert`
 * negates the result (Felix drops workload packets that fail: `--validmark --invert -j DROP`).
 */
import type { MatchSpec } from '../../rule.js';
import type { Matcher } from './types.js';

/** `-m rpfilter`. */
export function rpfilterMatch(spec: MatchSpec): Matcher {
  const has = (name: string) => spec.opts.some((o) => o.name === name);
  const loose = has('--loose');
  const validmark = has('--validmark');
  const acceptLocal = has('--accept-local');
  const invert = has('--invert');
  return (c) => {
    const inDev = c.env.inDev;
    if (inDev === undefined || inDev === 'lo' || c.env.reverseRoute === undefined) return !invert;
    const back = c.env.reverseRoute({ dst: c.pkt.src, src: c.pkt.dst, mark: validmark ? c.mark : 0 });
    const ok = back !== undefined && (back.type === 'unicast' ? loose || back.dev === inDev : acceptLocal && back.type === 'local');
    return ok !== invert;
  };
}
