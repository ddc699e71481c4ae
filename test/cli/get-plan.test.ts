/** `get` from the address plan lists exactly what it lists from the built cluster, on every example scenario. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GET_KINDS, type GetOutput, getText, getView } from '../../src/app/get/index.js';
import { loadAndBuild } from '../../src/app/scenario.js';
import { goldenScenarios } from '../helpers/scenarios.js';

describe.each(goldenScenarios())('get on %s', (name) => {
  it('planned and built listings are equal, every kind and output', () => {
    const files = [{ path: `scenarios/${name}`, text: readFileSync(`scenarios/${name}`, 'utf8') }];
    const built = loadAndBuild(files).built;
    expect(built).toBeDefined();
    const planned = getView(built!.spec);
    if (planned === undefined) return; // calico: get builds
    for (const kind of GET_KINDS) {
      for (const output of [undefined, 'wide', 'json'] as (GetOutput | undefined)[]) {
        const opts = { kind, allNamespaces: true, ...(output === undefined ? {} : { output }) };
        expect(getText(planned, opts), `${kind} -o ${output ?? 'table'}`).toEqual(getText(built!, opts));
      }
    }
  });
});
