/**
 * The bridge plugin only writes data; the kernel model must then move packets through it. Two
 * pods set up by ADD reach each other across cni0, and reach the gateway on the node.
 */
import { describe, expect, it } from 'vitest';
import { cniNode, runtime } from '../../../test/helpers/cni.js';
import { ping, walk } from '../../../test/helpers/kernel.js';
import type { NetConf } from '../types.js';
import { bridgePlugin } from './plugin.js';

const conf: NetConf = {
  cniVersion: '1.0.0',
  name: 'net',
  type: 'bridge',
  isDefaultGateway: true,
  hairpinMode: true,
  ipam: { type: 'host-local', ranges: [[{ subnet: '10.244.1.0/24' }]] },
};

describe('pods wired by the bridge plugin talk through the kernel model', () => {
  const { world, host } = cniNode('node', ['p1', 'p2']);
  for (const [id, ns] of [['c1', 'p1'], ['c2', 'p2']] as const) {
    const r = bridgePlugin.add(conf, runtime(id, ns), host);
    if (!r.ok) throw new Error(r.error.msg);
  }
  it.each([
    ['p1 → p2 over cni0', 'p1', '10.244.1.2', '10.244.1.3', 'p2'],
    ['p2 → p1 over cni0', 'p2', '10.244.1.3', '10.244.1.2', 'p1'],
    ['p1 → its gateway on the node', 'p1', '10.244.1.2', '10.244.1.1', 'node'],
  ])('%s', (_what, from, src, dst, deliveredIn) => {
    const t = walk(world, { at: 'local-out', ns: from, packet: ping(src, dst) });
    expect(t.end.kind).toBe('delivered');
    expect(t.hops[t.hops.length - 1]?.ns).toBe(deliveredIn);
  });
});
