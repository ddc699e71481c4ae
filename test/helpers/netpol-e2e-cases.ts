/**
 * The upstream NetworkPolicy e2e cases (kubernetes test/e2e/network/netpol/network_policy.go,
 * the per-test pod subsets of the newest revision): the pods, the policies and the reachability
 * table upstream expects, written as upstream prints it. Cases that update an object are split
 * into their states. The endPort case is netsim's own (upstream has none in that file). Shared by
 * the evaluator's test (src/policy/e2e.test.ts) and the datapath matrix's (test/cli/policy-e2e.test.ts).
 */
import type { NetworkPolicySpecObject, PolicyLabels, PolicyProtocol } from '../../src/policy/index.js';
import { from, ipBlock, nsSel, policy, port, sel, to } from './netpol.js';

/** One upstream case. */
export interface Case {
  readonly name: string;
  readonly pods: readonly string[];
  readonly policies: readonly NetworkPolicySpecObject[];
  readonly nsLabels?: Readonly<Record<string, PolicyLabels>>;
  readonly podLabels?: Readonly<Record<string, PolicyLabels>>;
  readonly checks: readonly (readonly [PolicyProtocol, number, string])[];
}

const ALL = sel();
const denyIngressX = policy('x/deny-ingress', ALL, { ingress: [] });
const notInX = sel({}, [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['x'] }]);
const allowPort81 = policy('x/allow-client-a-via-ns-selector', sel({ pod: 'a' }), { ingress: [from([{ namespaceSelector: nsSel('y') }], [port(81)])] });
const allowPort80 = policy('x/allow-client-a-via-ns-selector-80', sel({ pod: 'a' }), { ingress: [from([{ namespaceSelector: nsSel('y') }], [port(80)])] });
const xbCidr = `${'10.244.1.12'}/32`;

const FIVE_ALLOW_Y = `
  -   x/a x/b y/a y/b z/a
  x/a  X   .   .   .   .
  x/b  X   .   .   .   .
  y/a  .   .   .   .   .
  y/b  .   .   .   .   .
  z/a  X   .   .   .   .`;
const FIVE_DENY_A = FIVE_ALLOW_Y.replace(/y\/a  \./, 'y/a  X').replace(/y\/b  \./, 'y/b  X');
const ONLY_Y_TO_XA = `
  -   x/a x/b y/a z/a
  x/a  X   .   .   .
  x/b  X   .   .   .
  y/a  .   .   .   .
  z/a  X   .   .   .`;

