/**
 * host-local on its own against the real plugin (test/golden/cni/capture.sh, part 6): a
 * three-address IPv4 range set and an IPv6 one, exhaustion, release and wrap-around, CHECK, and
 * a refused /31 — results, error texts and the files left behind must be identical.
 */
import { describe, expect, it } from 'vitest';
import { GOLDEN_DATA_DIR, cniGolden, cniNode, runtime } from '../../../test/helpers/cni.js';
import type { NetConf } from '../types.js';
import { hostLocalPlugin } from './plugin.js';

interface Call {
  readonly cmd: 'ADD' | 'DEL' | 'CHECK';
  readonly id: string;
  readonly out: unknown;
}

const calls = cniGolden('6-host-local.jsonl')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as Call);
const conf = JSON.parse(cniGolden('host-local.json').replaceAll('@DATADIR@', GOLDEN_DATA_DIR)) as NetConf;
const bad: NetConf = { ...conf, ipam: { type: 'host-local', dataDir: GOLDEN_DATA_DIR, ranges: [[{ subnet: '10.9.0.0/31' }]] } };

describe('host-local matches the real plugin call by call', () => {
  const { host } = cniNode('nsF-host', ['nsF-pod3']);
  it.each(calls.map((c, i) => [i + 1, c.cmd, c.id, c] as const))('%i: %s %s', (_n, cmd, id, call) => {
    const rt = runtime(id, 'nsF-pod3');
    const c = id === 'bad' ? bad : conf;
    const r = cmd === 'ADD' ? hostLocalPlugin.add(c, rt, host) : cmd === 'DEL' ? hostLocalPlugin.del(c, rt, host) : hostLocalPlugin.check(c, rt, host);
    if (!r.ok) {
      expect(r.error).toEqual(call.out);
      return;
    }
    if (r.value === undefined) {
      expect(call.out).toBeNull();
      return;
    }
    const { interfaces: _i, ...json } = r.value;
    expect(json).toEqual(call.out);
  });
  it('leaves the same files', () => {
    const dir = `${GOLDEN_DATA_DIR}/hl/`;
    const listing = Object.keys(host.store)
      .filter((k) => k.startsWith(dir))
      .sort()
      .map((k) => `${k.slice(dir.length)}\t${(host.store[k] ?? '').replaceAll('\r', '\\r').replaceAll('\n', '\\n')}\n`)
      .join('');
    expect(listing).toBe(cniGolden('6-store.txt'));
  });
});
