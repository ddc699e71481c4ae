/**
 * Property: a node's kube-proxy tables restored as a difference from the shared base
 * (proxy-delta.ts) are the eager build's, which restores each node's payload text: the rulesets
 * as data, and every chain name looked up through the layout's index (state.ts findChain)
 * answers what a lookup in the eager table answers, for the names of every node's tables (a
 * chain one node drops must not be found there). Most restores take the delta's way.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rulesets } from '../../../test/helpers/lazy-build.js';
import { build, clusterArb, scenario } from '../../../test/helpers/random-cluster.js';
import { getNetns } from '../../kernel/world.js';
import { findChain } from '../../kernel/netfilter/state.js';

/** A chain as data, without the payload lines its rules were read from. */
const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v ?? null, (k, x: unknown) => (k === 'line' ? undefined : typeof x === 'bigint' ? String(x) : x)));

describe('kube-proxy restores as a delta of the shared base (property)', () => {
  it('give the eager tables and the same chain lookups', () => {
    const paths = { delta: 0, full: 0 };
    fc.assert(
      fc.property(clusterArb, (c) => {
        const text = scenario(c);
        const eager = build(text, true);
        const lazy = build(text, false, { onKubeProxyRestore: (_n, _f, path) => void paths[path]++ });
        const names = new Set<string>(['KUBE-SVC-NOTTHERE', 'INPUT']);
        for (const n of eager.spec.nodes) {
          for (const fam of [4, 6] as const) {
            for (const t of getNetns(eager.world, n.name).netfilter.rulesets[fam].tables) for (const ch of t.chains) names.add(ch.name);
          }
        }
        for (const n of eager.spec.nodes) {
          expect(rulesets(lazy, n.name)).toEqual(rulesets(eager, n.name));
          for (const fam of [4, 6] as const) {
            const mine = getNetns(lazy.world, n.name).netfilter.rulesets[fam].tables;
            const theirs = getNetns(eager.world, n.name).netfilter.rulesets[fam].tables;
            for (const t of theirs) {
              const lt = mine.find((x) => x.name === t.name);
              if (lt === undefined) throw new Error(`table ${t.name} missing`);
              for (const name of names) expect(plain(findChain(lt, name)), `${n.name} ${fam} ${t.name} ${name}`).toEqual(plain(findChain(t, name)));
            }
          }
        }
      }),
      { numRuns: 30 },
    );
    expect(paths.delta).toBeGreaterThan(paths.full);
  });
});
