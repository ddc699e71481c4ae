/**
 * Felix's policy rendering: vectors from upstream tests (libcalico-go parser_test.go
 * canonicalisationTests, felix/rules/policy_test.go "should include a chain name comment",
 * felix/hashutils id_test.go) and the shapes of policy.go's match blocks.
 */
import { describe, expect, it } from 'vitest';
import { cidr } from '../../../addr/index.js';
import { lengthLimitedId } from './endpoints.js';
import { policyChainName, policyChains, tierRules, workloadTierRules } from './policy-chains.js';
import { DEFAULT_TIER } from './policy-model.js';
import type { FelixRule } from './rule.js';
import { mainSetName, setDataId } from './policy-ipsets.js';
import { policyRuleToIptables, splitPortList } from './policy-rules.js';
import { ALL, andOf, inSet, selectorMatches, selectorString, selectorUniqueId } from './selector.js';

describe('Calico selectors', () => {
  it('all() has the unique id of parser_test.go', () => {
    expect(selectorString(ALL)).toBe('all()');
    expect(selectorUniqueId(ALL)).toBe('s:5y5I3VdRZfDU01O--xXAPx2yxCQQqMf0M6IWug');
  });

  it('!(a == "b" && !c …) prints as the parser prints it; in-sets sorted and deduplicated', () => {
    expect(selectorString({ op: '!', operand: andOf([{ op: '==', label: 'a', value: 'b' }, { op: '!', operand: { op: 'has', label: 'c' } }]) })).toBe('!(a == "b" && !has(c))');
    expect(selectorString(inSet('in', 'a', ['z', 'z', 'x', 'y', 'x', 'a']))).toBe('a in {"a", "x", "y", "z"}');
    expect(selectorString({ op: '==', label: 'a', value: '"' })).toBe(`a == '"'`);
  });

  it('not in matches an absent label; in does not', () => {
    expect(selectorMatches(inSet('not in', 'k', ['v']), {})).toBe(true);
    expect(selectorMatches(inSet('in', 'k', ['v']), {})).toBe(false);
  });
});

describe('names', () => {
  it('PolicyChainName hashes tier/name past 28 characters (policy_test.go vector, tier empty)', () => {
    expect(policyChainName('cali-pi-', { tier: '', name: 'long-policy-name-that-gets-hashed' })).toBe('cali-pi-_FJ9yUkNpzshVDh2n7mg');
    expect(policyChainName('cali-po-', { tier: '', name: 'long-policy-name-that-gets-hashed' })).toBe('cali-po-_FJ9yUkNpzshVDh2n7mg');
  });

  it('GetLengthLimitedID (id_test.go)', () => {
    expect(lengthLimitedId('felix', '1234', 10)).toBe('felix1234');
    expect(lengthLimitedId('felix', '_2345', 10)).toBe('felix_kMQI');
  });

  it('ipset names are cali40 + id, cut at 31 characters; named-port ids start n:', () => {
    const id = setDataId({ selector: ALL });
    expect(mainSetName(4, id)).toBe('cali40s:5y5I3VdRZfDU01O--xXAPx2');
    expect(mainSetName(6, id)).toHaveLength(31);
    expect(setDataId({ selector: ALL, namedPort: { name: 'http', protocol: 'tcp' } })).toMatch(/^n:[\w-]{38}$/);
  });
});

const text = (r: FelixRule) => [...(r.comments ?? []), ...(r.match ?? []), r.action].join(' ');

