import { describe, expect, it } from 'vitest';
import { cidr } from '../../addr/cidr.js';
import { ip } from '../../addr/ip.js';
import { addr, worldWith } from '../../../test/helpers/kernel.js';
import { addDummy, setLinkUp } from '../link/link.js';
import { renderIpRule } from '../text/rule.js';
import { getNetns } from '../world.js';
import { fibLookup } from './fib.js';
import { addRule, delRule } from './rule.js';
import { addRoute } from './table.js';

function setup() {
  const w = worldWith('n');
  const ns = getNetns(w, 'n');
  for (const d of ['d0', 'd1']) {
    addDummy(ns, d);
    setLinkUp(w, 'n', d);
  }
  addr(w, 'n', 'd0', '10.0.0.1/24');
  addr(w, 'n', 'd1', '10.1.0.1/24');
  addRoute(ns, { dst: cidr('0.0.0.0/0'), via: ip('10.0.0.254'), dev: 'd0' });
  addRoute(ns, { dst: cidr('0.0.0.0/0'), via: ip('10.1.0.254'), dev: 'd1', table: 100 });
  return ns;
}

const lookup = (ns: ReturnType<typeof setup>, k: { dst: string; src?: string; mark?: number; iif?: string }) => {
  const r = fibLookup(ns, { dst: ip(k.dst), ...(k.src ? { src: ip(k.src) } : {}), mark: k.mark ?? 0, iif: k.iif ?? 'lo' });
  return r.kind === 'route' ? `${r.rule.priority}:${r.route.dev ?? r.route.type}` : r.kind === 'rule-action' ? `${r.rule.priority}:${r.rule.action}` : 'none';
};

describe('ip rule', () => {
  it('has the kernel default rules', () => {
    const ns = setup();
    expect(renderIpRule(ns, 4)).toBe('0:\tfrom all lookup local\n32766:\tfrom all lookup main\n32767:\tfrom all lookup default\n');
    expect(renderIpRule(ns, 6)).toBe('0:\tfrom all lookup local\n32766:\tfrom all lookup main\n');
  });

  it('tries rules in priority order: local first, then fwmark / from / iif selectors, then main', () => {
    const ns = setup();
    addRule(ns, { family: 4, fwmark: 0x10, fwmask: 0xff, table: 100, priority: 100 });
    addRule(ns, { family: 4, from: cidr('10.244.0.0/16'), table: 100, priority: 200 });
    addRule(ns, { family: 4, iif: 'd0', to: cidr('8.8.0.0/16'), action: 'prohibit', priority: 50 });
    expect(lookup(ns, { dst: '10.0.0.1' })).toBe('0:d0'); // local table wins
    expect(lookup(ns, { dst: '8.8.8.8' })).toBe('32766:d0');
    expect(lookup(ns, { dst: '8.8.8.8', mark: 0x110 })).toBe('100:d1');
    expect(lookup(ns, { dst: '8.8.8.8', mark: 0x101 })).toBe('32766:d0');
    expect(lookup(ns, { dst: '8.8.8.8', src: '10.244.3.4' })).toBe('200:d1');
    expect(lookup(ns, { dst: '8.8.8.8', iif: 'd0' })).toBe('50:prohibit');
    expect(delRule(ns, 4, 50)).toBe(1);
    expect(lookup(ns, { dst: '8.8.8.8', iif: 'd0' })).toBe('32766:d0');
  });

  it('falls through to the next rule when a table has no match', () => {
    const ns = setup();
    addRule(ns, { family: 4, table: 7, priority: 10 });
    expect(lookup(ns, { dst: '8.8.8.8' })).toBe('32766:d0');
  });

  it('a rule without priority goes just before the first non-zero one (fib_default_rule_pref)', () => {
    const ns = setup();
    addRule(ns, { family: 4, fwmark: 1, table: 100, priority: 100 });
    expect(addRule(ns, { family: 4, table: 7 }).priority).toBe(99);
    expect(renderIpRule(ns, 4).split('\n')[1]).toBe('99:\tfrom all lookup 7');
  });
});
