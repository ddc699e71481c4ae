import { describe, expect, it } from 'vitest';
import { failedMeshBgp, meshBgp, rrBgp, torBgp } from '../../../test/helpers/bgp-views.js';
import { BGP_STATE_COLOURS, bgpDot } from './bgp.js';

/** The session edges: `from to class colour`. */
function sessions(dot: string): string[] {
  return dot
    .split('\n')
    .filter((l) => l.includes('class="bgp-session'))
    .map((l) => {
      const [, from, to] = /"speaker:([^"]+)" -> "(?:speaker|peer):([^"]+)"/.exec(l) ?? [];
      const cls = /class="bgp-session ([^"]+)"/.exec(l)?.[1];
      const colour = /color="(#[0-9a-f]+)"/.exec(l)?.[1];
      return `${from} ${to} ${cls} ${colour}`;
    });
}

describe('--view bgp', () => {
  it('draws the full mesh as one green edge per pair', () => {
    expect(sessions(bgpDot(meshBgp(), 'mesh'))).toEqual([
      `node-1 node-2 mesh up-up ${BGP_STATE_COLOURS.up}`,
      `node-1 node-3 mesh up-up ${BGP_STATE_COLOURS.up}`,
      `node-2 node-3 mesh up-up ${BGP_STATE_COLOURS.up}`,
    ]);
  });

  it('marks a failed speaker, reds its sessions once the hold timer expired, and keeps them green (hold timer running) before', () => {
    const dot = bgpDot(failedMeshBgp(), 'failed');
    expect(dot).toContain('"speaker:node-2" [label="node-2\\nAS 64512\\nrouter id 192.168.1.12\\nFAILED"');
    expect(dot).toContain('class="bgp-speaker failed"');
    expect(sessions(dot)).toEqual([
      `node-1 node-2 mesh start-dead ${BGP_STATE_COLOURS.down}`,
      `node-1 node-3 mesh up-up ${BGP_STATE_COLOURS.up}`,
      `node-2 node-3 mesh dead-up ${BGP_STATE_COLOURS.up}`,
    ]);
    expect(dot).toContain('label="node-2 dead / node-3 up\\nhold timer running"');
  });

  it('draws a reflector as a double octagon with its cluster, its client sessions bold towards the clients', () => {
    const dot = bgpDot(rrBgp(), 'rr');
    expect(dot).toContain('shape="doubleoctagon"');
    expect(dot).toContain('cluster 244.0.0.1');
    expect(sessions(dot)).toEqual([`rr-1 node-1 rr up-up ${BGP_STATE_COLOURS.up}`, `rr-1 node-2 rr up-start ${BGP_STATE_COLOURS.start}`]);
    expect(dot).toContain('style="bold", penwidth="2", dir="forward"');
  });

  it('draws a ToR router as an octagon, eBGP sessions dashed with both ASes, routers ranked above nodes', () => {
    const dot = bgpDot(torBgp(), 'tor');
    expect(dot).toContain('"speaker:tor-1" [label="router tor-1\\nAS 65001');
    expect(dot).toContain('shape="octagon"');
    expect(dot).toContain('label="eBGP AS 65001 ⇄ AS 65101\\nup"');
    expect(sessions(dot)).toEqual([`tor-1 node-1 ebgp up-up ${BGP_STATE_COLOURS.up}`, `tor-1 node-2 ebgp up-up ${BGP_STATE_COLOURS.up}`]);
  });

  it('draws a peer outside the model as a dashed box', () => {
    const { speakers, result } = torBgp();
    const only = speakers.filter((s) => s.name !== 'tor-1');
    const dot = bgpDot({ speakers: only, result }, 'external');
    expect(dot).toContain('"peer:192.168.1.1" [label="peer 192.168.1.1\\nAS 65001\\n(not simulated)"');
    expect(sessions(dot)).toEqual([`node-1 192.168.1.1 ebgp up ${BGP_STATE_COLOURS.up}`, `node-2 192.168.1.1 ebgp up ${BGP_STATE_COLOURS.up}`]);
  });

  it('is deterministic', () => {
    expect(bgpDot(rrBgp(), 'rr')).toBe(bgpDot(rrBgp(), 'rr'));
  });
});
