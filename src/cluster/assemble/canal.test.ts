/**
 * A canal cluster end to end (flannel between nodes, the calico plugin with host-local on the
 * pods, Felix beside flanneld): what the plugins leave on nodes and pods, and the packets of
 * every kind of flow with their replies, traced through the kernel model by the CLI. The kernel
 * itself runs the same scenario in test/kernel/scenario (scenarios/canal.yaml, as root).
 */
import { describe, expect, it } from 'vitest';
import { cli } from '../../../test/helpers/cli.js';
import { vethNameForWorkload } from '../../cni/calico/names.js';

function scenario(backend: 'vxlan' | 'host-gw', extra = ''): string {
  return `apiVersion: netsim.dev/v1alpha1
kind: Cluster
metadata: {name: canal-test}
spec:
  clusterCIDR: 10.244.0.0/16
  serviceCIDR: 10.96.0.0/12
  nodeNetwork: 192.168.56.0/24
  cni: {type: flannel, backend: ${backend}, ipMasq: true}
  networkPolicy: {enforcer: canal}
  nodes: [{name: node-1}, {name: node-2}]
---
apiVersion: v1
kind: Pod
metadata: {name: a}
spec: {nodeName: node-1, containers: [{name: c}]}
---
apiVersion: v1
kind: Pod
metadata: {name: b, labels: {app: b}}
spec: {nodeName: node-1, containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: c, labels: {app: b}}
spec: {nodeName: node-2, containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: svc}
spec: {selector: {app: b}, ports: [{port: 80, targetPort: http}]}
${extra}`;
}

const CALI_A = vethNameForWorkload('default', 'a');
const CALI_C = vethNameForWorkload('default', 'c');

interface Step { readonly type: string; readonly [k: string]: unknown }
interface Leg { readonly hops: readonly { readonly ns: string; readonly steps: readonly Step[] }[]; readonly ending: { readonly disposition: string; readonly ns: string; readonly packet: Record<string, unknown> } }
interface TraceDoc { readonly disposition: string; readonly forward: Leg; readonly reply?: Leg }

async function trace(yaml: string, ...args: string[]): Promise<TraceDoc> {
  const run = await cli(['trace', ...args, '-f', 'c.yaml', '-o', 'json'], { 'c.yaml': yaml });
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as TraceDoc;
}

const stepsOf = (leg: Leg, type: string): { ns: string; step: Step }[] => leg.hops.flatMap((h) => h.steps.filter((s) => s.type === type).map((step) => ({ ns: h.ns, step })));
const rulesIn = (leg: Leg, ns: string): string[] => leg.hops.filter((h) => h.ns === ns).flatMap((h) => h.steps.filter((s) => s.type === 'netfilter').map((s) => String(s['rule'] ?? '')));

async function show(yaml: string, target: string): Promise<string> {
  const run = await cli(['show', target, '-f', 'c.yaml'], { 'c.yaml': yaml });
  expect(run.code, run.stderr).toBe(0);
  return run.stdout;
}

describe('canal: what the plugins leave', () => {
  it("a node: cali veths with /32 routes and permanent neighbours, flannel.1's routes, no cni0", async () => {
    const text = await show(scenario('vxlan'), 'node-1');
    expect(text).not.toMatch(/cni0/);
    expect(text).toContain(`10.244.0.2 dev ${CALI_A} scope link`);
    expect(text).toMatch(new RegExp(`10\\.244\\.0\\.2 dev ${CALI_A} lladdr [0-9a-f:]+ PERMANENT`));
    expect(text).toMatch(new RegExp(`${CALI_A}@if2: .* mtu 1500 [^]*?link/ether ee:ee:ee:ee:ee:ee`));
    expect(text).toContain('10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink');
    expect(text).toMatch(/^:cali-FORWARD - /m);
    expect(text).toMatch(/^:FLANNEL-POSTRTG - /m);
    expect(text).toMatch(/-A cali-nat-outgoing .*--match-set cali40masq-ipam-pools src .*-j MASQUERADE/);
    expect(text).not.toMatch(/tunl0|vxlan\.calico/);
  });

  it("a pod: its host-local address from the node's podCIDR as /32, everything via 169.254.1.1", async () => {
    const text = await show(scenario('vxlan'), 'c');
    expect(text).toContain('inet 10.244.1.2/32 scope global eth0');
    expect(text).toContain('default via 169.254.1.1 dev eth0');
  });

  it('host-gw: the other node\'s podCIDR via its node IP, no flannel.1', async () => {
    const text = await show(scenario('host-gw'), 'node-1');
    expect(text).toContain('10.244.1.0/24 via 192.168.56.12 dev eth0');
    expect(text).not.toMatch(/flannel\.1/);
  });
});

