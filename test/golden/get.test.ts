/**
 * `netsim get` goldens: every kind, table and `-o wide`, and the `-o yaml` list, on the built-in
 * scenario and on calico-pool-exhaustion.yaml with `strictAffinity: true` (its pod `lonely` gets
 * no sandbox, so `get pods` shows it ContainerCreating without an IP, as kubectl does).
 * Regenerate with `npx vitest run test/golden/get.test.ts -u` and review the diff.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

const KINDS = ['nodes', 'pods', 'services', 'endpointslices'] as const;
const EXHAUSTION = 'scenarios/calico-pool-exhaustion.yaml';
const STRICT = readFileSync(EXHAUSTION, 'utf8').replace(/^  strictAffinity: false$/m, '  strictAffinity: true');

const CASES: readonly { readonly dir: string; readonly args: readonly string[]; readonly files: Record<string, string> }[] = [
  { dir: 'default', args: [], files: {} },
  { dir: 'calico-pool-exhaustion', args: ['-f', EXHAUSTION], files: {} },
  { dir: 'calico-pool-exhaustion', args: ['-f', EXHAUSTION], files: { [EXHAUSTION]: STRICT } },
];

describe.each(CASES)('get on $dir $files', ({ dir, args, files }) => {
  const prefix = Object.keys(files).length > 0 ? 'strict-get' : 'get';
  it.each(KINDS)('%s: table, -o wide and -o yaml', async (kind) => {
    const table = await cli(['get', kind, ...args], files);
    expect(table.code, table.stderr).toBe(0);
    const wide = await cli(['get', kind, '-o', 'wide', ...args], files);
    await expect(`${table.stdout}\n${wide.stdout}`).toMatchFileSnapshot(`${dir}/${prefix}-${kind}.txt`);
    const yaml = await cli(['get', kind, '-o', 'yaml', ...args], files);
    expect(yaml.code, yaml.stderr).toBe(0);
    await expect(yaml.stdout).toMatchFileSnapshot(`${dir}/${prefix}-${kind}.yaml`);
  });
});

describe('a pod without a sandbox', () => {
  it('is ContainerCreating with no IP, Pending with a waiting container in the API object', async () => {
    const wide = await cli(['get', 'pods', '-o', 'wide', '-f', EXHAUSTION], { [EXHAUSTION]: STRICT });
    const lonely = wide.stdout.split('\n').find((l) => l.startsWith('lonely '));
    expect(lonely?.split(/\s{2,}/)).toEqual(['lonely', '0/1', 'ContainerCreating', '0', '<unknown>', '<none>', 'node-3', '<none>', '<none>']);
    const json = await cli(['get', 'pods', '-o', 'json', '-f', EXHAUSTION], { [EXHAUSTION]: STRICT });
    const pod = JSON.parse(json.stdout).items.find((p: { metadata: { name: string } }) => p.metadata.name === 'lonely');
    expect(pod.status.phase).toBe('Pending');
    expect(pod.status.podIP).toBeUndefined();
    expect(pod.status.containerStatuses[0].state).toEqual({ waiting: { reason: 'ContainerCreating' } });
  });
});
