import { describe, expect, it } from 'vitest';
import { modelNamespaces, modelPod, nsSel, policy, sel, from } from '../../test/helpers/netpol.js';
import { type AdminNetworkPolicySpecObject, type PolicyWorld, allowed, explainVerdict } from './index.js';

const xa = modelPod('x/a');
const ya = modelPod('y/a');
const q = { src: { pod: ya, ...(ya.ip ? { ip: ya.ip } : {}) }, dst: { pod: xa, ...(xa.ip ? { ip: xa.ip } : {}) }, protocol: 'TCP' as const, port: 80 };
const anp = (action: 'Allow' | 'Deny' | 'Pass', priority = 10, name = 'from-y'): AdminNetworkPolicySpecObject => ({
  name, priority, subject: { namespaces: nsSel('x') }, ingress: [{ name: `${action.toLowerCase()}-y`, action, peers: [{ namespaces: nsSel('y') }] }], egress: [],
});
const denyAll = policy('x/deny-all', sel(), { ingress: [] });
const allowY = policy('x/allow-y', sel(), { ingress: [from([{ namespaceSelector: nsSel('y') }])] });
const banpDeny = { name: 'default', subject: { namespaces: nsSel('x') }, ingress: [{ name: 'deny-y', action: 'Deny' as const, peers: [{ namespaces: nsSel('y') }] }], egress: [] };

function why(world: PolicyWorld): [boolean, string] {
  const v = allowed(world, q);
  return [v.allowed, explainVerdict(world, q, v)];
}

describe('the admin tiers, one connection y/a → x/a TCP 80', () => {
  const base: PolicyWorld = { namespaces: modelNamespaces(), policies: [allowY] };
  it('an ANP Deny is final, whatever NetworkPolicy allows', () => {
    expect(why({ ...base, adminPolicies: [anp('Deny')] })).toEqual([false, 'dropped by AdminNetworkPolicy from-y (priority 10) ingress rule #1 "deny-y" (Deny): y/a to x/a on TCP 80']);
  });
  it('a lower priority number wins; an Allow is final over a NetworkPolicy default deny', () => {
    expect(why({ namespaces: base.namespaces, policies: [denyAll], adminPolicies: [anp('Deny', 20, 'a'), anp('Allow', 5, 'b')] })).toEqual([true, 'allowed by AdminNetworkPolicy b (priority 5) ingress rule #1 "allow-y"']);
  });
  it('Pass hands the side to NetworkPolicy, and the reason says so', () => {
    expect(why({ namespaces: base.namespaces, policies: [denyAll], adminPolicies: [anp('Pass')] })[1]).toBe(
      'passed by AdminNetworkPolicy from-y (priority 10) ingress rule #1 "pass-y", then dropped by default deny: pod x/a is selected by NetworkPolicy x/deny-all (ingress), no rule allows y/a on TCP 80',
    );
  });
  it('the BANP decides only where no NetworkPolicy isolates the pod', () => {
    expect(why({ ...base, baselinePolicy: banpDeny })[0]).toBe(true);
    expect(why({ namespaces: base.namespaces, policies: [], baselinePolicy: banpDeny })).toEqual([false, 'dropped by BaselineAdminNetworkPolicy default ingress rule #1 "deny-y" (Deny): y/a to x/a on TCP 80']);
  });
});
