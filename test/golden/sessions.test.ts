/**
 * Goldens for `netsim trace … --then STEP` and `--session FILE`, one session per step kind, on
 * scenarios/sessions.yaml, and for `netsim show NODE conntrack|neigh --after-trace`: the state a
 * session leaves behind. Regenerate with `npx vitest run test/golden/sessions.test.ts -u`.
 */
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

const F = ['-f', 'scenarios/sessions.yaml'];

/** name → the words after `netsim trace`. */
const SESSIONS: readonly (readonly [string, readonly string[]])[] = [
  ['again-affinity', ['client', 'sticky', '--then', 'again']],
  ['wait-affinity-expires', ['client', 'sticky', '--then', 'wait 61s', '--then', 'again']],
  ['retransmit-reply-send', ['client', 'web', '--no-reply', '--then', 'retransmit', '--then', 'reply', '--then', 'send']],
  ['wait-syn-sent-expires', ['client', 'web', '--no-reply', '--then', 'wait 121s', '--then', 'retransmit']],
  ['to-and-from', ['client', 'web', '--then', 'to dns', '--then', 'from web-1 to sticky']],
  ['delete-pod-tcp-stale', ['client', 'web', '--then', 'send', '--then', 'delete pod web-2', '--then', 'send', '--then', 'again']],
  ['delete-pod-udp-cleanup', ['client', 'dns', '--then', 'delete pod dns-2', '--then', 'send']],
];

describe('netsim trace --then', () => {
  it.each(SESSIONS)('%s', async (name, words) => {
    const r = await cli(['trace', ...words, ...F]);
    expect(r.code, r.stderr).toBe(0);
    await expect(r.stdout).toMatchFileSnapshot(`sessions/${name}.txt`);
  });

  it('--session FILE, as JSON: an array of netsim.trace-step/v1 steps', async () => {
    const r = await cli(['trace', 'client', 'sticky', '--session', 'test/golden/sessions/affinity.session.yaml', '-o', 'json', ...F]);
    expect(r.code, r.stderr).toBe(0);
    await expect(r.stdout).toMatchFileSnapshot('sessions/affinity-session.json');
    const doc = JSON.parse(r.stdout) as { schema: string; kind: string; trace?: { schema: string } }[];
    expect(doc.map((s) => s.kind)).toEqual(['connect', 'connect', 'wait', 'connect']);
    expect(doc.every((s) => s.schema === 'netsim.trace-step/v1')).toBe(true);
    expect(doc[0]?.trace?.schema).toBe('netsim.trace/v1');
  });

  it('a session file and --then steps give the same session', async () => {
    const file = await cli(['trace', 'client', 'sticky', '--session', 'test/golden/sessions/affinity.session.yaml', ...F]);
    const then = await cli(['trace', 'client', 'sticky', '--then', 'again', '--then', 'wait 61s', '--then', 'again', ...F]);
    expect(file.stdout).toBe(then.stdout);
  });

  it('--then may come before SRC DST, and a single --then is one step', async () => {
    const before = await cli(['trace', '--then', 'again', 'client', 'sticky', ...F]);
    const after = await cli(['trace', 'client', 'sticky', '--then', 'again', ...F]);
    expect(before.code, before.stderr).toBe(0);
    expect(before.stdout).toBe(after.stdout);
  });

  it('a bad step is refused before anything is traced, with its position and code', async () => {
    const r = await cli(['trace', 'client', 'web', '--then', 'again', '--then', 'wait 5x', ...F]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('--then[2]:1:6: error[SESSION_BAD_STEP]: "5x" is not a duration: write a whole number with a unit, e.g. 130s, 2m, 1h30m, 5d\n  |\n1 | wait 5x\n  |      ^\n');
    const f = await cli(['trace', 'client', 'web', '--session', 's.yaml', ...F], { 's.yaml': '- again\n- delete pod nosuch\n' });
    expect(f.code).toBe(1);
    expect(f.stderr).toMatch(/^s\.yaml:2:3: error\[SESSION_STEP_REFUSED\]: no pod called nosuch/);
  });

  it('-o html: the first connection drawn, the later steps below it', async () => {
    const r = await cli(['trace', 'client', 'web', '--then', 'send', '-o', 'html', ...F]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('<section class="session"><h2>then</h2><pre>=== step 2 (t=0s): send');
    expect(r.stdout).toContain('<svg');
  });
});

/** name → the words after `netsim show`. */
const SHOWN: readonly (readonly [string, readonly string[]])[] = [
  ['node-1-conntrack-established', ['node-1', 'conntrack', '--after-trace', 'client', 'web', '--then', 'send']],
  ['node-2-neigh', ['node-2', 'neigh', '--after-trace', 'client', 'web']],
  ['node-1-conntrack-udp-cleaned', ['node-1', 'conntrack', '--after-trace', 'client', 'dns', '--then', 'wait 10s', '--then', 'delete pod dns-2', '--then', 'send']],
  ['node-1-conntrack-unreplied', ['node-1', 'conntrack', '--after-trace', 'client', 'dns', '--no-reply', '--then', 'wait 10s']],
];

describe('netsim show --after-trace', () => {
  it.each(SHOWN)('%s', async (name, words) => {
    const r = await cli(['show', ...words, ...F]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toBe('');
    await expect(r.stdout).toMatchFileSnapshot(`sessions/show-${name}.txt`);
  });

  it('without --after-trace the built cluster shows no conntrack entry or learned neighbour', async () => {
    expect((await cli(['show', 'node-1', 'conntrack', ...F])).stdout).toBe('');
    expect((await cli(['show', 'node-2', 'neigh', ...F])).stdout).toBe('');
  });
});
