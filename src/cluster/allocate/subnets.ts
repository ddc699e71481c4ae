/**
 * Node podCIDRs cut from the cluster CIDR, as kube-controller-manager's range allocator does:
 * `clusterCIDR` is split into `/nodeCIDRMaskSize` subnets and each node without a podCIDR gets
 * the lowest free one, in node order. Subnets overlapping a podCIDR a Node object fixes are
 * skipped. (The real allocator also hands out the lowest free subnet, in the order nodes
 * register; netsim's order is the scenario's.)
 */
import { type Cidr, familyBits, ipFromValue, lastAddress, networkOf, prefixMask } from '../../addr/index.js';

/**
 * Allocates `count` subnets of length `maskSize` from `parent`, skipping any overlapping
 * `taken`. Entries past the end of `parent` are undefined (exhausted).
 */
export function allocateSubnets(parent: Cidr, maskSize: number, taken: readonly Cidr[], count: number): (Cidr | undefined)[] {
  const family = parent.addr.family;
  const step = 1n << BigInt(familyBits(family) - maskSize);
  const end = lastAddress(parent).value;
  const out: (Cidr | undefined)[] = [];
  let v = networkOf(parent).value;
  while (out.length < count && v + step - 1n <= end) {
    const blocker = taken.find((t) => t.addr.family === family && overlapsRange(t, v, v + step - 1n));
    if (blocker === undefined) {
      out.push({ addr: ipFromValue(family, v), prefix: maskSize });
      v += step;
      continue;
    }
    // Jump past the taken prefix, realigned to the subnet size: a large fixed podCIDR skips
    // many subnets in one step instead of one at a time.
    const after = lastAddress(blocker).value + 1n;
    v = after > v + step ? ((after + step - 1n) / step) * step : v + step;
  }
  while (out.length < count) out.push(undefined);
  return out;
}

function overlapsRange(c: Cidr, first: bigint, last: bigint): boolean {
  const lo = c.addr.value & prefixMask(c.addr.family, c.prefix);
  const hi = lastAddress(c).value;
  return lo <= last && first <= hi;
}
