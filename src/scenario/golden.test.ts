import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatCidr, formatIp } from '../addr/index.js';
import { assignPodIps } from '../cluster/allocate/index.js';
import { reconcileEndpointSlices } from '../cluster/controllers/index.js';
import { type ClusterSpec, type CniConfig, type EndpointSlice, objectKey } from '../cluster/objects.js';
import { loadScenario } from './load.js';
import { goldenScenarios } from '../../test/helpers/scenarios.js';

/** What a scenario resolves to, one line per object: allocation made visible for review. */
function summarize(spec: ClusterSpec): string {
  const plan = assignPodIps(spec.nodes, spec.pods, spec.cluster.cni);
  const pods = spec.pods.map((pod) => ({ pod, ips: plan.ips.get(objectKey(pod)) ?? [] }));
  const slices = reconcileEndpointSlices({ services: spec.services, pods, provided: spec.endpointSlices });
  const c = spec.cluster;
  return [
    `cluster ${c.name} pods ${formatCidr(c.clusterCIDR)} (per node /${c.nodeCIDRMaskSize}) services ${formatCidr(c.serviceCIDR)} nodes ${formatCidr(c.nodeNetwork)} cni ${c.cni.type} proxy ${c.kubeProxy.mode}`,
    ...(c.secondary === undefined ? [] : [`dual-stack pods ${formatCidr(c.secondary.clusterCIDR)} (per node /${c.secondary.nodeCIDRMaskSize}) services ${formatCidr(c.secondary.serviceCIDR)} nodes ${formatCidr(c.secondary.nodeNetwork)}`]),
    ...calicoLines(c.cni),
    ...spec.namespaces.map((n) => `namespace ${n.name}`),
    ...spec.nodes.map((n) => `node ${n.name} ${n.internalIPs.map(formatIp).join()} podCIDR ${n.podCIDRs.map(formatCidr).join()}`),
    ...pods.map(({ pod, ips }) => `pod ${objectKey(pod)} on ${pod.nodeName} (${pod.scheduledBy}) ${ips.map(formatIp).join() || '-'}${pod.ready ? '' : ' not-ready'}${pod.owner === undefined ? '' : ` owner ${pod.owner.kind}/${pod.owner.name}`}${pod.dns?.hostname === undefined ? '' : ` hostname ${pod.dns.hostname}.${pod.dns.subdomain ?? ''}`}`),
    ...spec.services.map((s) => `service ${objectKey(s)} ${s.type} ${s.headless ? 'headless' : s.clusterIPs.map(formatIp).join() || '-'}${c.secondary === undefined ? '' : ` ${s.ipFamilyPolicy ?? '-'}`} ${s.ports.map((p) => `${p.name || '-'}:${p.port}/${p.protocol}->${p.targetPort}${p.nodePort === undefined ? '' : ` node:${p.nodePort}`}`).join(' ')}`),
    ...slices.map(sliceLine),
    ...(spec.workloads ?? []).map((w) => `${w.kind} ${objectKey(w)} replicas ${w.kind === 'DaemonSet' ? '-' : w.replicas}${w.podTemplateHash === undefined ? '' : ` pod-template-hash ${w.podTemplateHash}`}`),
    ...(spec.replicaSets ?? []).map((rs) => `ReplicaSet ${objectKey(rs)}${rs.deployment === undefined ? '' : ` of Deployment ${rs.deployment}`}`),
  ].join('\n') + '\n';
}

/** Calico's configuration, for calico clusters only (the other goldens do not change). */
function calicoLines(cni: CniConfig): string[] {
  if (cni.type !== 'calico') return [];
  const felix = cni.felix.natOutgoingAddress === undefined ? '-' : formatIp(cni.felix.natOutgoingAddress);
  return [
    `calico mtu ${cni.mtu} strictAffinity ${cni.ipam.strictAffinity} maxBlocksPerHost ${cni.ipam.maxBlocksPerHost} natOutgoingAddress ${felix}`,
    ...cni.ipPools.map((p) => `ippool ${p.name} ${formatCidr(p.cidr)} block /${p.blockSize} ipip ${p.ipipMode} vxlan ${p.vxlanMode} natOutgoing ${p.natOutgoing} nodeSelector ${p.nodeSelector}${p.disabled ? ' disabled' : ''}`),
  ];
}

function sliceLine(s: EndpointSlice): string {
  const eps = s.endpoints.map((e) => `${e.addresses.map(formatIp).join()}@${e.nodeName ?? '-'}${e.conditions.ready ? '' : '(not ready)'}`);
  return `slice ${s.namespace}/${s.name} (${s.origin}) for ${s.serviceName} ${s.addressType} [${s.ports.map((p) => `${p.name || '-'}:${p.port}`).join(' ')}] ${eps.join(' ') || '(no endpoints)'}`;
}

describe('example scenarios resolve to the committed golden summaries', () => {
  it.each(goldenScenarios())('%s', async (name) => {
    const path = `scenarios/${name}`;
    const { value } = loadScenario([{ path, text: readFileSync(path, 'utf8') }]);
    expect(value).toBeDefined();
    await expect(summarize(value!)).toMatchFileSnapshot(`golden/${name.replace(/\.yaml$/, '.txt')}`);
  });
});

describe('a Calico configuration as users paste it resolves to its golden summary', () => {
  it('test/fixtures/calico/config.yaml', async () => {
    const path = 'test/fixtures/calico/config.yaml';
    const { value, diagnostics } = loadScenario([{ path, text: readFileSync(path, 'utf8') }]);
    expect(diagnostics.map((d) => `${d.code}@${d.pos?.line}:${d.pos?.col}`)).toEqual([]);
    await expect(summarize(value!)).toMatchFileSnapshot('golden/calico-config.txt');
  });
});
