import { describe, expect, it } from 'vitest';
import { failedMeshBgp, meshBgp } from '../../test/helpers/bgp-views.js';
import { bgpTimelineJson, bgpTimelineText } from './bgp-timeline.js';

describe('bgp timeline', () => {
  it('prints one aligned line per event without the log line\'s protocol prefix, a blank line after each pause of a second or more', () => {
    expect(bgpTimelineText(failedMeshBgp().result)).toBe(
      [
        'BGP timeline: 3 speakers, 9 events',
        '',
        '    0.000s  node-1  session         Mesh_192_168_1_12  Idle → Connect  (Connecting to 192.168.1.12 from local address 192.168.1.11)',
        '    0.000s  node-2  session         Mesh_192_168_1_11  Idle → Idle  (Started, waiting for the peer to connect (passive))',
        '',
        '    2.001s  node-1  session         Mesh_192_168_1_12  Connect → OpenSent  (Connected)',
        '    2.003s  node-1  session         Mesh_192_168_1_12  OpenConfirm → Established  (BGP session established)',
        '    2.105s  node-1  route-add       Mesh_192_168_1_12  added 10.244.0.64/26 via 192.168.1.12',
        '',
        '   30.000s  node-2  failure         -                  node-2 fails: the machine stops, nothing answers',
        '',
        '  270.003s  node-1  hold-expired    Mesh_192_168_1_12  Error: Hold timer expired',
        '  270.003s  node-1  session         Mesh_192_168_1_12  Established → Active  (Error: Hold timer expired)',
        '  270.003s  node-1  route-withdraw  Mesh_192_168_1_12  removed 10.244.0.64/26',
        '',
        'converged at 270.003s (the last route change); the simulation stopped at 275.000s',
        '',
      ].join('\n'),
    );
  });

  it('says so when no events were recorded', () => {
    const { result } = meshBgp();
    expect(bgpTimelineText({ ...result, events: [] })).toContain('  (no events recorded)\n');
  });

  it('JSON: plain values, prefixes as text, absent fields left out', () => {
    const json = bgpTimelineJson(meshBgp().result);
    expect(json.convergedAt).toBe(2.105);
    expect(json.events[4]).toEqual({ time: 2.105, speaker: 'node-1', kind: 'route-add', protocol: 'Mesh_192_168_1_12', prefix: '10.244.0.64/26', text: 'Mesh_192_168_1_12 > added 10.244.0.64/26 via 192.168.1.12' });
    expect(json.events[0]).not.toHaveProperty('prefix');
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });
});
