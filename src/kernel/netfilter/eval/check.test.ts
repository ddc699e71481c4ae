/** Chain traversal: jump, goto, RETURN, falling off a user chain, policies, and the events. */
import { describe, expect, it } from 'vitest';
import { eventsOf, ruleset, tcp, testEnv } from '../../../../test/helpers/nf.js';
import { createNetfilter, FRESH_SKB, loadRuleset, runHook } from '../index.js';
import type { TableSpec } from '../../../../test/helpers/nf.js';

const PKT = tcp('10.0.0.1', 40000, '10.0.0.2', 80);

function run(filter: TableSpec, policy: 'ACCEPT' | 'DROP' = 'ACCEPT') {
  const nf = createNetfilter();
  loadRuleset(nf, ruleset(4, { filter }, { 'filter/INPUT': policy }));
  const env = testEnv({ inDev: 'eth0' });
  const res = runHook(nf, 'INPUT', PKT, FRESH_SKB, env);
  const trail = env.events.flatMap((e) => (e.kind === 'nf-rule' ? [`${e.chain}#${e.position}:${e.verdict}`] : e.kind === 'nf-policy' ? [`${e.chain}:policy ${e.policy}`] : []));
  return { res, trail, env };
}

describe('traversal', () => {
  it('jump and fall off a user chain back to the caller', () => {
    const { res, trail } = run({ INPUT: ['-j A', '-j DROP'], A: ['-p udp -j ACCEPT', '-j LOG --log-prefix "x: "'] });
    expect(trail).toEqual(['INPUT#1:JUMP:A', 'A#2:LOG', 'INPUT#2:DROP']);
    expect(res).toMatchObject({ verdict: 'DROP', decidedBy: 'filter/INPUT#2' });
  });

  it('RETURN from a user chain resumes after the jump', () => {
    const { trail } = run({ INPUT: ['-j A', '-j ACCEPT'], A: ['-j RETURN', '-j DROP'] });
    expect(trail).toEqual(['INPUT#1:JUMP:A', 'A#1:RETURN', 'INPUT#2:ACCEPT']);
  });

  it('goto does not push: RETURN in the target returns to the chain that jumped to the goer', () => {
    const { res, trail } = run({ INPUT: ['-j A', '-j ACCEPT'], A: ['-g B', '-j DROP'], B: ['-j RETURN'] }, 'DROP');
    expect(trail).toEqual(['INPUT#1:JUMP:A', 'A#1:GOTO:B', 'B#1:RETURN', 'INPUT#2:ACCEPT']);
    expect(res.verdict).toBe('ACCEPT');
  });

  it('goto from the built-in chain then end of chain: the policy decides', () => {
    const { res, trail } = run({ INPUT: ['-g A', '-j ACCEPT'], A: [] }, 'DROP');
    expect(trail).toEqual(['INPUT#1:GOTO:A', 'INPUT:policy DROP']);
    expect(res).toMatchObject({ verdict: 'DROP', decidedBy: 'filter/INPUT:policy' });
  });

  it('RETURN in a built-in chain applies the policy', () => {
    const { res, trail } = run({ INPUT: ['-j RETURN', '-j ACCEPT'] }, 'DROP');
    expect(trail).toEqual(['INPUT#1:RETURN', 'INPUT:policy DROP']);
    expect(res.verdict).toBe('DROP');
  });

  it('a rule without target continues (CONTINUE), nested jumps unwind in order', () => {
    const { trail } = run({ INPUT: ['-j A', '-j ACCEPT'], A: ['-p tcp', '-j B', '-j DROP'], B: ['-j C'], C: ['-p udp -j DROP'] });
    expect(trail).toEqual(['INPUT#1:JUMP:A', 'A#1:CONTINUE', 'A#2:JUMP:B', 'B#1:JUMP:C', 'A#3:DROP']);
  });

  it('REJECT carries --reject-with', () => {
    const { res } = run({ INPUT: ['-p tcp -j REJECT --reject-with tcp-reset'] });
    expect(res).toMatchObject({ verdict: 'REJECT', rejectWith: 'tcp-reset', decidedBy: 'filter/INPUT#1' });
  });

  it('emits nf-hook for the table and nf-rule with the iptables-save text', () => {
    const { env } = run({ INPUT: ['-s 10.0.0.0/8 -p tcp -m comment --comment "allow web" -m tcp --dport 80 -j ACCEPT'] });
    expect(eventsOf(env.events, 'nf-hook')).toEqual([{ kind: 'nf-hook', ns: 'test', hook: 'INPUT', table: 'filter', family: 4 }]);
    expect(eventsOf(env.events, 'nf-rule')[0]).toMatchObject({
      table: 'filter',
      chain: 'INPUT',
      position: 1,
      rule: '-A INPUT -s 10.0.0.0/8 -p tcp -m comment --comment "allow web" -m tcp --dport 80 -j ACCEPT',
      verdict: 'ACCEPT',
    });
  });

  it('rules that do not match emit nothing; an empty built-in chain reports its policy', () => {
    const { trail } = run({ INPUT: ['-p udp -j DROP'] });
    expect(trail).toEqual(['INPUT:policy ACCEPT']);
  });

  it('a namespace without tables accepts without events', () => {
    const nf = createNetfilter();
    const env = testEnv();
    expect(runHook(nf, 'FORWARD', PKT, FRESH_SKB, env).verdict).toBe('ACCEPT');
    expect(env.events.filter((e) => e.kind.startsWith('nf-'))).toEqual([]);
  });

  it('a jump to a missing chain is an internal error', () => {
    expect(() => run({ INPUT: ['-j NOPE'] })).toThrow(/missing chain NOPE/);
  });
});
