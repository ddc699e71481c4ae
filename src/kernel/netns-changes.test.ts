import { describe, expect, it } from 'vitest';
import { addSandboxShell } from './deferred-sandbox.js';
import { routeWatchers, watchRoutes } from './netns-changes.js';
import { emptyIndex } from './route/prefix-index.js';
import { TABLE_LOCAL } from './route/types.js';
import type { World } from './world.js';

describe('watchRoutes', () => {
  it('lists each watching namespace once', () => {
    const ix = emptyIndex(4);
    for (const name of ['a', 'b', 'a', 'c', 'b']) watchRoutes(ix, name);
    expect(routeWatchers(ix)).toEqual(['a', 'b', 'c']);
  });

  it('keeps no list for a frozen index, which nothing can write', () => {
    const ix = Object.freeze(emptyIndex(6));
    for (let i = 0; i < 1000; i++) watchRoutes(ix, `ns-${i}`);
    expect(routeWatchers(ix)).toEqual([]);
  });

  // Every shell shares one local table: watching it under each shell's name grew one list with
  // every shell a trace's ARP/ND looked at (a 5,000-node trace went 10 → 55 ms).
  it("keeps no list for the local table the sandbox shells share", () => {
    const world: World = { netns: {} };
    const shells = Array.from({ length: 50 }, (_, i) => addSandboxShell(world, `default/pod-${i}`));
    for (const shell of shells) {
      const local = shell.tables[TABLE_LOCAL];
      if (local === undefined) throw new Error('a shell without a local table');
      watchRoutes(local.v4, shell.name);
      watchRoutes(local.v6, shell.name);
    }
    const local = shells[0]?.tables[TABLE_LOCAL];
    expect(local?.v4).toBe(shells[49]?.tables[TABLE_LOCAL]?.v4);
    expect(routeWatchers(local?.v4 ?? {})).toEqual([]);
    expect(routeWatchers(local?.v6 ?? {})).toEqual([]);
  });
});
