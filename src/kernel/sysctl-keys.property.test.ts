/**
 * sysctl-keys.ts against the straightforward readings: the device-sysctl test by character code
 * against its regular expression, and a device's IPv6 forwarding through the count of devices'
 * own keys against the key looked up, after random writes (and copies of the record).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { worldWith } from '../../test/helpers/kernel.js';
import { ipv6DevForwarding } from './anycast.js';
import { CommandError } from './errors.js';
import { setSysctl } from './sysctl.js';
import { DEVICE_SYSCTL, isDeviceSysctl } from './sysctl-keys.js';
import { getNetns } from './world.js';

/** Sysctl-like names: pieces of real ones, near misses and odd characters. */
const PIECES = ['net', '.', 'ipv', '4', '6', '5', 'conf', 'neigh', 'neig', 'all', 'default', 'eth0', 'veth1a2b', 'cni0', 'forwarding', 'accept_ra', 'rp_filter', 'A', '-', '_', '\n', ' ', 'x.y', ''];
const NAME = fc.oneof(
  fc.array(fc.constantFrom(...PIECES), { maxLength: 12 }).map((p) => p.join('')),
  fc.tuple(fc.constantFrom('net.ipv4.', 'net.ipv6.', 'net.ipv5.', 'net.ipv4', 'net.ip'), fc.constantFrom('conf.', 'neigh.', 'conf', 'route.'), fc.string({ maxLength: 6 }), fc.constantFrom('.', '', '..'), fc.string({ maxLength: 6 })).map((t) => t.join('')),
  fc.string({ maxLength: 30 }),
);

/** The straightforward IPv6 forwarding of a device: its own key, else `all`'s. */
function byKey(sysctl: Record<string, string>, dev: string): boolean {
  const value = sysctl[`net.ipv6.conf.${dev}.forwarding`] ?? sysctl['net.ipv6.conf.all.forwarding'] ?? '0';
  return (Number.parseInt(value, 10) || 0) !== 0;
}

const DEVS = ['all', 'default', 'eth0', 'cni0', 'veth1', 'lo'] as const;
const WRITE = fc.record({
  key: fc.oneof(
    fc.tuple(fc.constantFrom('net.ipv6.conf.', 'net.ipv4.conf.'), fc.constantFrom(...DEVS), fc.constantFrom('.forwarding', '.accept_ra', '.rp_filter')).map((t) => t.join('')),
    fc.constantFrom('net.ipv4.ip_forward', 'net.ipv6.conf.all.forwarding'),
  ),
  value: fc.constantFrom('0', '1', '2'),
  copy: fc.boolean(),
});

describe('sysctl names (sysctl-keys.ts)', () => {
  it('isDeviceSysctl answers as DEVICE_SYSCTL', () => {
    fc.assert(fc.property(NAME, (name) => {
        expect(isDeviceSysctl(name), name).toBe(DEVICE_SYSCTL.test(name));
      }), { numRuns: 5000 });
    for (const name of ['net.ipv4.conf.eth0.rp_filter', 'net.ipv6.neigh.cni0.base_reachable_time_ms', 'net.ipv6.conf.a.b.forwarding', 'net.ipv4.conf..x', 'net.ipv4.conf.eth0.', 'net.ipv4.conf.eth0.X']) {
      expect(isDeviceSysctl(name)).toBe(DEVICE_SYSCTL.test(name));
    }
  });

  it("a device's IPv6 forwarding is its own key's, else all's, after any writes and copies", () => {
    fc.assert(
      fc.property(fc.array(WRITE, { maxLength: 25 }), (writes) => {
        const w = worldWith('n');
        let ns = getNetns(w, 'n');
        for (const { key, value, copy } of writes) {
          try {
            setSysctl(ns, key, value);
          } catch (e) {
            if (!(e instanceof CommandError)) throw e;
          }
          // A copy of the namespace (structuredClone, as a trace's world once was) holds a record of its own.
          if (copy) ns = structuredClone(ns);
          for (const dev of DEVS) expect(ipv6DevForwarding(ns, dev), `${dev} after ${key}=${value}`).toBe(byKey(ns.sysctl, dev));
        }
      }),
      { numRuns: 400 },
    );
  });
});
