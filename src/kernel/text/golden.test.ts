import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fdbLearn } from '../link/fdb.js';
import { getBridge } from '../link/fdb.js';
import { getNetns } from '../world.js';
import { goldenWorld, mac } from '../../../test/helpers/kernel.js';
import { renderIpAddr } from './addr.js';
import { renderBridgeFdb, renderVxlanFdb } from './fdb.js';
import { renderIpNeigh } from './neigh.js';
import { renderIpRoute } from './route.js';
import { renderIpRule } from './rule.js';

const golden = (name: string) => readFileSync(new URL(`../../../test/golden/kernel/${name}`, import.meta.url), 'utf8');

describe('renderers match the real tools byte for byte (test/golden/kernel/golden.sh)', () => {
  const w = goldenWorld();
  const H = getNetns(w, 'nsB-host');
  const P = getNetns(w, 'nsB-pod');
  it.each([
    ['host-addr.txt', () => renderIpAddr(w.netns, H)],
    ['pod-addr.txt', () => renderIpAddr(w.netns, P)],
    ['host-route-main.txt', () => renderIpRoute(H, { peers: w.netns })],
    ['host-route-local4.txt', () => renderIpRoute(H, { table: 255, family: 4 })],
    ['host-route-main6.txt', () => renderIpRoute(H, { family: 6 })],
    ['host-route-100.txt', () => renderIpRoute(H, { table: 100 })],
    ['host-route-all.txt', () => renderIpRoute(H, { table: 'all' })],
    ['pod-route-main.txt', () => renderIpRoute(P)],
    ['host-rule.txt', () => renderIpRule(H, 4)],
    ['host-rule6.txt', () => renderIpRule(H, 6)],
    ['host-neigh-flannel.txt', () => renderIpNeigh(H, { dev: 'flannel.1' })],
    ['host-fdb-flannel.txt', () => renderVxlanFdb(H, 'flannel.1')],
  ])('%s', (file, render) => {
    expect(render()).toBe(golden(file));
  });
  it('host-neigh.txt (same lines: the kernel dumps its neighbour hash table in no fixed order)', () => {
    const sorted = (text: string) => text.split('\n').sort().join('\n');
    expect(sorted(renderIpNeigh(H))).toBe(sorted(golden('host-neigh.txt')));
  });
  it('host-fdb.txt', () => {
    // The real bridge learned the pod's MAC from its first frames (IPv6 DAD); learn it the same way.
    fdbLearn(H, getBridge(H, 'cni0'), 'veth1', mac('0a:00:00:00:00:03'));
    expect(renderBridgeFdb(H, 'cni0')).toBe(golden('host-fdb.txt'));
  });
});
