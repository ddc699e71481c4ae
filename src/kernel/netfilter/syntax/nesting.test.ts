/**
 * Chain loops and nesting depth, refused at load with the line (and column) of the rule the
 * kernel names. Expected answers were taken from iptables-restore v1.8.9 (nf_tables) in a
 * namespace; test/kernel/iptables-restore.diff.test.ts checks them against the kernel.
 */
import { describe, expect, it } from 'vitest';
import { parseIptablesSave } from './index.js';

/** A filter table: declarations, then rule lines. */
function filter(chains: readonly string[], rules: readonly string[]): string {
  return ['*filter', ':INPUT ACCEPT [0:0]', ...chains.map((c) => `:${c} - [0:0]`), ...rules, 'COMMIT', ''].join('\n');
}

/** INPUT → C1 → … → Cn (with `base`), each by jump or goto. */
function ladder(n: number, opts: { base: boolean; goto?: boolean }): string {
  const names = Array.from({ length: n }, (_, i) => `C${i + 1}`);
  const rules = names.slice(0, -1).map((c, i) => `-A ${c} ${opts.goto === true ? '-g' : '-j'} C${i + 2}`);
  return filter(names, [...(opts.base ? ['-A INPUT -j C1'] : []), ...rules, `-A C${n} -j ACCEPT`]);
}

function errors(text: string): Array<{ code: string; line: number | undefined; col: number | undefined; message: string }> {
  return parseIptablesSave(text, { file: 'f' }).diagnostics.map((d) => ({ code: d.code, line: d.pos?.line, col: d.pos?.col, message: d.message }));
}

describe('chain loops', () => {
  it.each([
    ['a chain jumping to itself', filter(['A'], ['-A INPUT -j A', '-A A -j A']), 5, 'INPUT → A → A'],
    ['A → B → A', filter(['A', 'B'], ['-A INPUT -j A', '-A A -j B', '-A B -j A']), 7, 'INPUT → A → B → A'],
    ['a goto loop', filter(['A', 'B'], ['-A INPUT -j A', '-A A -g B', '-A B -g A']), 7, 'A → B → A'],
    ['rules that can never both match', filter(['A', 'B'], ['-A INPUT -j A', '-A A -p tcp -j B', '-A B -p udp -j A']), 7, 'A → B → A'],
    ['the base chain jump comes last', filter(['A', 'B'], ['-A A -j B', '-A B -j A', '-A A -j ACCEPT', '-A INPUT -j A', '-A INPUT -j ACCEPT']), 8, 'INPUT → A → B → A'],
  ])('refuses %s at the rule that closes it', (_name, text, line, path) => {
    const e = errors(text);
    const col = /-[jg] /.exec(text.split('\n')[line - 1] ?? '')?.index;
    expect(e).toHaveLength(1);
    expect(e[0]).toMatchObject({ code: 'IPT_CHAIN_LOOP', line, col: (col ?? -9) + 1 });
    expect(e[0]?.message).toContain(path);
  });

  it.each([
    ['a loop no base chain reaches', filter(['A', 'B'], ['-A A -j B', '-A B -j A'])],
    ['a self-jump no base chain reaches', filter(['A'], ['-A A -j A'])],
    ['a loop whose closing rule is flushed later', filter(['A'], ['-A INPUT -j A', '-A A -j A', '-F A'])],
  ])('loads %s, as the kernel does', (_name, text) => {
    expect(errors(text)).toEqual([]);
  });

  it('points the column at the -j word, past a quoted comment that contains one', () => {
    const e = errors(filter(['A'], ['-A INPUT -j A', '-A A -m comment --comment "x -j y" --jump A']));
    expect(e[0]).toMatchObject({ code: 'IPT_CHAIN_LOOP', line: 5, col: 36 });
  });
});

describe('nesting depth', () => {
  it('loads 15 jumps below a base chain and refuses 16, at the rule that makes the 16th', () => {
    expect(errors(ladder(15, { base: true }))).toEqual([]);
    const e = errors(ladder(16, { base: true }));
    expect(e).toHaveLength(1);
    expect(e[0]).toMatchObject({ code: 'IPT_CHAIN_TOO_DEEP', line: 34 });
    expect(e[0]?.message).toMatch(/-j C16: chain C16 would be 16 jumps below INPUT .*at most 15/);
  });

  it('counts goto like jump', () => {
    expect(errors(ladder(15, { base: true, goto: true }))).toEqual([]);
    expect(errors(ladder(16, { base: true, goto: true }))[0]?.code).toBe('IPT_CHAIN_TOO_DEEP');
  });

  it('loads any depth no base chain reaches, without deep recursion', () => {
    expect(errors(ladder(5000, { base: false }))).toEqual([]);
  });

  it('refuses a deep ladder reached from a base chain quickly', () => {
    const e = errors(ladder(5000, { base: true }));
    expect(e.map((d) => d.code)).toEqual(['IPT_CHAIN_TOO_DEEP']);
  });

  it('loads a lattice of 2^14 paths, 14 jumps deep, walking each chain once (memoised heights)', () => {
    const layers = 14;
    const width = 2;
    const name = (l: number, i: number): string => `L${l}_${i}`;
    const chains: string[] = [];
    const rules: string[] = [];
    for (let l = 0; l < layers; l++) {
      for (let i = 0; i < width; i++) {
        chains.push(name(l, i));
        if (l === 0) rules.push(`-A INPUT -j ${name(l, i)}`);
        if (l + 1 < layers) for (let j = 0; j < width; j++) rules.push(`-A ${name(l, i)} -j ${name(l + 1, j)}`);
      }
    }
    expect(errors(filter(chains, rules))).toEqual([]);
  });
});

describe('jump targets', () => {
  it('refuses a jump to a chain declared after the rule, as iptables-nft-restore does', () => {
    const e = errors(['*filter', ':A - [0:0]', '-A A -j B', ':B - [0:0]', 'COMMIT', ''].join('\n'));
    expect(e).toEqual([{ code: 'IPT_UNKNOWN_CHAIN', line: 3, col: 6, message: expect.stringContaining('declared on line 4') }]);
  });
});

describe('walk length', () => {
  it('refuses, as not modelled, a lattice whose full walk enters chains more often than netsim traces', () => {
    const layers = 7;
    const width = 8;
    const name = (l: number, i: number): string => `L${l}_${i}`;
    const chains: string[] = [];
    const rules: string[] = [];
    for (let l = 0; l < layers; l++) {
      for (let i = 0; i < width; i++) {
        chains.push(name(l, i));
        if (l === 0) rules.push(`-A INPUT -j ${name(l, i)}`);
        if (l + 1 < layers) for (let j = 0; j < width; j++) rules.push(`-A ${name(l, i)} -j ${name(l + 1, j)}`);
      }
    }
    const e = errors(filter(chains, rules));
    expect(e.map((d) => d.code)).toEqual(['IPT_CHAIN_WALK_TOO_LONG']);
    expect(e[0]?.message).toContain('not modelled');
  });
});
