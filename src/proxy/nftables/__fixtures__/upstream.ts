/**
 * NewFakeProxier of pkg/proxy/nftables/proxier_test.go: as the iptables one (same node, pod
 * CIDR and Services), plus `--nodeport-addresses` 192.168.0.2/32 and 2001:db8::1/128 and the
 * service CIDR 172.30.0.0/16 (fd00:10:96::/112 for IPv6). Used only by tests.
 */
import type { ProxierConfig } from '../../types.js';
import { fakeProxierConfig } from '../../iptables/__fixtures__/upstream.js';

/** The nftables fake proxier's configuration. */
export function fakeNftProxierConfig(overrides: Partial<ProxierConfig> = {}): ProxierConfig {
  const family = overrides.family ?? 4;
  return fakeProxierConfig({
    nodePortAddresses: ['192.168.0.2/32', '2001:db8::1/128'],
    serviceCIDRs: [family === 4 ? '172.30.0.0/16' : 'fd00:10:96::/112'],
    ...overrides,
  });
}
