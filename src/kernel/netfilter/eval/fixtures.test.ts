/**
 * Parser ↔ engine agreement: every rule of the iptables-save fixtures (captured from real
 * iptables 1.8.9) compiles in the engine, and packets run through every hook of every fixture
 * without an internal error. This is where an option the parser accepts but the engine does not
 * know shows up.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { icmp, tcp, testEnv, udp } from '../../../../test/helpers/nf.js';
import type { Hook } from '../../events.js';
import { createNetfilter, defineSet, FRESH_SKB, loadRuleset, runHook } from '../index.js';
import { parseIpsetSave } from '../ipset/index.js';
import { parseIptablesSave } from '../syntax/index.js';
import { compiled } from './compile.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../../test/fixtures/iptables');
const FILES_ALL = readdirSync(DIR);
const FILES = FILES_ALL.filter((f) => f.endsWith('.save'));
const HOOKS: readonly Hook[] = ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'];

describe.each(FILES)('%s', (file) => {
  const family = file.includes('v6') ? 6 : 4;
  const parsed = parseIptablesSave(readFileSync(join(DIR, file), 'utf8'), { file, family });

  it('parses cleanly and every rule compiles', () => {
    expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    for (const t of parsed.value.tables) for (const c of t.chains) for (const r of c.rules) expect(() => compiled(r), `${t.name}/${c.name} line ${r.line}`).not.toThrow();
  });

  it('runs packets through every hook', () => {
    const nf = createNetfilter();
    loadRuleset(nf, parsed.value);
    const ipsetFile = join(DIR, file.replace(/\.save$/, '.ipset'));
    if (FILES_ALL.includes(file.replace(/\.save$/, '.ipset'))) for (const set of parseIpsetSave(readFileSync(ipsetFile, 'utf8'), { file: ipsetFile }).value) defineSet(nf, set);
    const pkts = family === 4
      ? [tcp('10.0.0.1', 40000, '172.30.0.41', 80), udp('10.0.0.1', 5353, '10.96.0.10', 53), icmp('10.0.0.1', '10.0.0.2')]
      : [tcp('fd00::1', 40000, 'fd00::41', 80), udp('fd00::1', 5353, 'fd00::10', 53), icmp('fd00::1', 'fd00::2', 128)];
    const env = testEnv({ inDev: 'eth0', outDev: 'eth1', masq: { eth0: family === 4 ? '10.0.0.254' : 'fd00::fe', eth1: family === 4 ? '192.0.2.1' : 'fd01::1' }, local: ['10.0.0.2'] });
    for (const p of pkts) for (const hook of HOOKS) expect(() => runHook(nf, hook, p, FRESH_SKB, env), `${hook}`).not.toThrow();
  });
});
