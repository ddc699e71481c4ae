import { describe, expect, it } from 'vitest';
import { cniNode, runtime } from '../../../test/helpers/cni.js';
import type { JsonValue, NetConf } from '../types.js';
import { hostLocalPlugin } from './plugin.js';

const conf = (ipam: Record<string, JsonValue> | undefined, extra: Record<string, JsonValue> = {}): NetConf => ({
  cniVersion: '1.0.0',
  name: 'net',
  type: 'host-local',
  ...(ipam !== undefined ? { ipam: { type: 'host-local', ...ipam } } : {}),
  ...extra,
});

function addresses(c: NetConf, ids: readonly string[]) {
  const { host } = cniNode('node', []);
  return ids.map((id) => {
    const r = hostLocalPlugin.add(c, runtime(id, 'pod'), host);
    return r.ok ? r.value.ips.map((i) => i.address).join(' ') : r.error.msg;
  });
}

describe('host-local configuration errors carry the plugin text', () => {
  it.each<[string, Record<string, JsonValue> | undefined, string]>([
    ['no ipam', undefined, "IPAM config missing 'ipam' key"],
    ['no ranges', {}, 'no IP ranges specified'],
    ['host bits', { ranges: [[{ subnet: '10.0.0.5/24' }]] }, 'invalid range set 0: Network has host bits set. For a subnet mask of length 24 the network address is 10.0.0.0'],
    ['/32', { ranges: [[{ subnet: '10.0.0.0/32' }]] }, 'invalid range set 0: Network 10.0.0.0/32 too small to allocate from'],
    ['start outside', { ranges: [[{ subnet: '10.0.0.0/24', rangeStart: '10.0.1.1' }]] }, 'invalid range set 0: RangeStart 10.0.1.1 not in network 10.0.0.0/24'],
    ['mixed families', { ranges: [[{ subnet: '10.0.0.0/24' }, { subnet: 'fd00::/64' }]] }, 'invalid range set 0: mixed address families'],
    ['overlap in a set', { ranges: [[{ subnet: '10.0.0.0/24' }, { subnet: '10.0.0.0/25' }]] }, 'invalid range set 0: subnets 10.0.0.1-10.0.0.254 and 10.0.0.1-10.0.0.126 overlap'],
    ['overlapping sets', { ranges: [[{ subnet: '10.0.0.0/24' }], [{ subnet: '10.0.0.0/16' }]] }, 'range set 0 overlaps with 1'],
  ])('%s', (_what, ipam, msg) => {
    expect(addresses(conf(ipam), ['a'])).toEqual([msg]);
  });
});

describe('host-local allocation', () => {
  it('walks a range set across its ranges, skipping gateways, and wraps', () => {
    const c = conf({ ranges: [[{ subnet: '10.0.0.0/30' }, { subnet: '10.0.1.0/30' }]] });
    expect(addresses(c, ['a', 'b', 'c'])).toEqual(['10.0.0.2/30', '10.0.1.2/30', 'failed to allocate for range 0: no IP addresses available in range set: 10.0.0.1-10.0.0.2,10.0.1.1-10.0.1.2']);
  });

  it('the legacy top-level subnet comes first', () => {
    expect(addresses(conf({ subnet: '10.5.0.0/24', ranges: [[{ subnet: 'fd00::/120' }]] }), ['a'])).toEqual(['10.5.0.2/24 fd00::2/120']);
  });

  it('honours a requested address from CNI_ARGS, and refuses the gateway or one outside the ranges', () => {
    const { host } = cniNode('node', []);
    const c = conf({ ranges: [[{ subnet: '10.0.0.0/24' }]] });
    const add = (id: string, ip: string) => {
      const r = hostLocalPlugin.add(c, { ...runtime(id, 'pod'), args: { IP: ip } }, host);
      return r.ok ? r.value.ips[0]?.address : r.error.msg;
    };
    expect(add('a', '10.0.0.50')).toBe('10.0.0.50/24');
    expect(add('b', '10.0.0.50')).toBe('failed to allocate for range 0: requested IP address 10.0.0.50 is not available in range set 10.0.0.1-10.0.0.254');
    expect(add('c', '10.0.0.1')).toBe("failed to allocate for range 0: requested ip 10.0.0.1 is subnet's gateway");
    expect(add('d', '10.9.9.9')).toBe('failed to allocate all requested IPs: 10.9.9.9');
    // 'd' got .51 dynamically from range set 0 before the stray request failed it; the release
    // does not move last_reserved_ip back, so the next address is .52 (as in the plugin).
    const r = hostLocalPlugin.add(c, runtime('e', 'pod'), host);
    expect(r.ok && r.value.ips[0]?.address).toBe('10.0.0.52/24');
  });

  it('keeps one directory per network under dataDir', () => {
    const { host } = cniNode('node', []);
    hostLocalPlugin.add(conf({ ranges: [[{ subnet: '10.0.0.0/24' }]] }), runtime('a', 'pod'), host);
    hostLocalPlugin.add(conf({ dataDir: '/run/x', ranges: [[{ subnet: '10.0.0.0/24' }]] }, { name: 'other' }), runtime('a', 'pod'), host);
    expect(Object.keys(host.store).sort()).toEqual([
      '/run/x/other/10.0.0.2',
      '/run/x/other/last_reserved_ip.0',
      '/run/x/other/lock',
      '/var/lib/cni/networks/net/10.0.0.2',
      '/var/lib/cni/networks/net/last_reserved_ip.0',
      '/var/lib/cni/networks/net/lock',
    ]);
  });
});
