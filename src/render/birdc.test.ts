import { describe, expect, it } from 'vitest';
import { cidr } from '../addr/cidr.js';
import { type Ip, formatIp, ip } from '../addr/ip.js';
import type { BgpResult } from '../bgp/types.js';
import { failedMeshBgp, meshBgp, rrBgp, session, speakerView, torBgp } from '../../test/helpers/bgp-views.js';
import { type BirdSpeaker, bgpInfo, birdShowProtocols } from './birdc.js';
import { type NextHopResolver, birdShowRoute } from './birdc-route.js';

function speaker(b: { speakers: readonly { name: string }[]; result: BgpResult }, name: string): BirdSpeaker {
  const view = b.result.speakers[name];
  const config = b.speakers.find((s) => s.name === name) as BirdSpeaker['config'];
  if (view === undefined) throw new Error(`no speaker ${name}`);
  return { view, now: b.result.time, ...(config !== undefined ? { config } : {}) };
}

/** Everything in 192.168.1.0/24 is on eth0 (the direct route, metric 0). */
const onEth0: NextHopResolver = (hop: Ip) => (formatIp(hop).startsWith('192.168.1.') ? { dev: 'eth0', igpMetric: 0 } : undefined);

describe('birdcl show protocols', () => {
  it("lists Calico's four base protocols, then the sessions, in BIRD 1.6's columns (trailing spaces kept)", () => {
    expect(birdShowProtocols(speaker(meshBgp(), 'node-1'), 4)).toBe(
      [
        'BIRD v0.3.3+birdv1.6.8 ready.',
        'name     proto    table    state  since       info',
        'static1  Static   master   up     00:00:00    ',
        'kernel1  Kernel   master   up     00:00:00    ',
        'device1  Device   master   up     00:00:00    ',
        'direct1  Direct   master   up     00:00:00    ',
        'Mesh_192_168_1_12 BGP      master   up     00:00:02    Established   ',
        'Mesh_192_168_1_13 BGP      master   up     00:00:02    Established   ',
        '',
      ].join('\n'),
    );
  });

  it('pads the state to 14 columns before the last error; a down protocol shows the error alone', () => {
    const active = session('Mesh_192_168_1_12', '192.168.1.12', 'start', 9, { info: 'Active Socket: Connection refused' });
    expect(bgpInfo(active)).toBe('Active        Socket: Connection refused');
    expect(bgpInfo({ ...active, state: 'down', info: 'Down' })).toBe('');
    expect(bgpInfo({ ...active, state: 'down', info: 'Error: Hold timer expired' })).toBe('Error: Hold timer expired');
    expect(birdShowProtocols(speaker(failedMeshBgp(), 'node-1'), 4)).toContain('Mesh_192_168_1_12 BGP      master   start  00:04:30    Active        Socket: Connection refused\n');
  });

  it('answers with the client error when BIRD is not running, and only IPv6 sessions from bird6', () => {
    expect(birdShowProtocols(speaker(failedMeshBgp(), 'node-2'), 4)).toBe('Unable to connect to server control socket (/var/run/calico/bird.ctl): Connection refused\n');
    const view = speakerView('node-1', '192.168.1.11', [session('Mesh_192_168_1_12', '192.168.1.12', 'up', 2), session('Mesh_fd00__12', 'fd00::12', 'up', 3)], []);
    const v6 = birdShowProtocols({ view, now: 3 }, 6);
    expect(v6).toContain('Mesh_fd00__12 BGP');
    expect(v6).not.toContain('Mesh_192');
  });

  it('prints the date instead of the time for protocols 20 hours old or more (iso short)', () => {
    const view = speakerView('node-1', '192.168.1.11', [session('Mesh_192_168_1_12', '192.168.1.12', 'up', 72_000)], []);
    const text = birdShowProtocols({ view, now: 72_000 }, 4);
    expect(text).toContain('static1  Static   master   up     2024-01-01  ');
    expect(text).toContain('Mesh_192_168_1_12 BGP      master   up     20:00:00    Established');
  });

  it("a router's daemon has no static1 unless it originates routes", () => {
    const text = birdShowProtocols(speaker(torBgp(), 'tor-1'), 4);
    expect(text).not.toContain('static1');
    expect(text).toContain('Peer_192_168_1_11 BGP      master   up     00:00:03    Established   \n');
  });
});

