import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { linkLocalOf } from '../../kernel/link/carrier.js';
import { formatIp } from '../../addr/ip.js';
import { CALICO_GATEWAY_V6, CALICO_HOST_MAC, calicoVtepMac, vethNameForWorkload } from './names.js';

describe('Calico names', () => {
  it('matches libcalico-go VethNameForWorkload test vector ("namespace", "podname" → …82111e10a96)', () => {
    expect(vethNameForWorkload('namespace', 'podname', 'eni')).toBe('eni82111e10a96');
    expect(vethNameForWorkload('namespace', 'podname')).toBe('cali82111e10a96');
  });

  it('is cali + 11 hex digits of sha1("<ns>.<pod>"), 15 characters, for any names', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (ns, pod) => {
        const name = vethNameForWorkload(ns, pod);
        expect(name).toBe(`cali${createHash('sha1').update(`${ns}.${pod}`, 'utf8').digest('hex').slice(0, 11)}`);
        expect(name).toHaveLength(15);
      }),
    );
  });

  it('derives the VTEP MAC as Felix does: 0x66 then 5 bytes of sha1(node), "-v6" appended for IPv6', () => {
    const sha = createHash('sha1').update('node-1').digest('hex');
    expect(calicoVtepMac('node-1')).toBe(`66:${sha.slice(0, 10).match(/../g)?.join(':')}`);
    const sha6 = createHash('sha1').update('node-1-v6').digest('hex');
    expect(calicoVtepMac('node-1', 6)).toBe(`66:${sha6.slice(0, 10).match(/../g)?.join(':')}`);
  });

  it("the IPv6 gateway is the host veth's EUI-64 link-local", () => {
    expect(formatIp(linkLocalOf(CALICO_HOST_MAC))).toBe(formatIp(CALICO_GATEWAY_V6));
  });
});
