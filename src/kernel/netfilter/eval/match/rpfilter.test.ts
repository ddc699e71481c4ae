/**
 * `-m rpfilter` in raw PREROUTING against a stubbed reverse route: strict by default (the route
 * back must leave through the input device), `--loose` any unicast route, `--accept-local` a
 * local route too, `--validmark` looks up with the packet's mark, `--invert` negates.
 */
import { describe, expect, it } from 'vitest';
import { r as rule, ruleset, testEnv, udp } from '../../../../../test/helpers/nf.js';
import { ip } from '../../../../addr/ip.js';
import { FRESH_SKB, type HookEnv } from '../../api.js';
import { createNetfilter, loadRuleset, runHook } from '../../index.js';
import { parseRule, printRule } from '../../syntax/index.js';

const PKT = udp('192.168.1.5', 4000, '8.8.8.8', 53);

/** The reply route: via eth1 for 192.168.1.5 (mark 0x40000 routes it via cali1), local for 10.0.0.1, none otherwise. */
const reverseRoute: NonNullable<HookEnv['reverseRoute']> = (k) => {
  if (k.dst.value === ip('10.0.0.1').value) return { type: 'local', dev: 'lo' };
  if (k.dst.value !== ip('192.168.1.5').value) return undefined;
  return { type: 'unicast', dev: k.mark === 0x40000 ? 'cali1' : 'eth1' };
};

function matches(opts: string, inDev: string, pkt = PKT, mark = 0): boolean {
  const nf = createNetfilter();
  loadRuleset(nf, ruleset(4, { raw: { PREROUTING: [`-m rpfilter ${opts} -j DROP`] } }));
  return runHook(nf, 'PREROUTING', pkt, { ...FRESH_SKB, mark }, testEnv({ inDev, reverseRoute })).verdict === 'DROP';
}

describe('-m rpfilter', () => {
  it.each([
    ['', 'eth1', true],
    ['', 'cali1', false],
    ['--invert', 'cali1', true],
    ['--loose', 'cali1', true],
    ['--validmark', 'cali1', false],
    ['--accept-local', 'eth1', true],
    ['', 'lo', true],
  ])('%j on %s → %s', (opts, dev, want) => {
    expect(matches(opts, dev)).toBe(want);
  });

  it('--validmark routes with the packet mark; an address with no route back fails; local needs --accept-local', () => {
    expect(matches('--validmark', 'cali1', PKT, 0x40000)).toBe(true);
    expect(matches('', 'eth1', udp('172.16.0.1', 1, '8.8.8.8', 53))).toBe(false);
    expect(matches('', 'eth1', udp('10.0.0.1', 1, '8.8.8.8', 53))).toBe(false);
    expect(matches('--accept-local', 'eth1', udp('10.0.0.1', 1, '8.8.8.8', 53))).toBe(true);
  });

  it('prints its flags in iptables-save order whatever order they were written in', () => {
    const parsed = parseRule('-A PREROUTING -m rpfilter --invert --validmark -j DROP', { file: 't', family: 4, table: 'raw' });
    const first = parsed.value?.rules[0];
    expect(parsed.diagnostics).toEqual([]);
    expect(first && printRule('PREROUTING', first)).toBe('-A PREROUTING -m rpfilter --validmark --invert -j DROP');
    expect(printRule('PREROUTING', rule('-m rpfilter --loose --accept-local --invert -j DROP'))).toBe('-A PREROUTING -m rpfilter --loose --accept-local --invert -j DROP');
  });
});
