import { describe, expect, it } from 'vitest';
import { ip } from '../addr/index.js';
import { from, ipBlock, modelNamespaces, modelPod, nsSel, policy, port, sel, to } from '../../test/helpers/netpol.js';
import { type PolicyWorld, allowed, explainVerdict, formatSelector, requirementMatches, selectorMatches } from './index.js';

const xa = modelPod('x/a');
const yb = modelPod('y/b');
const world = (...policies: PolicyWorld['policies']): PolicyWorld => ({ namespaces: modelNamespaces(), policies });
const q = (src: typeof xa, dst: typeof xa, p = 80) => ({ src: { pod: src, ...(src.ip ? { ip: src.ip } : {}) }, dst: { pod: dst, ...(dst.ip ? { ip: dst.ip } : {}) }, protocol: 'TCP' as const, port: p });

describe('label selectors (apimachinery semantics)', () => {
  it('NotIn and DoesNotExist match a pod without the key; In and Exists do not', () => {
    expect(requirementMatches({ key: 'env', operator: 'NotIn', values: ['prod'] }, {})).toBe(true);
    expect(requirementMatches({ key: 'env', operator: 'DoesNotExist', values: [] }, {})).toBe(true);
    expect(requirementMatches({ key: 'env', operator: 'In', values: ['prod'] }, {})).toBe(false);
    expect(requirementMatches({ key: 'env', operator: 'Exists', values: [] }, { env: '' })).toBe(true);
  });

  it('ANDs matchLabels and matchExpressions; {} matches everything', () => {
    const s = sel({ app: 'web' }, [{ key: 'tier', operator: 'In', values: ['fe', 'be'] }]);
    expect(selectorMatches(s, { app: 'web', tier: 'fe' })).toBe(true);
    expect(selectorMatches(s, { app: 'web' })).toBe(false);
    expect(selectorMatches(sel(), {})).toBe(true);
    expect(formatSelector(s)).toBe('app=web,tier in (fe,be)');
    expect(formatSelector(sel())).toBe('(all)');
  });
});

describe('allowed', () => {
  it('names the isolating policy in Kubernetes terms when nothing allows', () => {
    const w = world(policy('y/deny-all', sel(), { ingress: [] }));
    const v = allowed(w, q(xa, yb));
    expect(v.allowed).toBe(false);
    expect(explainVerdict(w, q(xa, yb), v)).toBe('dropped by default deny: pod y/b is selected by NetworkPolicy y/deny-all (ingress), no rule allows x/a on TCP 80');
  });

  it('names the rule that allowed it', () => {
    const w = world(policy('y/allow-web', sel(), { ingress: [from([{ namespaceSelector: nsSel('x') }], [port(80)])] }));
    const v = allowed(w, q(xa, yb));
    expect(v.ingress).toEqual({ kind: 'allowed', policy: 'y/allow-web', ruleIndex: 0, peerIndex: 0, portIndex: 0 });
    expect(explainVerdict(w, q(xa, yb), v)).toBe('allowed by NetworkPolicy y/allow-web ingress rule #1 (from namespaceSelector kubernetes.io/metadata.name=x, on TCP 80)');
  });

  it('checks the source egress first, and lists every isolating policy', () => {
    const w = world(policy('x/e1', sel(), { egress: [to([{ podSelector: sel({ pod: 'z' }) }])] }), policy('x/e2', sel({ pod: 'a' }), { types: ['Egress'] }));
    expect(explainVerdict(w, q(xa, yb), allowed(w, q(xa, yb)))).toBe('dropped by default deny: pod x/a is selected by NetworkPolicies x/e1, x/e2 (egress), no rule allows traffic to y/b on TCP 80');
  });

  it('says so when nothing isolates either end', () => {
    const w = world();
    expect(explainVerdict(w, q(xa, yb), allowed(w, q(xa, yb)))).toBe('allowed: no NetworkPolicy isolates x/a (egress) or y/b (ingress)');
  });

  it('does not select hostNetwork pods, and selectors do not match them as peers', () => {
    const host = { ...modelPod('x/b'), hostNetwork: true };
    const w = world(policy('x/deny', sel(), { types: ['Ingress', 'Egress'] }), policy('y/from-x', sel(), { ingress: [from([{ namespaceSelector: nsSel('x') }])] }));
    expect(allowed(w, q(host, yb)).egress).toEqual({ kind: 'not-isolated', why: 'host-network' });
    expect(allowed(w, q(host, yb)).ingress.kind).toBe('denied');
    expect(allowed(w, q(yb, host)).allowed).toBe(true);
  });

  it('matches addresses outside the cluster with ipBlock only', () => {
    const w = world(policy('x/egress', sel(), { egress: [to([ipBlock('0.0.0.0/0', ['10.0.0.0/8'])]), to([{ namespaceSelector: sel() }])] }));
    const out = (addr: string) => allowed(w, { src: { pod: xa, ip: xa.ip ?? ip('10.244.1.11') }, dst: { ip: ip(addr) }, protocol: 'TCP', port: 443 });
    expect(out('8.8.8.8').allowed).toBe(true);
    expect(out('10.1.2.3').allowed).toBe(false);
    // An IPv6 destination is in no IPv4 block.
    expect(out('2001:db8::1').allowed).toBe(false);
    expect(out('8.8.8.8').ingress).toEqual({ kind: 'not-isolated', why: 'not-a-pod' });
  });

  it('matches IPv6 addresses with IPv6 blocks', () => {
    const v6 = { ...modelPod('y/a'), ip: ip('fd00:10:244:2::a') };
    const w = world(policy('y/from-v6', sel(), { ingress: [from([ipBlock('fd00:10:244::/48', ['fd00:10:244:9::/64'])])] }));
    const src = (addr: string) => ({ src: { pod: xa, ip: ip(addr) }, dst: { pod: v6, ...(v6.ip ? { ip: v6.ip } : {}) }, protocol: 'TCP' as const, port: 80 });
    expect(allowed(w, src('fd00:10:244:1::b')).allowed).toBe(true);
    expect(allowed(w, src('fd00:10:244:9::b')).allowed).toBe(false);
    expect(allowed(w, src('10.244.1.11')).allowed).toBe(false);
  });

  it('applies ipBlock to pod addresses too, as Calico does', () => {
    const w = world(policy('y/from-block', sel(), { ingress: [from([ipBlock('10.244.1.0/24')])] }));
    expect(allowed(w, q(xa, yb)).allowed).toBe(true);
    expect(allowed(w, q(modelPod('z/a'), yb)).allowed).toBe(false);
  });

  it('resolves a named port on the destination pod, for egress rules too, and needs the same protocol', () => {
    const w = world(policy('x/egress', sel({ pod: 'a' }), { egress: [to([], [port('serve-81-tcp')])] }));
    expect(allowed(w, q(xa, yb, 81)).allowed).toBe(true);
    expect(allowed(w, q(xa, yb, 80)).allowed).toBe(false);
    const bare = { ...yb, containers: [] };
    expect(allowed(w, q(xa, bare, 81)).allowed).toBe(false);
    const udpName = world(policy('x/egress', sel({ pod: 'a' }), { egress: [to([], [port('serve-81-udp', 'TCP')])] }));
    expect(allowed(udpName, q(xa, yb, 81)).allowed).toBe(false);
  });

  it('reads an absent namespace as one with only kubernetes.io/metadata.name', () => {
    const w: PolicyWorld = { namespaces: [], policies: [policy('y/from-x', sel(), { ingress: [from([{ namespaceSelector: nsSel('x') }])] })] };
    expect(allowed(w, q(xa, yb)).allowed).toBe(true);
  });
});
