import { describe, expect, it } from 'vitest';
import { ip } from '../addr/ip.js';
import { failedMeshBgp, meshBgp, rrBgp, session, speakerView, torBgp } from '../../test/helpers/bgp-views.js';
import { calicoPeerRow, calicoctlNodeStatus } from './bgp-status.js';
import type { BirdSpeaker } from './birdc.js';
import type { BgpResult } from '../bgp/types.js';

function speaker(result: BgpResult, name: string): BirdSpeaker {
  const view = result.speakers[name];
  if (view === undefined) throw new Error(`no speaker ${name}`);
  return { view, now: result.time };
}

describe('calicoctl node status', () => {
  it('prints the full mesh as calicoctl does: tablewriter borders, centred headers, no IPv6 peers', () => {
    const { result } = meshBgp();
    expect(calicoctlNodeStatus(speaker(result, 'node-1'))).toBe(
      [
        'Calico process is running.',
        '',
        'IPv4 BGP status',
        '+--------------+-------------------+-------+----------+-------------+',
        '| PEER ADDRESS |     PEER TYPE     | STATE |  SINCE   |    INFO     |',
        '+--------------+-------------------+-------+----------+-------------+',
        '| 192.168.1.12 | node-to-node mesh | up    | 00:00:02 | Established |',
        '| 192.168.1.13 | node-to-node mesh | up    | 00:00:02 | Established |',
        '+--------------+-------------------+-------+----------+-------------+',
        '',
        'IPv6 BGP status',
        'No IPv6 peers found.',
        '',
        '',
      ].join('\n'),
    );
  });

  it('wraps an INFO past 30 characters as tablewriter does, and the column is then 30 wide', () => {
    const { result } = failedMeshBgp();
    expect(calicoctlNodeStatus(speaker(result, 'node-1'))).toContain(
      [
        '+--------------+-------------------+-------+----------+--------------------------------+',
        '| PEER ADDRESS |     PEER TYPE     | STATE |  SINCE   |              INFO              |',
        '+--------------+-------------------+-------+----------+--------------------------------+',
        '| 192.168.1.12 | node-to-node mesh | start | 00:04:30 | Active Socket: Connection      |',
        '|              |                   |       |          | refused                        |',
        '| 192.168.1.13 | node-to-node mesh | up    | 00:00:02 | Established                    |',
        '+--------------+-------------------+-------+----------+--------------------------------+',
      ].join('\n'),
    );
  });

  it('says the process is not running on a dead node', () => {
    expect(calicoctlNodeStatus(speaker(failedMeshBgp().result, 'node-2'))).toBe('Calico process is not running.\n');
  });

  it('names RR sessions "node specific" and BGPPeer sessions "global"; a Passive session is start/Passive', () => {
    expect(calicoctlNodeStatus(speaker(rrBgp().result, 'node-1'))).toContain('| 192.168.1.10 | node specific | up    | 00:00:02 | Established |');
    expect(calicoctlNodeStatus(speaker(torBgp().result, 'node-1'))).toContain('| 192.168.1.1  | global    | up    | 00:00:03 | Established |');
    const passive = speakerView('node-1', '192.168.1.11', [session('Mesh_192_168_1_13', '192.168.1.13', 'start', 0, { fsm: 'Idle', info: 'Passive' })], []);
    expect(calicoctlNodeStatus({ view: passive, now: 5 })).toContain('| 192.168.1.13 | node-to-node mesh | start | 00:00:00 | Passive |');
  });

  it('lists IPv6 sessions (bird6) under IPv6, the address rebuilt from the protocol name', () => {
    const view = speakerView('node-1', '192.168.1.11', [session('Mesh_fd00__12', 'fd00::12', 'up', 4000)], []);
    const text = calicoctlNodeStatus({ view, now: 4000 });
    expect(text).toContain('IPv4 BGP status\nNo IPv4 peers found.\n');
    expect(text).toContain('| fd00::12     | node-to-node mesh | up    | 01:06:40 | Established |');
    expect(view.sessions[0]?.peerIp).toEqual(ip('fd00::12'));
  });

  it('skips rows calicoctl cannot parse: other protocol names, a down session with no info', () => {
    expect(calicoPeerRow('tor_peer BGP      master   up     00:00:02    Established   ', 4)).toBeUndefined();
    expect(calicoPeerRow('Mesh_192_168_1_12 BGP      master   down   00:00:02    ', 4)).toBeUndefined();
    expect(calicoPeerRow('kernel1  Kernel   master   up     00:00:00    ', 4)).toBeUndefined();
    expect(calicoPeerRow('Node_192_168_1_10 BGP      master   start  00:00:09    Active        Socket: No route to host', 4)).toEqual(['192.168.1.10', 'node specific', 'start', '00:00:09', 'Active Socket: No route to host']);
  });
});