describe('rules', () => {
  it('an allow sets the accept mark and returns; the last RETURN of a chain is dropped; the first rule carries the chain comment', () => {
    const [inbound, outbound] = policyChains({ name: 'x/knp.default.p', tier: 'default', order: 1000, selector: ALL, ingress: true, egress: false, inbound: [{ protocol: 'tcp', dstPorts: [{ first: 80, last: 80 }] }], outbound: [] }, 4);
    expect(inbound?.rules).toEqual([{ comments: ['Policy x/knp.default.p ingress'], match: ['-p tcp', '-m multiport --destination-ports 80'], action: '--jump MARK --set-mark 0x10000/0x10000' }]);
    expect(outbound?.rules).toEqual([{ comments: ['Policy x/knp.default.p egress'], action: '' }]);
  });

  it('ipBlock except: a negated block on scratch0 (0x80000 under 0x180000, Calico 3.30 marks), each except clears it', () => {
    const rules = policyRuleToIptables({ srcNets: [cidr('10.0.0.0/8')], notSrcNets: [cidr('10.1.0.0/16')] }, 4);
    expect(rules.map((r) => [...(r.match ?? []), r.action].join(' '))).toEqual([
      '--jump MARK --set-mark 0x80000/0x180000',
      '--source 10.1.0.0/16 --jump MARK --set-mark 0/0x80000',
      '--source 10.0.0.0/8 -m mark --mark 0x80000/0x80000 --jump MARK --set-mark 0x10000/0x10000',
      '-m mark --mark 0x10000/0x10000 --jump RETURN',
    ]);
  });

  it('nets of the other family leave the rule out (FilterRuleToIPVersion)', () => {
    expect(policyRuleToIptables({ srcNets: [cidr('10.0.0.0/8')] }, 6)).toEqual([]);
  });

  it('a numeric port group and a named port: a positive block (0x0 under 0x180000, then set scratch0)', () => {
    const rules = policyRuleToIptables({ protocol: 'tcp', dstPorts: [{ first: 80, last: 80 }, { name: 'web' }] }, 4);
    expect(rules[0]?.action).toBe('--jump MARK --set-mark 0x0/0x180000');
    expect(rules[1]).toEqual({ match: ['-p tcp -m multiport --destination-ports 80'], action: '--jump MARK --set-mark 0x80000/0x80000' });
    expect(rules[2]?.match?.[0]).toMatch(/^-m set --match-set cali40n:[\w-]{23} dst,dst$/);
    expect(rules[3]?.match).toEqual(['-p tcp', '-m mark --mark 0x80000/0x80000']);
  });

  it('SplitPortList: 15 multiport slots, a range takes two', () => {
    const ports = Array.from({ length: 8 }, (_, i) => ({ first: i * 10, last: i * 10 + 1 }));
    expect(splitPortList(ports).map((s) => s.length)).toEqual([7, 1]);
  });

  it('the tier block: start, jump while pass is clear, return on accept, drop at the end', () => {
    expect(tierRules(DEFAULT_TIER, ['cali-pi-a']).map(text)).toEqual([
      'Start of tier default --jump MARK --set-mark 0/0x20000',
      '-m mark --mark 0/0x20000 --jump cali-pi-a',
      'Return if policy accepted -m mark --mark 0x10000/0x10000 --jump RETURN',
      'End of tier default. Drop if no policies passed packet -m mark --mark 0/0x20000 --jump DROP',
    ]);
    expect(tierRules(DEFAULT_TIER, [])).toEqual([]);
  });

  it('a Pass tier (the admin tiers) has no end-of-tier drop', () => {
    expect(tierRules({ name: 'adminnetworkpolicy', order: 1000, defaultAction: 'Pass' }, ['cali-pi-a']).map(text)).toEqual([
      'Start of tier adminnetworkpolicy --jump MARK --set-mark 0/0x20000',
      '-m mark --mark 0/0x20000 --jump cali-pi-a',
      'Return if policy accepted -m mark --mark 0x10000/0x10000 --jump RETURN',
    ]);
  });

  it('deny sets the drop mark and DROPs on it; pass sets the pass mark and RETURNs; annotations become comments on each rule', () => {
    const deny = policyRuleToIptables({ action: 'deny', protocol: 'tcp', annotations: [['name', 'deny y']] }, 4);
    expect(deny.map(text)).toEqual(['name=deny y -p tcp --jump MARK --set-mark 0x40000/0x40000', 'name=deny y -m mark --mark 0x40000/0x40000 --jump DROP']);
    const pass = policyRuleToIptables({ action: 'next-tier' }, 4);
    expect(pass.map(text)).toEqual(['--jump MARK --set-mark 0x20000/0x20000', '-m mark --mark 0x20000/0x20000 --jump RETURN']);
  });

  it('tiers in tier order, whatever the policy order; policies of one tier by order then name', () => {
    const pol = (name: string, tier: string, order: number) => ({ name, tier, order, selector: ALL, ingress: true, egress: false, inbound: [], outbound: [] });
    const tiers = [DEFAULT_TIER, { name: 'adminnetworkpolicy', order: 1000, defaultAction: 'Pass' as const }, { name: 'baselineadminnetworkpolicy', order: 10_000_000, defaultAction: 'Pass' as const }];
    const rules = workloadTierRules(tiers, [pol('kbanp.baselineadminnetworkpolicy.default', 'baselineadminnetworkpolicy', 1000), pol('x/knp.default.a', 'default', 1000), pol('kanp.adminnetworkpolicy.b', 'adminnetworkpolicy', 5)], 'cali-pi-');
    expect(rules.flatMap((r) => r.comments ?? []).filter((c) => c.startsWith('Start') || c.startsWith('End'))).toEqual([
      'Start of tier adminnetworkpolicy',
      'Start of tier default',
      'End of tier default. Drop if no policies passed packet',
      'Start of tier baselineadminnetworkpolicy',
    ]);
  });
});
