/**
 * Calico on an IPv6 cluster, end to end through the CLI: the conflist asks calico-ipam for IPv6
 * only (`assign_ipv4: "false"`, `assign_ipv6: "true"`), pods get /128s from /122 blocks, and
 * VXLAN runs over vxlan-v6.calico (VNI 4096, the node's IPv6 address outside).
 */
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

const V6 = `apiVersion: netsim.dev/v1alpha1
kind: Cluster
metadata: {name: calico-v6}
spec:
  clusterCIDR: fd00:10:244::/56
  serviceCIDR: fd00:10:96::/112
  nodeNetwork: fd00:56::/64
  cni: {type: calico}
  nodes: [{name: node-1}, {name: node-2}]
---
apiVersion: projectcalico.org/v3
kind: IPPool
metadata: {name: v6}
spec: {cidr: fd00:10:244::/64, vxlanMode: Always}
---
apiVersion: v1
kind: Pod
metadata: {name: a}
spec: {nodeName: node-1, containers: [{name: c, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: b}
spec: {nodeName: node-2, containers: [{name: c, ports: [{containerPort: 80}]}]}
`;

describe('calico on IPv6', () => {
  it('a pod reaches a pod on the other node through vxlan-v6.calico', async () => {
    const run = await cli(['trace', 'a', 'b', '-f', 'v6.yaml'], { 'v6.yaml': V6 });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('trace pod default/a → pod default/b: tcp [fd00:10:244::1]:40000 → [fd00:10:244::41]:80');
    expect(run.stdout).toContain('encap      vxlan-v6.calico: vxlan fd00:56::11:');
    expect(run.stdout).toContain('result  DELIVERED');
  });

  it('pods hold /128 addresses behind the host veth link-local', async () => {
    const run = await cli(['show', 'a', 'all', '-f', 'v6.yaml'], { 'v6.yaml': V6 });
    expect(run.stdout).toContain('inet6 fd00:10:244::1/128 scope global');
    expect(run.stdout).toContain('default via fe80::ecee:eeff:feee:eeee dev eth0');
  });
});
