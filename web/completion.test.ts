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
  it('says nothing where the schema has nothing', () => {
    expect(labels('kind: Pod\nspec:\n  nodeName: |')).toBeUndefined();
  });
});
