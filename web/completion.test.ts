import { describe, expect, it } from 'vitest';
import { scenarioJsonSchema } from '../src/scenario/schema.js';
import { type SchemaNode, completeScenario, pathToLast } from './completion.js';

const SCHEMA = scenarioJsonSchema() as SchemaNode;

/** Completes where `|` stands and returns the labels. */
function labels(text: string): string[] | undefined {
  const at = text.indexOf('|');
  return completeScenario(SCHEMA, text.replace('|', ''), at)?.options.map((o) => o.label);
}

describe('pathToLast', () => {
  it.each([
    [['spec:', '  cni:', '    type: x'], ['spec', 'cni', 'type']],
    [['spec:', '  nodes:', '  - name: a', '    k: x'], ['spec', 'nodes', '[]', 'k']],
    [['spec:', '  containers:', '    - name: a', '      ports:', '        - k: x'], ['spec', 'containers', '[]', 'ports', '[]', 'k']],
    [['metadata:', '  name: a', 'spec:', '  # a comment', '', '  k: x'], ['spec', 'k']],
    [['k: x'], ['k']],
  ])('%j → %j', (lines, want) => {
    expect(pathToLast(lines)).toEqual(want);
  });
});

describe('completeScenario', () => {
  it('offers the fields of a Pod spec', () => {
    const got = labels('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  node|');
    expect(got).toContain('nodeName');
    expect(got).toContain('containers');
    expect(got).not.toContain('clusterIP');
  });
  it('offers the fields of a container port inside lists', () => {
    const got = labels('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    ports:\n    - |');
    expect(got).toContain('containerPort');
  });
  it('offers enum values after a key', () => {
    const got = labels('apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  type: |');
    expect(got).toEqual(expect.arrayContaining(['ClusterIP', 'NodePort', 'LoadBalancer']));
  });
  it('offers the kinds after kind:', () => {
    expect(labels('apiVersion: v1\nkind: |')).toEqual(expect.arrayContaining(['Pod', 'Service', 'Cluster']));
  });
  it('reads the kind of the document under the cursor, not the first one', () => {
    const got = labels('kind: Cluster\nspec:\n  nodes: []\n---\nkind: Service\nspec:\n  |');
    expect(got).toContain('selector');
    expect(got).not.toContain('nodes');
  });
  it('offers the Calico kinds, their apiVersions and IPPool fields', () => {
    expect(labels('apiVersion: projectcalico.org/v3\nkind: |')).toEqual(expect.arrayContaining(['IPPool', 'IPAMConfiguration', 'IPAMConfig', 'FelixConfiguration']));
    expect(labels('kind: IPPool\napiVersion: |')).toEqual(['projectcalico.org/v3', 'crd.projectcalico.org/v1']);
    const spec = labels('apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: {name: p}\nspec:\n  |');
    expect(spec).toEqual(expect.arrayContaining(['cidr', 'blockSize', 'ipipMode', 'vxlanMode', 'natOutgoing', 'nodeSelector', 'disabled']));
    expect(labels('kind: IPPool\nspec:\n  ipipMode: |')).toEqual(['Always', 'CrossSubnet', 'Never']);
    expect(labels('kind: IPAMConfiguration\nspec:\n  |')).toEqual(expect.arrayContaining(['strictAffinity', 'maxBlocksPerHost']));
    expect(labels('kind: FelixConfiguration\nspec:\n  |')).toEqual(['natOutgoingAddress']);
  });
  it('offers calico as a cni type, and its mtu', () => {
    expect(labels('kind: Cluster\nspec:\n  cni:\n    type: |')).toEqual(expect.arrayContaining(['bridge', 'flannel', 'calico']));
    expect(labels('kind: Cluster\nspec:\n  cni:\n    |')).toContain('mtu');
  });
  it('says nothing where the schema has nothing', () => {
    expect(labels('kind: Pod\nspec:\n  nodeName: |')).toBeUndefined();
  });
});
