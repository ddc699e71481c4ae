/**
 * Builders for Calico tests: a stand-in `calico-ipam` plugin (the real one is another module's)
 * that hands out /32 (and /128) addresses from fixed per-node lists, and a registry with it.
 */
import { BUILTIN_CNI_PLUGINS } from '../../src/cni/builtins.js';
import { ok, pluginError } from '../../src/cni/outcome.js';
import { type CniRegistry, createCniRegistry } from '../../src/cni/registry.js';
import type { CniHost, CniOutcome, CniPlugin, CniResult, NetConf, RuntimeConf } from '../../src/cni/types.js';

/** Addresses the fake IPAM hands out on each node (by `host.hostNs`), in order, each used once. */
export type FakeIpamPlan = Readonly<Record<string, readonly (readonly string[])[]>>;

/**
 * A `calico-ipam` that gives the next planned address set of the node (e.g. `['10.244.120.65/32',
 * 'fd00::41/128']`), records it under `fake-ipam/<containerID>` in the node's store, and releases
 * it on DEL. An exhausted plan is calico-ipam-like error.
 */
export function fakeCalicoIpam(plan: FakeIpamPlan): CniPlugin {
  const used = new Map<string, number>();
  return {
    type: 'calico-ipam',
    add(conf: NetConf, rt: RuntimeConf, host: CniHost): CniOutcome<CniResult> {
      const n = used.get(host.hostNs) ?? 0;
      const ips = plan[host.hostNs]?.[n];
      if (ips === undefined) return pluginError('failed to request IPv4 addresses: no more free affine blocks and strict affinity enabled');
      used.set(host.hostNs, n + 1);
      host.store[`fake-ipam/${rt.containerId}`] = ips.join(',');
      return ok({ cniVersion: conf.cniVersion, interfaces: [], ips: ips.map((address) => ({ address })), routes: [], dns: {} });
    },
    del(_conf: NetConf, rt: RuntimeConf, host: CniHost): CniOutcome<void> {
      delete host.store[`fake-ipam/${rt.containerId}`];
      return ok(undefined);
    },
    check: () => ok(undefined),
  };
}

/** The built-in plugins with the fake calico-ipam in place of any real one. */
export function calicoRegistry(plan: FakeIpamPlan): CniRegistry {
  return createCniRegistry([...BUILTIN_CNI_PLUGINS.filter((p) => p.type !== 'calico-ipam'), fakeCalicoIpam(plan)]);
}
