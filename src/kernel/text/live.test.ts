/**
 * Differential test against the running kernel: builds test/golden/kernel/golden.sh in fresh
 * namespaces (unique prefix, always deleted) and compares the real tools' output with netsim's
 * renderings of the same scenario. Skipped, with the reason, where it cannot run (not root, no
 * iproute2, or NETSIM_LIVE=0).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goldenWorld } from '../../../test/helpers/kernel.js';
import { getNetns } from '../world.js';
import { renderIpAddr } from './addr.js';
import { renderVxlanFdb } from './fdb.js';
import { renderIpNeigh } from './neigh.js';
import { renderIpRoute } from './route.js';
import { renderIpRule } from './rule.js';

function whyNot(): string | undefined {
  if (process.env['NETSIM_LIVE'] === '0') return 'NETSIM_LIVE=0';
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0) return 'not root';
  try {
    execFileSync('ip', ['-V'], { stdio: 'ignore' });
  } catch {
    return 'iproute2 missing';
  }
  return undefined;
}

const reason = whyNot();
const prefix = `nsL${process.pid % 100000}-`;
const names = ['host', 'pod', 'lan'].map((n) => `${prefix}${n}`);
const script = fileURLToPath(new URL('../../../test/golden/kernel/golden.sh', import.meta.url));
const ip = (...args: string[]) => execFileSync('ip', args, { encoding: 'utf8' }).replaceAll(prefix, 'nsB-');

function cleanup(): void {
  for (const n of names) {
    try {
      execFileSync('ip', ['netns', 'del', n], { stdio: 'ignore' });
    } catch {
      /* not there */
    }
  }
}

describe.skipIf(reason !== undefined)(`renderers against the live kernel${reason ? ` (skipped: ${reason})` : ''}`, () => {
  beforeAll(async () => {
    cleanup();
    execFileSync('bash', [script], { env: { ...process.env, P: prefix }, stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 3000)); // carrier and IPv6 autoconfiguration settle
  }, 30_000);
  afterAll(cleanup);

  const w = goldenWorld();
  const H = getNetns(w, 'nsB-host');
  const P = getNetns(w, 'nsB-pod');
  const host = `${prefix}host`;
  it.each([
    ['ip addr (host)', () => ip('-n', host, 'addr'), () => renderIpAddr(w.netns, H)],
    ['ip addr (pod)', () => ip('-n', `${prefix}pod`, 'addr'), () => renderIpAddr(w.netns, P)],
    ['ip route show table all', () => ip('-n', host, 'route', 'show', 'table', 'all'), () => renderIpRoute(H, { table: 'all' })],
    ['ip route (pod)', () => ip('-n', `${prefix}pod`, 'route'), () => renderIpRoute(P)],
    ['ip rule', () => ip('-n', host, 'rule'), () => renderIpRule(H, 4)],
    ['ip -6 rule', () => ip('-n', host, '-6', 'rule'), () => renderIpRule(H, 6)],
    ['bridge fdb show dev flannel.1', () => execFileSync('bridge', ['-n', host, 'fdb', 'show', 'dev', 'flannel.1'], { encoding: 'utf8' }), () => renderVxlanFdb(H, 'flannel.1')],
  ])('%s', (_name, real, model) => {
    expect(model()).toBe(real());
  });
  it('ip neigh (same lines; the kernel dumps its hash table in no fixed order)', () => {
    const sorted = (text: string) => text.split('\n').sort().join('\n');
    expect(sorted(renderIpNeigh(H))).toBe(sorted(ip('-n', host, 'neigh')));
  });
});
