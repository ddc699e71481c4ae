/** `netsim get`: kubectl's columns, namespaces, spellings and outputs over the built cluster. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nodeRoles } from '../../src/app/get/index.js';
import { cli } from '../helpers/cli.js';

const SHOP = `apiVersion: v1
kind: Pod
metadata: {name: api, namespace: shop, labels: {app: api}}
spec: {nodeName: node-1, containers: [{name: api, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec: {type: NodePort, selector: {app: api}, ports: [{port: 80, targetPort: 8080, nodePort: 30080}]}
`;

/** The built-in scenario plus a `shop` namespace with a pod and a NodePort Service. */
async function withShop(args: string[]) {
  const text = `${readFileSync('scenarios/default.yaml', 'utf8')}\n---\n${SHOP}`;
  return cli([...args, '-f', 'shop.yaml'], { 'shop.yaml': text });
}

describe('netsim get', () => {
  it('lists the default namespace without -n, as kubectl', async () => {
    const run = await withShop(['get', 'pods']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe('NAME    READY   STATUS    RESTARTS   AGE');
    expect(run.stdout).not.toContain('api');
  });

  it('-n lists one namespace; -A adds the NAMESPACE column and wins over -n', async () => {
    const shop = await withShop(['get', 'svc', '-n', 'shop']);
    const [header, row, end] = shop.stdout.split('\n');
    expect(header?.split(/ {3,}/)).toEqual(['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
    expect(row?.split(/ {3,}/)).toEqual(['api', 'NodePort', expect.stringMatching(/^10\.96\.0\.\d+$/), '<none>', '80:30080/TCP', '<unknown>']);
    expect(end).toBe('');
    const all = await withShop(['get', 'services', '-A', '-n', 'shop']);
    expect(all.stdout.split('\n')[0]).toMatch(/^NAMESPACE +NAME +TYPE +CLUSTER-IP +EXTERNAL-IP +PORT\(S\) +AGE$/);
    expect(all.stdout).toMatch(/^default +kubernetes /m);
    expect(all.stdout).toMatch(/^shop +api /m);
  });

  it('nodes are cluster-scoped: no NAMESPACE column with -A', async () => {
    const run = await cli(['get', 'no', '-A']);
    expect(run.stdout.split('\n')[0]).toBe('NAME     STATUS   ROLES    AGE         VERSION');
  });

  it('says "No resources found" on stderr for an empty namespace, and succeeds', async () => {
    const run = await cli(['get', 'pods', '-n', 'empty']);
    expect(run).toEqual({ code: 0, stdout: '', stderr: 'No resources found in empty namespace.\n' });
  });

  it('-o json is a v1 List of API objects with sorted keys', async () => {
    const run = await withShop(['get', 'po', '-o', 'json', '-n', 'shop']);
    expect(run.code, run.stderr).toBe(0);
    const list = JSON.parse(run.stdout);
    expect(Object.keys(list)).toEqual(['apiVersion', 'items', 'kind', 'metadata']);
    expect(list.kind).toBe('List');
    const pod = list.items[0];
    expect(Object.keys(pod)).toEqual(['apiVersion', 'kind', 'metadata', 'spec', 'status']);
    expect(pod.status).toMatchObject({ phase: 'Running', hostIP: '192.168.56.11', podIPs: [{ ip: pod.status.podIP }] });
    expect(run.stdout).toMatch(/^ {4}"apiVersion"/m); // kubectl indents JSON by four spaces
  });

  it('-o yaml of a NodePort Service has its clusterIP and nodePort', async () => {
    const run = await withShop(['get', 'service', '-o', 'yaml', '-n', 'shop']);
    expect(run.stdout).toContain('    - nodePort: 30080\n      port: 80\n      protocol: TCP\n      targetPort: 8080\n');
    expect(run.stdout).toMatch(/^ {4}clusterIP: 10\.96\.0\.\d+$/m);
  });

  it('node -o yaml has spec.podCIDRs and status.addresses', async () => {
    const run = await cli(['get', 'node', '-o', 'yaml']);
    expect(run.stdout).toContain('    podCIDRs:\n    - 10.244.0.0/24\n');
    expect(run.stdout).toContain('    - address: 192.168.56.11\n      type: InternalIP\n');
  });

  it('refuses a kind it does not list, with a usage error', async () => {
    const run = await cli(['get', 'ingresses']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Invalid values');
  });
});

describe('nodeRoles (kubectl findNodeRoles)', () => {
  it.each([
    [{}, '<none>'],
    [{ 'node-role.kubernetes.io/control-plane': '' }, 'control-plane'],
    [{ 'node-role.kubernetes.io/worker': 'true', 'node-role.kubernetes.io/control-plane': '' }, 'control-plane,worker'],
    [{ 'kubernetes.io/role': 'master' }, 'master'],
    [{ 'node-role.kubernetes.io/': '' }, '<none>'],
  ])('%j → %s', (labels, want) => {
    expect(nodeRoles(labels)).toBe(want);
  });
});

describe('-o yaml loads back', () => {
  it('the nodes, pods and services of the built-in scenario, under its Cluster document, build the same cluster', async () => {
    const clusterDoc = readFileSync('scenarios/default.yaml', 'utf8').split('\n---\n')[0]!.replace(/ {2}nodes:\n {4}- name: node-1\n {4}- name: node-2/, '');
    const kinds = ['nodes', 'pods', 'services'];
    const lists = await Promise.all(kinds.map(async (k) => (await cli(['get', k, '-o', 'yaml'])).stdout));
    const piped = [clusterDoc, ...lists].join('\n---\n');
    for (const kind of kinds) {
      const before = await cli(['get', kind, '-o', 'wide']);
      const after = await cli(['get', kind, '-o', 'wide', '-f', '-'], {}, {}, piped);
      expect(after.stderr).toBe('');
      expect(after.stdout).toBe(before.stdout);
    }
  });
});
