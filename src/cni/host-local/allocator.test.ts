import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cidr, formatIp, ip, ipCompare } from '../../addr/index.js';
import { allocate, allocateNext } from './allocator.js';
import { type IpRange, defaultRange } from './config.js';
import { type DiskStore, openStore, releaseById } from './store.js';

/** A fresh directory for one network. */
const fresh = (): DiskStore => openStore({}, '/var/lib/cni/networks', 'net');

/** `n` allocations for containers c<from>… over one range; the addresses handed out. */
function take(store: DiskStore, range: IpRange, n: number, from = 0): string[] {
  const ips: string[] = [];
  for (let i = from; i < from + n; i++) {
    const got = allocate(store, [range], 0, { id: `c${i}`, ifName: 'eth0' });
    if (!got.ok) break;
    ips.push(formatIp(got.value.address.addr));
  }
  return ips;
}

describe('host-local allocator over one default range', () => {
  const range = defaultRange(cidr('10.244.1.0/24'));

  it('starts at .2 (.1 is the gateway) and goes up', () => {
    expect(take(fresh(), range, 3)).toEqual(['10.244.1.2', '10.244.1.3', '10.244.1.4']);
  });

  it('continues after last_reserved_ip instead of reusing a released address', () => {
    const store = fresh();
    take(store, range, 3);
    releaseById(store, 'c0', 'eth0');
    expect(take(store, range, 1, 3)).toEqual(['10.244.1.5']);
  });

  it('wraps round to free addresses at the end of the range, then runs out', () => {
    const small = defaultRange(cidr('10.0.0.0/29'));
    const store = fresh();
    expect(take(store, small, 6)).toEqual(['10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6']);
    const full = allocate(store, [small], 0, { id: 'x', ifName: 'eth0' });
    expect(full.ok ? 'allocated' : full.msg).toBe('no IP addresses available in range set: 10.0.0.1-10.0.0.6');
    releaseById(store, 'c1', 'eth0');
    expect(take(store, small, 1, 10)).toEqual(['10.0.0.3']);
  });

  it('handles IPv6: ::2 first, the last address usable', () => {
    const v6 = defaultRange(cidr('fd00:10:244:1::/126'));
    expect(formatIp(v6.rangeEnd)).toBe('fd00:10:244:1::3');
    expect(take(fresh(), v6, 3)).toEqual(['fd00:10:244:1::2', 'fd00:10:244:1::3']);
  });

  it('allocateNext walks as allocate does, without the duplicate check', () => {
    const store = fresh();
    expect(allocateNext(store, [range], 0, { id: 'same', ifName: 'eth0' }).ok).toBe(true);
    const again = allocateNext(store, [range], 0, { id: 'same', ifName: 'eth0' });
    expect(again.ok && formatIp(again.value.address.addr)).toBe('10.244.1.3');
    const checked = allocate(store, [range], 0, { id: 'same', ifName: 'eth0' });
    expect(checked.ok ? 'allocated' : checked.msg).toBe('10.244.1.2 has been allocated to same, duplicate allocation is not allowed');
  });

  it('defaultRange of a /31 or /128 is empty (start past end)', () => {
    for (const c of ['10.0.0.0/31', '10.0.0.0/32', 'fd00::/128']) {
      const r = defaultRange(cidr(c));
      expect(ipCompare(r.rangeStart, r.rangeEnd), c).toBeGreaterThan(0);
    }
    expect(formatIp(defaultRange(cidr('10.0.0.4/30')).gateway)).toBe('10.0.0.5');
    expect(formatIp(defaultRange(cidr('10.0.0.4/30')).rangeEnd)).toBe(formatIp(ip('10.0.0.6')));
  });

  it('hands out distinct addresses inside the range until full (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 24, max: 30 }), fc.array(fc.boolean(), { maxLength: 80 }), (prefix, releases) => {
      const r = defaultRange(cidr(`10.1.2.0/${prefix}`));
      const capacity = Number(r.rangeEnd.value - r.rangeStart.value);
      const store = fresh();
      const held = new Set<string>();
      releases.forEach((release, i) => {
        const got = allocate(store, [r], 0, { id: `c${i}`, ifName: 'eth0' });
        if (!got.ok) {
          expect(held.size).toBe(capacity);
          return;
        }
        const a = formatIp(got.value.address.addr);
        expect(held.has(a)).toBe(false);
        expect(got.value.address.addr.value > r.subnet.addr.value + 1n).toBe(true);
        if (release) releaseById(store, `c${i}`, 'eth0');
        else held.add(a);
      });
    }));
  });
});
