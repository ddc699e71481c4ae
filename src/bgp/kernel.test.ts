import { describe, expect, it } from 'vitest';
import { cidr } from '../addr/cidr.js';
import { ip } from '../addr/ip.js';
import { addIpip } from '../kernel/link/link.js';
import { setLinkUp } from '../kernel/link/link.js';
import { addRoute, delRoute } from '../kernel/route/table.js';
import { renderIpRoute } from '../kernel/text/route.js';
import { getNetns } from '../kernel/world.js';
import { routedWorld } from '../../test/helpers/kernel.js';
import { programBgpRoutes } from './kernel.js';
import type { BgpRouteView, BgpSpeakerConfig, SpeakerView } from './types.js';

function route(prefix: string, over: Partial<BgpRouteView>): BgpRouteView {
  return { prefix: cidr(prefix), protocol: 'Mesh_10_0_0_2', preference: 100, blackhole: false, asPath: [], origin: 'IGP', localPref: 100, med: 0, clusterList: [], internal: true, stale: false, since: 2, best: true, ...over };
}

const speaker = (kernelRules: BgpSpeakerConfig['kernelRules']): BgpSpeakerConfig => ({
  name: 'a',
  kind: 'node',
  routerId: ip('10.0.0.1'),
  asNumber: 64512,
  addresses: [ip('10.0.0.1')],
  peers: [],
  originate: [{ prefix: cidr('10.244.1.0/26'), protocol: 'static1', blackhole: true }, { prefix: cidr('10.244.1.1/32'), protocol: 'kernel1', blackhole: false, dev: 'cali1' }],
  exportRules: [],
  kernelRules,
});

const view = (routes: BgpRouteView[]): SpeakerView => ({ name: 'a', kind: 'node', routerId: ip('10.0.0.1'), asNumber: 64512, running: true, sessions: [], routes });

const birdLines = (text: string) => text.split('\n').filter((l) => l.includes('proto bird'));

describe('programBgpRoutes: BIRD kernel protocol export', () => {
  it('blackholes own blocks, resolves next hops recursively, never writes back kernel-learned routes', () => {
    const w = routedWorld();
    const ns = getNetns(w, 'a');
    // Without a default route, a next hop outside every connected network resolves nowhere.
    delRoute(ns, { dst: cidr('0.0.0.0/0') });
    addRoute(ns, { dst: cidr('10.1.0.0/24'), via: ip('10.0.0.254'), dev: 'eth0' });
    const out = programBgpRoutes(ns, speaker([]), view([
      route('10.244.1.0/26', { protocol: 'static1', preference: 200, blackhole: true }),
      route('10.244.1.1/32', { protocol: 'kernel1', preference: 10, dev: 'cali1' }),
      route('10.244.2.0/26', { nextHop: ip('10.0.0.254') }),
      route('10.244.3.0/26', { nextHop: ip('10.1.0.1') }),
      route('10.244.4.0/26', { nextHop: ip('10.1.0.1'), best: false }),
      route('10.244.5.0/26', { nextHop: ip('172.16.0.1') }),
    ]));
    expect(birdLines(renderIpRoute(ns))).toEqual([
      'blackhole 10.244.1.0/26 proto bird ',
      '10.244.2.0/26 via 10.0.0.254 dev eth0 proto bird ',
      '10.244.3.0/26 via 10.0.0.254 dev eth0 proto bird ',
    ]);
    expect(out.refused).toEqual([]);
    expect(out.skipped).toEqual([{ dst: cidr('10.244.5.0/26'), reason: 'unresolved-next-hop', nextHop: ip('172.16.0.1') }]);
  });

  it('krt_tunnel: IPIP Always through tunl0 onlink, CrossSubnet plain inside the subnet, VXLAN pools rejected', () => {
    const w = routedWorld();
    const ns = getNetns(w, 'a');
    addIpip(ns, 'tunl0');
    setLinkUp(w, 'a', 'tunl0');
    programBgpRoutes(ns, speaker([
      { cidr: cidr('10.244.0.0/16'), action: 'accept', tunnel: 'cross-subnet', tunnelDev: 'tunl0', localSubnet: cidr('10.0.0.0/24') },
      { cidr: cidr('10.245.0.0/16'), action: 'accept', tunnel: 'always', tunnelDev: 'tunl0' },
      { cidr: cidr('10.246.0.0/16'), action: 'reject', tunnel: 'never' },
    ]), view([
      route('10.244.2.0/26', { nextHop: ip('10.0.0.254') }),
      route('10.244.3.0/26', { nextHop: ip('10.1.0.1') }),
      route('10.245.2.0/26', { nextHop: ip('10.0.0.254') }),
      route('10.246.2.0/26', { nextHop: ip('10.0.0.254') }),
    ]));
    expect(birdLines(renderIpRoute(ns))).toEqual([
      '10.244.2.0/26 via 10.0.0.254 dev eth0 proto bird ',
      '10.244.3.0/26 via 10.1.0.1 dev tunl0 proto bird onlink ',
      '10.245.2.0/26 via 10.0.0.254 dev tunl0 proto bird onlink ',
    ]);
  });
});