/** Every case. */
export const CASES: readonly Case[] = [
  {
    name: "should support a 'default-deny-ingress' policy",
    pods: ['x/a', 'x/b', 'y/a', 'y/b'],
    policies: [denyIngressX],
    checks: [['TCP', 80, `
      -   x/a x/b y/a y/b
      x/a  X   X   .   .
      x/b  X   X   .   .
      y/a  X   X   .   .
      y/b  X   X   .   .`]],
  },
  {
    name: "should support a 'default-deny-all' policy",
    pods: ['x/a', 'x/b', 'y/a'],
    policies: [policy('x/deny-all', ALL, { types: ['Ingress', 'Egress'] })],
    checks: [['TCP', 80, `
      -   x/a x/b y/a
      x/a  X   X   X
      x/b  X   X   X
      y/a  X   X   .`]],
  },
  {
    name: 'should enforce policy to allow traffic from pods within server namespace based on PodSelector',
    pods: ['x/a', 'x/b', 'x/c', 'y/a'],
    policies: [policy('x/x-a-allows-x-b', sel({ pod: 'a' }), { ingress: [from([{ podSelector: sel({ pod: 'b' }) }])] })],
    checks: [['TCP', 80, `
      -   x/a x/b x/c y/a
      x/a  X   .   .   .
      x/b  .   .   .   .
      x/c  X   .   .   .
      y/a  X   .   .   .`]],
  },
  {
    name: 'should enforce policy to allow ingress traffic for a target',
    pods: ['x/a', 'x/b', 'y/a'],
    policies: [
      policy('x/deny-all', ALL, { ingress: [] }),
      policy('x/allow-all-to-a', sel({ pod: 'a' }), { ingress: [from([{ podSelector: ALL, namespaceSelector: ALL }])] }),
    ],
    checks: [['TCP', 80, `
      -   x/a x/b y/a
      x/a  .   X   .
      x/b  .   X   .
      y/a  .   X   .`]],
  },
  {
    name: 'should enforce policy to allow ingress traffic from pods in all namespaces',
    pods: ['x/a', 'x/b', 'y/a', 'z/a'],
    policies: [policy('x/allow-from-another-ns', sel({ pod: 'a' }), { ingress: [from([{ namespaceSelector: ALL }])] })],
    checks: [['TCP', 80, `
      -   x/a x/b y/a z/a
      x/a  .   .   .   .
      x/b  .   .   .   .
      y/a  .   .   .   .
      z/a  .   .   .   .`]],
  },
  {
    name: 'should enforce policy to allow traffic only from a different namespace, based on NamespaceSelector',
    pods: ['x/a', 'x/b', 'y/a', 'z/a'],
    policies: [policy('x/allow-client-a-via-ns-selector', sel({ pod: 'a' }), { ingress: [from([{ namespaceSelector: nsSel('y') }])] })],
    checks: [['TCP', 80, ONLY_Y_TO_XA]],
  },
  {
    name: 'should enforce policy based on PodSelector with MatchExpressions',
    pods: ['x/a', 'x/b', 'y/a'],
    policies: [policy('x/x-a-allows-x-b', sel({ pod: 'a' }), { ingress: [from([{ podSelector: sel({}, [{ key: 'pod', operator: 'In', values: ['b'] }]) }])] })],
    checks: [['TCP', 80, `
      -   x/a x/b y/a
      x/a  X   .   .
      x/b  .   .   .
      y/a  X   .   .`]],
  },
  {
    name: 'should enforce policy based on NamespaceSelector with MatchExpressions',
    pods: ['x/a', 'x/b', 'y/a', 'z/a'],
    policies: [policy('x/allow-ns-y-match-selector', sel({ pod: 'a' }), {
      ingress: [from([{ namespaceSelector: sel({}, [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['y'] }]) }])],
    })],
    checks: [['TCP', 80, ONLY_Y_TO_XA]],
  },
  {
    name: 'should enforce policy based on PodSelector or NamespaceSelector',
    pods: ['x/a', 'x/b', 'x/c', 'y/a'],
    policies: [policy('x/allow-ns-y-match-selector', sel({ pod: 'a' }), { ingress: [from([{ namespaceSelector: notInX }, { podSelector: sel({ pod: 'b' }) }])] })],
    checks: [['TCP', 80, `
      -   x/a x/b x/c y/a
      x/a  X   .   .   .
      x/b  .   .   .   .
      x/c  X   .   .   .
      y/a  .   .   .   .`]],
  },
  {
    name: 'should enforce policy based on PodSelector and NamespaceSelector',
    pods: ['x/a', 'x/b', 'y/a', 'y/b', 'z/b'],
    policies: [policy('x/allow-ns-y-podselector-and-nsselector', sel({ pod: 'a' }), { ingress: [from([{ namespaceSelector: notInX, podSelector: sel({ pod: 'b' }) }])] })],
    checks: [['TCP', 80, `
      -   x/a x/b y/a y/b z/b
      x/a  X   .   .   .   .
      x/b  X   .   .   .   .
      y/a  X   .   .   .   .
      y/b  .   .   .   .   .
      z/b  .   .   .   .   .`]],
  },
  {
    name: 'should enforce policy based on Multiple PodSelectors and NamespaceSelectors',
    pods: ['x/a', 'x/b', 'y/a', 'y/b', 'y/c'],
    policies: [policy('x/allow-ns-y-z-pod-b-c', sel({ pod: 'a' }), {
      ingress: [from([{ namespaceSelector: notInX, podSelector: sel({}, [{ key: 'pod', operator: 'In', values: ['b', 'c'] }]) }])],
    })],
    checks: [['TCP', 80, `
      -   x/a x/b y/a y/b y/c
      x/a  X   .   .   .   .
      x/b  X   .   .   .   .
      y/a  X   .   .   .   .
      y/b  .   .   .   .   .
      y/c  .   .   .   .   .`]],
  },
  {
    name: 'should enforce policy based on any PodSelectors',
    pods: ['x/a', 'x/b', 'x/c'],
    policies: [policy('x/allow-ns-x-pod-b-c', sel({ pod: 'a' }), { ingress: [from([{ podSelector: sel({ pod: 'b' }) }, { podSelector: sel({ pod: 'c' }) }])] })],
    checks: [['TCP', 80, `
      -   x/a x/b x/c
      x/a  X   .   .
      x/b  .   .   .
      x/c  .   .   .`]],
  },
  {
    name: 'should enforce policy to allow traffic only from a pod in a different namespace based on PodSelector and NamespaceSelector',
    pods: ['x/a', 'x/b', 'y/a', 'y/b', 'z/a'],
    policies: [policy('x/allow-ns-y-pod-a-via-namespace-pod-selector', sel({ pod: 'a' }), { ingress: [from([{ namespaceSelector: nsSel('y'), podSelector: sel({ pod: 'a' }) }])] })],
    checks: [['TCP', 80, `
      -   x/a x/b y/a y/b z/a
      x/a  X   .   .   .   .
      x/b  X   .   .   .   .
      y/a  .   .   .   .   .
      y/b  X   .   .   .   .
      z/a  X   .   .   .   .`]],
  },
  {
    name: 'should enforce policy based on Ports',
    pods: ['x/a', 'x/b', 'y/a', 'y/b', 'z/a'],
    policies: [allowPort81],
    checks: [['TCP', 81, FIVE_ALLOW_Y], ['TCP', 80, FIVE_DENY_A]],
  },
  {
    name: 'should enforce multiple, stacked policies with overlapping podSelectors (after adding the port 80 policy)',
    pods: ['x/a', 'x/b', 'y/a', 'y/b', 'z/a'],
    policies: [allowPort81, allowPort80],
    checks: [['TCP', 81, FIVE_ALLOW_Y], ['TCP', 80, FIVE_ALLOW_Y]],
  },
  {
    name: 'should support allow-all policy',
    pods: ['x/a', 'x/b', 'y/a'],
    policies: [policy('x/allow-all', ALL, { ingress: [from()] })],
    checks: ([80, 81] as const).map((p) => ['TCP', p, `
      -   x/a x/b y/a
      x/a  .   .   .
      x/b  .   .   .
      y/a  .   .   .`] as const),
  },
  {
    name: 'should allow ingress access on one named port',
    pods: ['x/a', 'x/b', 'y/a'],
    policies: [policy('x/allow-all', ALL, { ingress: [from([], [port('serve-81-tcp')])] })],
    checks: [
      ['TCP', 81, `
        -   x/a x/b y/a
        x/a  .   .   .
        x/b  .   .   .
        y/a  .   .   .`],
      ['TCP', 80, `
        -   x/a x/b y/a
        x/a  X   X   .
        x/b  X   X   .
        y/a  X   X   .`],
    ],
  },
  {
    name: 'should allow ingress access from namespace on one named port',
    pods: ['x/a', 'x/b', 'y/a', 'z/a'],
    policies: [policy('x/allow-client-a-via-ns-selector-80', sel({ pod: 'a' }), { ingress: [from([{ namespaceSelector: nsSel('y') }], [port('serve-80-tcp')])] })],
    checks: [
      ['TCP', 80, ONLY_Y_TO_XA],
      ['TCP', 81, ONLY_Y_TO_XA.replace(/y\/a  \./, 'y/a  X')],
    ],
  },
  {
    name: 'should allow egress access on one named port',
    pods: ['x/a', 'y/a'],
    policies: [policy('x/allow-egress', ALL, { egress: [to([], [port('serve-80-tcp')])] })],
    checks: [
      ['TCP', 80, '- x/a y/a\nx/a . .\ny/a . .'],
      ['TCP', 81, '- x/a y/a\nx/a X X\ny/a . .'],
    ],
  },
  {
    name: 'should enforce updated policy (step 1: allow all)',
    pods: ['x/a', 'y/a'],
    policies: [policy('x/allow-all-mutate-to-deny-all', ALL, { ingress: [from()] })],
    checks: [['TCP', 81, '- x/a y/a\nx/a . .\ny/a . .']],
  },
  {
    name: 'should enforce updated policy (step 2: updated to deny all)',
    pods: ['x/a', 'y/a'],
    policies: [policy('x/allow-all-mutate-to-deny-all', ALL, { ingress: [] })],
    checks: [['TCP', 81, '- x/a y/a\nx/a X .\ny/a X .']],
  },
  {
    name: 'should allow ingress access from updated namespace (before the label)',
    pods: ['x/a', 'y/a'],
    policies: [policy('x/allow-client-a-via-ns-selector', sel({ pod: 'a' }), { ingress: [from([{ namespaceSelector: sel({ ns2: 'updated' }) }])] })],
    checks: [['TCP', 80, '- x/a y/a\nx/a X .\ny/a X .']],
  },
  {
    name: 'should allow ingress access from updated namespace (after labelling y ns2=updated)',
    pods: ['x/a', 'y/a'],
    nsLabels: { y: { ns2: 'updated' } },
    policies: [policy('x/allow-client-a-via-ns-selector', sel({ pod: 'a' }), { ingress: [from([{ namespaceSelector: sel({ ns2: 'updated' }) }])] })],
    checks: [['TCP', 80, '- x/a y/a\nx/a X .\ny/a . .']],
  },
  {
    name: 'should allow ingress access from updated pod (after labelling x/b pod2=updated)',
    pods: ['x/a', 'x/b'],
    podLabels: { 'x/b': { pod2: 'updated' } },
    policies: [policy('x/allow-client-a-via-pod-selector', sel({ pod: 'a' }), { ingress: [from([{ podSelector: sel({ pod: 'b', pod2: 'updated' }) }])] })],
    checks: [['TCP', 80, '- x/a x/b\nx/a X .\nx/b . .']],
  },
  {
    name: 'should deny ingress from pods on other namespaces',
    pods: ['x/a', 'x/b', 'y/a', 'z/a'],
    policies: [policy('x/deny-empty-policy', ALL, { ingress: [from([{ podSelector: ALL }])] })],
    checks: [['TCP', 80, `
      -   x/a x/b y/a z/a
      x/a  .   .   .   .
      x/b  .   .   .   .
      y/a  X   X   .   .
      z/a  X   X   .   .`]],
  },
  {
    name: 'should deny ingress access to updated pod (after labelling x/a target=isolated)',
    pods: ['x/a', 'y/a'],
    podLabels: { 'x/a': { target: 'isolated' } },
    policies: [policy('x/deny-ingress-via-label-selector', sel({ target: 'isolated' }), { ingress: [] })],
    checks: [['TCP', 80, '- x/a y/a\nx/a X .\ny/a X .']],
  },
  {
    name: 'should deny egress from pods based on PodSelector',
    pods: ['x/a', 'x/b', 'y/a'],
    policies: [policy('x/deny-egress-pod-a', sel({ pod: 'a' }), { types: ['Egress'] })],
    checks: [['TCP', 80, '- x/a x/b y/a\nx/a X X X\nx/b . . .\ny/a . . .']],
  },
  {
    name: 'should deny egress from all pods in a namespace',
    pods: ['x/a', 'x/b', 'y/a'],
    policies: [policy('x/deny-egress-ns-x', ALL, { types: ['Egress'] })],
    checks: [['TCP', 80, '- x/a x/b y/a\nx/a X X X\nx/b X X X\ny/a . . .']],
  },
  {
    name: 'should work with Ingress, Egress specified together',
    pods: ['x/a', 'x/b', 'x/c', 'y/a'],
    policies: [policy('x/allow-client-a-via-pod-selector', sel({ pod: 'a' }), {
      ingress: [from([{ podSelector: sel({ pod: 'b' }) }])],
      egress: [to([], [port(80)])],
      types: ['Egress', 'Ingress'],
    })],
    checks: [
      ['TCP', 80, '- x/a x/b x/c y/a\nx/a X . . .\nx/b . . . .\nx/c X . . .\ny/a X . . .'],
      ['TCP', 81, '- x/a x/b x/c y/a\nx/a X X X X\nx/b . . . .\nx/c X . . .\ny/a X . . .'],
    ],
  },
  {
    name: 'should support denying of egress traffic on the client side (even if the server explicitly allows this traffic)',
    pods: ['x/a', 'y/a', 'y/b'],
    policies: [
      policy('x/allow-to-ns-y-pod-a', sel({ pod: 'a' }), { egress: [to([{ namespaceSelector: nsSel('y'), podSelector: sel({ pod: 'a' }) }])] }),
      policy('y/allow-from-xa-on-ya-match-selector', sel({ pod: 'a' }), { ingress: [from([{ namespaceSelector: nsSel('x'), podSelector: sel({ pod: 'a' }) }])] }),
      policy('y/allow-from-xa-on-yb-match-selector', sel({ pod: 'b' }), { ingress: [from([{ namespaceSelector: nsSel('x'), podSelector: sel({ pod: 'a' }) }])] }),
    ],
    checks: [['TCP', 80, '- x/a y/a y/b\nx/a X . X\ny/a . X X\ny/b . X X']],
  },
  {
    name: 'should enforce egress policy allowing traffic to a server in a different namespace based on PodSelector and NamespaceSelector',
    pods: ['x/a', 'y/a', 'y/b'],
    policies: [policy('x/allow-to-ns-y-pod-a', sel({ pod: 'a' }), { egress: [to([{ namespaceSelector: nsSel('y'), podSelector: sel({ pod: 'a' }) }])] })],
    checks: [['TCP', 80, '- x/a y/a y/b\nx/a X . X\ny/a . . .\ny/b . . .']],
  },
  {
    name: 'should enforce ingress policy allowing any port traffic to a server on a specific protocol',
    pods: ['x/a', 'y/a'],
    policies: [policy('x/allow-ingress-by-proto', sel({ pod: 'a' }), { ingress: [from([], [port(undefined, 'TCP')])] })],
    checks: [['TCP', 80, '- x/a y/a\nx/a . .\ny/a . .'], ['UDP', 80, '- x/a y/a\nx/a X .\ny/a X .']],
  },
  {
    name: 'should enforce multiple ingress policies with ingress allow-all policy taking precedence',
    pods: ['x/a', 'y/a'],
    policies: [policy('x/allow-ingress-port-80', ALL, { ingress: [from([], [port(80)])] }), policy('x/allow-ingress', ALL, { ingress: [from()] })],
    checks: [['TCP', 81, '- x/a y/a\nx/a . .\ny/a . .']],
  },
  {
    name: 'should enforce multiple egress policies with egress allow-all policy taking precedence (before the allow-all)',
    pods: ['x/a', 'y/a'],
    policies: [policy('x/allow-egress-port-80', ALL, { egress: [to([], [port(80)])] })],
    checks: [['TCP', 81, '- x/a y/a\nx/a X X\ny/a . .']],
  },
  {
    name: 'should stop enforcing policies after they are deleted (while present)',
    pods: ['x/a', 'y/a'],
    policies: [policy('x/deny-all', ALL, { types: ['Ingress', 'Egress'] })],
    checks: [['TCP', 80, '- x/a y/a\nx/a X X\ny/a X .']],
  },
  {
    name: 'should allow egress access to server in CIDR block',
    pods: ['x/a', 'y/a', 'y/b'],
    policies: [policy('x/allow-client-a-via-cidr-egress-rule', sel({ pod: 'a' }), { egress: [to([ipBlock(`${'10.244.2.12'}/32`)])] })],
    checks: [['TCP', 80, '- x/a y/a y/b\nx/a X X .\ny/a . . .\ny/b . . .']],
  },
  {
    name: 'should enforce except clause while egress access to server in CIDR block',
    pods: ['x/a', 'x/b', 'x/c'],
    policies: [policy('x/allow-client-a-via-cidr-egress-rule', sel({ pod: 'a' }), { egress: [to([ipBlock('0.0.0.0/4', [xbCidr])])] })],
    checks: [['TCP', 80, '- x/a x/b x/c\nx/a . X .\nx/b . . .\nx/c . . .']],
  },
  {
    name: 'should ensure an IP overlapping both IPBlock.CIDR and IPBlock.Except is allowed (after the update)',
    pods: ['x/a', 'x/b', 'x/c'],
    policies: [policy('x/allow-client-a-via-cidr-egress-rule', sel({ pod: 'a' }), { egress: [to([ipBlock(xbCidr)])] })],
    checks: [['TCP', 80, '- x/a x/b x/c\nx/a X . X\nx/b . . .\nx/c . . .']],
  },
  {
    name: 'should enforce policies to check ingress and egress policies can be controlled independently based on PodSelector',
    pods: ['x/a', 'x/b', 'y/a'],
    policies: [
      policy('x/allow-egress-for-target', sel({ pod: 'a' }), { egress: [to()], types: ['Egress'] }),
      policy('x/deny-ingress-via-label-selector', sel({ pod: 'a' }), { ingress: [] }),
    ],
    checks: [['TCP', 80, '- x/a x/b y/a\nx/a X . .\nx/b X . .\ny/a X . .']],
  },
  {
    name: "should not mistakenly treat 'protocol: SCTP' as 'protocol: TCP', even if the plugin doesn't support SCTP",
    pods: ['x/a', 'y/a'],
    policies: [denyIngressX, policy('x/allow-only-sctp-ingress-on-port-81', sel({ pod: 'a' }), { ingress: [from([], [port(81, 'SCTP')])] })],
    checks: [['TCP', 81, '- x/a y/a\nx/a X .\ny/a X .'], ['SCTP', 81, '- x/a y/a\nx/a . .\ny/a . .']],
  },
  {
    name: 'should not allow access by TCP when a policy specifies only UDP',
    pods: ['x/a', 'y/a'],
    policies: [policy('x/allow-only-udp-ingress-on-port-81', sel({ pod: 'a' }), { ingress: [from([], [port(81, 'UDP')])] })],
    checks: [['TCP', 81, '- x/a y/a\nx/a X .\ny/a X .'], ['UDP', 81, '- x/a y/a\nx/a . .\ny/a . .']],
  },
  {
    name: 'should enforce policy based on NamespaceSelector with MatchExpressions using default ns label',
    pods: ['x/a', 'x/b', 'y/a', 'z/a'],
    policies: [policy('x/allow-ns-y-match-selector-for-immutable-ns-label', sel({ pod: 'a' }), {
      egress: [to([{ namespaceSelector: sel({}, [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['y'] }]) }])],
    })],
    checks: [['TCP', 80, '- x/a x/b y/a z/a\nx/a X . X .\nx/b . . . .\ny/a . . . .\nz/a . . . .']],
  },
  {
    name: "UDP: should support a 'default-deny-ingress' policy",
    pods: ['x/a', 'x/b', 'y/a', 'y/b'],
    policies: [denyIngressX],
    checks: [['UDP', 80, '- x/a x/b y/a y/b\nx/a X X . .\nx/b X X . .\ny/a X X . .\ny/b X X . .']],
  },
  {
    name: 'SCTP: should enforce policy based on Ports',
    pods: ['x/a', 'x/b', 'y/a', 'z/a'],
    policies: [policy('x/allow-ingress-on-port-81-ns-x', sel({ pod: 'a' }), { ingress: [from([{ namespaceSelector: nsSel('y') }], [port(81, 'SCTP')])] })],
    checks: [['SCTP', 81, ONLY_Y_TO_XA], ['UDP', 81, ONLY_Y_TO_XA.replace(/y\/a  \./, 'y/a  X')]],
  },
  {
    name: 'UDP: should enforce policy to allow traffic only from a pod in a different namespace based on PodSelector and NamespaceSelector',
    pods: ['x/a', 'x/b', 'y/a'],
    policies: [policy('x/allow-ns-y-pod-a-via-namespace-pod-selector', sel({ pod: 'a' }), { ingress: [from([{ namespaceSelector: nsSel('y'), podSelector: sel({ pod: 'a' }) }])] })],
    checks: [['UDP', 80, '- x/a x/b y/a\nx/a X . .\nx/b X . .\ny/a . . .']],
  },
  {
    name: "netsim's own: endPort opens an inclusive range of numeric ports",
    pods: ['x/a', 'y/a'],
    policies: [policy('x/allow-80-81', sel({ pod: 'a' }), { ingress: [from([], [port(80, 'TCP', 81)])] })],
    checks: [
      ['TCP', 80, '- x/a y/a\nx/a . .\ny/a . .'],
      ['TCP', 81, '- x/a y/a\nx/a . .\ny/a . .'],
      ['TCP', 82, '- x/a y/a\nx/a X .\ny/a X .'],
      ['UDP', 81, '- x/a y/a\nx/a X .\ny/a X .'],
    ],
  },
];