describe.each(['vxlan', 'host-gw'] as const)('canal (%s): packets and their replies', (backend) => {
  const yaml = scenario(backend);

  it('pod → pod on the same node: out of one cali veth, into the other, through Felix\'s dispatch chains', async () => {
    const t = await trace(yaml, 'a', 'b', '--port', '8080');
    expect(t.forward.ending).toMatchObject({ disposition: 'DELIVERED', ns: 'default.b', packet: { src: '10.244.0.2', dst: '10.244.0.3', ttl: 63 } });
    expect(t.reply?.ending).toMatchObject({ disposition: 'DELIVERED', ns: 'default.a' });
    const rules = rulesIn(t.forward, 'node-1');
    expect(rules.some((r) => r.includes(`-i ${CALI_A}`) && r.includes('cali-fw-'))).toBe(true);
    expect(rules.some((r) => r.includes('cali-to-wl-dispatch'))).toBe(true);
    expect(stepsOf(t.forward, 'encap')).toEqual([]);
  });

  it('pod → pod across nodes: flannel carries it (VXLAN on flannel.1, or a plain route for host-gw), Felix lets it in', async () => {
    const t = await trace(yaml, 'a', 'c', '--port', '8080');
    expect(t.forward.ending).toMatchObject({ disposition: 'DELIVERED', ns: 'default.c', packet: { src: '10.244.0.2', dst: '10.244.1.2', ttl: 62 } });
    expect(t.reply?.ending).toMatchObject({ disposition: 'DELIVERED', ns: 'default.a', packet: { src: '10.244.1.2', dst: '10.244.0.2' } });
    const encaps = stepsOf(t.forward, 'encap').map((s) => `${s.ns} ${String(s.step['dev'])}`);
    expect(encaps).toEqual(backend === 'vxlan' ? ['node-1 flannel.1'] : []);
    expect(rulesIn(t.forward, 'node-2').some((r) => r.includes(`-o ${CALI_C}`))).toBe(true);
  });

  it('pod → Service: DNAT to a backend, un-DNAT on the way back', async () => {
    const t = await trace(yaml, 'a', 'svc');
    expect(t.forward.ending.disposition).toBe('DELIVERED');
    expect(['default.b', 'default.c']).toContain(t.forward.ending.ns);
    expect(t.reply?.ending).toMatchObject({ disposition: 'DELIVERED', ns: 'default.a' });
    expect(t.reply?.ending.packet['src']).toMatch(/^10\.9[6-9]\.|^10\.1[01][0-9]\./);
  });

  it("pod → outside: Felix's cali-nat-outgoing masquerades before flannel's FLANNEL-POSTRTG", async () => {
    const t = await trace(yaml, 'a', '203.0.113.10', '--port', '80');
    expect(t.forward.ending).toMatchObject({ disposition: 'EXITS_NETWORK', packet: { src: '192.168.56.11' } });
    const rules = rulesIn(t.forward, 'node-1');
    expect(rules.some((r) => r.includes('-A cali-nat-outgoing') && r.includes('MASQUERADE'))).toBe(true);
    expect(rules.some((r) => r.includes('-A FLANNEL-POSTRTG'))).toBe(false);
  });

  it("a full 1500-byte packet to another node: the pod's MTU is the host's, flannel.1's is 50 less", async () => {
    const t = await trace(yaml, 'a', 'c', '--port', '8080', '--size', '1500');
    if (backend === 'vxlan') expect(t.forward.ending).toMatchObject({ disposition: 'MTU_EXCEEDED', ns: 'node-1' });
    else expect(t.forward.ending.disposition).toBe('DELIVERED');
  });

  it('node → pod on another node, and back', async () => {
    const t = await trace(yaml, 'node-1', 'c', '--port', '8080');
    expect(t.forward.ending).toMatchObject({ disposition: 'DELIVERED', ns: 'default.c' });
    expect(t.reply?.ending).toMatchObject({ disposition: 'DELIVERED', ns: 'node-1' });
  });
});

describe('canal: NetworkPolicy enforced by Felix beside flannel', () => {
  const DENY_B = `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-b, namespace: default}
spec:
  podSelector: {matchLabels: {app: b}}
  policyTypes: [Ingress]
`;
  const yaml = scenario('vxlan', DENY_B);

  it('pods selected by a default-deny ingress policy are unreachable, on the same node and across flannel.1', async () => {
    for (const dst of ['b', 'c']) {
      const t = await trace(yaml, 'a', dst, '--port', '8080');
      expect(t.forward.ending.disposition, dst).toBe('DROPPED');
      expect(t.forward.ending.ns, dst).toBe(dst === 'b' ? 'node-1' : 'node-2');
    }
  });

  it('a pod no policy selects still reaches and is reached; no "not simulated" warning', async () => {
    const run = await cli(['trace', 'c', 'a', '--port', '8080', '-f', 'c.yaml'], { 'c.yaml': yaml });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toContain('SCN_NETPOL_NOT_SIMULATED');
    const t = await trace(yaml, 'c', 'a', '--port', '8080');
    // Pod a listens on nothing: it answers with a reset itself, so the packet got through Felix.
    expect(t.forward.ending).toMatchObject({ disposition: 'REJECTED', ns: 'default.a' });
  });

  it("Felix's policy chain is on every canal node", async () => {
    const text = await show(yaml, 'node-2');
    expect(text).toMatch(/^:cali-pi-/m);
  });
});

describe('canal: an allow rule (test/fixtures/netpol/canal-policies.yaml)', () => {
  const FILE = 'test/fixtures/netpol/canal-policies.yaml';
  it.each([
    ['client', 'web-b', 'DELIVERED'],
    ['client', 'web-a', 'DELIVERED'],
    ['other', 'web-b', 'DROPPED'],
    ['other', 'web-a', 'DROPPED'],
  ])('%s → %s:8080 is %s', async (src, dst, want) => {
    const run = await cli(['trace', src, dst, '--port', '8080', '-f', FILE, '-o', 'json']);
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as TraceDoc).forward.ending.disposition).toBe(want);
  });
});