describe('birdcl show route', () => {
  it('prints blackholes, kernel-learned /32s and BGP routes via the peer on eth0 (100/0) [i]', () => {
    expect(birdShowRoute(speaker(meshBgp(), 'node-1'), { family: 4, resolve: onEth0 })).toBe(
      [
        'BIRD v0.3.3+birdv1.6.8 ready.',
        '10.244.0.0/26      blackhole [static1 00:00:00] * (200)',
        '10.244.0.1/32      dev cali1a2b3c4d5e6 [kernel1 00:00:00] * (10)',
        '10.244.0.64/26     via 192.168.1.12 on eth0 [Mesh_192_168_1_12 00:00:02] * (100/0) [i]',
        '10.244.0.128/26    via 192.168.1.13 on eth0 [Mesh_192_168_1_13 00:00:02] * (100/0) [i]',
        '',
      ].join('\n'),
    );
  });

  it('a reflected route keeps the originating next hop and says which RR it came from', () => {
    expect(birdShowRoute(speaker(rrBgp(), 'node-1'), { family: 4, resolve: onEth0 })).toContain('10.244.0.64/26     via 192.168.1.12 on eth0 [Node_192_168_1_10 00:00:02 from 192.168.1.10] * (100/0) [i]\n');
  });

  it('eBGP routes carry the origin AS; a router resolves directly connected eBGP next hops without a metric', () => {
    expect(birdShowRoute(speaker(torBgp(), 'node-1'), { family: 4, resolve: onEth0 })).toContain('10.244.0.64/26     via 192.168.1.1 on eth0 [Global_192_168_1_1 00:00:03] * (100/0) [AS65102i]\n');
    expect(birdShowRoute(speaker(torBgp(), 'tor-1'), { family: 4, resolve: onEth0 })).toContain('10.244.0.0/26      via 192.168.1.11 on eth0 [Peer_192_168_1_11 00:00:03] * (100) [AS65101i]\n');
  });

  it('an unresolvable next hop is unreachable (100/-); one through a gateway shows it and /?', () => {
    const s = speaker(rrBgp(), 'node-1');
    expect(birdShowRoute(s, { family: 4, resolve: () => undefined })).toContain('10.244.0.64/26     unreachable [Node_192_168_1_10 00:00:02 from 192.168.1.10] * (100/-) [i]\n');
    expect(birdShowRoute(s, { family: 4, resolve: () => ({ dev: 'eth0', gateway: ip('192.168.1.1') }) })).toContain('via 192.168.1.1 on eth0 [Node_192_168_1_10 00:00:02 from 192.168.1.10] * (100/?) [i]\n');
  });

  it('prints a network\'s other candidates under it with an empty prefix column and no star', () => {
    const b = rrBgp();
    const view = b.result.speakers['node-1'];
    if (view === undefined) throw new Error('fixture');
    const extra = { ...view.routes[2]!, protocol: 'Node_192_168_1_9', fromIp: ip('192.168.1.9'), best: false };
    const text = birdShowRoute({ view: { ...view, routes: [...view.routes, extra] }, now: 3 }, { family: 4, resolve: onEth0 });
    expect(text).toContain('10.244.0.64/26     via 192.168.1.12 on eth0 [Node_192_168_1_10 00:00:02 from 192.168.1.10] * (100/0) [i]\n                   via 192.168.1.12 on eth0 [Node_192_168_1_9 00:00:02 from 192.168.1.9] (100/0) [i]\n');
  });

  it('show route <prefix> all: the attributes in BIRD\'s order, originator and cluster list on reflected routes', () => {
    expect(birdShowRoute(speaker(rrBgp(), 'node-1'), { family: 4, resolve: onEth0, all: true, prefix: cidr('10.244.0.64/26') })).toBe(
      [
        'BIRD v0.3.3+birdv1.6.8 ready.',
        '10.244.0.64/26     via 192.168.1.12 on eth0 [Node_192_168_1_10 00:00:02 from 192.168.1.10] * (100/0) [i]',
        '\tType: BGP unicast univ',
        '\tBGP.origin: IGP',
        '\tBGP.as_path: ',
        '\tBGP.next_hop: 192.168.1.12',
        '\tBGP.local_pref: 100',
        '\tBGP.originator_id: 192.168.1.12',
        '\tBGP.cluster_list: 244.0.0.1',
        '',
      ].join('\n'),
    );
    const all = birdShowRoute(speaker(meshBgp(), 'node-1'), { family: 4, resolve: onEth0, all: true });
    expect(all).toContain('blackhole [static1 00:00:00] * (200)\n\tType: static unicast univ\n');
    expect(all).toContain('dev cali1a2b3c4d5e6 [kernel1 00:00:00] * (10)\n\tType: inherit unicast univ\n\tKernel.source: 3\n\tKernel.metric: 0\n');
  });

  it('IPv6 routes only from bird6', () => {
    expect(birdShowRoute(speaker(meshBgp(), 'node-1'), { family: 6, resolve: onEth0 })).toBe('BIRD v0.3.3+birdv1.6.8 ready.\n');
  });
});
