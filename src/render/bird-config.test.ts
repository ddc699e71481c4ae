import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ip } from '../addr/index.js';
import type { BgpSpeakerConfig } from '../bgp/types.js';
import { RACK_NODES, bgpPeer, meshSpeakers, nodeSpeaker, rrSpeakers, torNodeSpeakers, torSpeaker } from '../../test/helpers/bird-speakers.js';
import { birdConfig, speakerFamilies } from './bird-config.js';

const golden = (name: string) => fileURLToPath(new URL(`../../test/golden/bird/${name}.conf`, import.meta.url));
const byName = (xs: readonly BgpSpeakerConfig[], name: string): BgpSpeakerConfig => {
  const s = xs.find((x) => x.name === name);
  if (s === undefined) throw new Error(`no speaker ${name}`);
  return s;
};

const RR_NODES = [
  { ...RACK_NODES[0]!, rrClusterId: '244.0.0.1' },
  { ...RACK_NODES[1]!, rrClusterId: '244.0.0.1' },
  RACK_NODES[2]!,
];
const DUAL = { name: 'node-6', address: 'fd00:1::11/64', blocks: ['fd00:10:244:1::/122'] };

/** The goldens: `bird -p -c` checks every one of them in test/kernel/bgp/bird-parse.test.ts. */
export const GOLDEN_SPEAKERS: readonly [string, BgpSpeakerConfig][] = [
  ['mesh-node', byName(meshSpeakers(RACK_NODES), 'node-1')],
  ['rr', byName(rrSpeakers(RR_NODES), 'node-1')],
  ['rr-client', byName(rrSpeakers(RR_NODES), 'node-3')],
  ['tor-router', torSpeaker('tor', ['192.168.1.1', '192.168.2.1'], 65001, RACK_NODES)],
  ['tor-node', byName(torNodeSpeakers(RACK_NODES, ['192.168.1.1', '192.168.2.1'], 65001), 'node-1')],
  ['ipip-crosssubnet', byName(meshSpeakers(RACK_NODES.map((n) => ({ ...n, ipip: 'cross-subnet' as const }))), 'node-3')],
  [
    'ipv6-peer',
    {
      ...nodeSpeaker(DUAL, [bgpPeer(DUAL, 'fd00:1::12', 64512, 'node-to-node mesh', { passive: true, gracefulRestart: false })]),
      routerId: ip('192.168.1.16'),
    },
  ],
];

describe('birdConfig', () => {
  it.each(GOLDEN_SPEAKERS)('%s: golden bird.conf', async (name, speaker) => {
    await expect(birdConfig(speaker)).toMatchFileSnapshot(golden(name));
  });

  it('short timers replace every peer\'s and scale error wait', () => {
    const text = birdConfig(byName(meshSpeakers(RACK_NODES), 'node-2'), { timers: { hold: 3, keepalive: 1, connectDelay: 1, connectRetry: 1 } });
    expect(text.match(/hold time 3;/g)).toHaveLength(2);
    expect(text.match(/keepalive time 1;/g)).toHaveLength(2);
    expect(text).toContain('error wait time 1,2;');
    expect(text).not.toContain('hold time 240');
  });

  it('one protocol per peer, with Calico\'s names, passive on the side whose peer has the greater IP', () => {
    const text = birdConfig(byName(meshSpeakers(RACK_NODES), 'node-2'));
    expect(text).toMatch(/protocol bgp Mesh_192_168_1_11 from bgp_template \{\n {2}neighbor 192.168.1.11 as 64512;\n {2}source address 192.168.1.12;\n {2}multihop;\n {2}hold/);
    expect(text).toMatch(/protocol bgp Mesh_192_168_2_13 from bgp_template \{[^}]*passive on;/);
  });

  it('rr client and cluster id only towards clients', () => {
    const text = birdConfig(byName(rrSpeakers(RR_NODES), 'node-1'));
    expect(text).toMatch(/protocol bgp Node_192_168_2_13 [^}]*rr client;\n {2}rr cluster id 244.0.0.1;/);
    expect(text).not.toMatch(/protocol bgp Node_192_168_1_12 [^}]*rr client/);
  });

  it('next hop self and keep as the data says (eBGP rewrites by default, keeping third-party next hops)', () => {
    const tor = birdConfig(torSpeaker('tor', ['192.168.1.1', '192.168.2.1'], 65001, RACK_NODES));
    expect(tor).not.toContain('next hop self');
    const n = RACK_NODES[0]!;
    const ibgp = birdConfig(nodeSpeaker(n, [bgpPeer(n, '192.168.1.12', 64512, 'global', { nextHopSelf: true })]));
    expect(ibgp).toMatch(/ipv4 \{\n {4}next hop self;/);
    const keep = birdConfig(nodeSpeaker(n, [bgpPeer(n, '192.168.1.1', 65001, 'global', { nextHopKeep: true })]));
    expect(keep).toContain('next hop keep;');
  });

  it('the families a speaker uses', () => {
    expect(speakerFamilies(byName(meshSpeakers(RACK_NODES), 'node-1'))).toEqual([4]);
    expect(speakerFamilies(GOLDEN_SPEAKERS.find(([n]) => n === 'ipv6-peer')![1])).toEqual([4, 6]);
  });
});
