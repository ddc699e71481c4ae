/**
 * Golden of `netsim trace --batch FILE` on the built-in scenario: every kind of flow (a Service,
 * a pod, UDP, ICMP with a size, --all-paths, a DNS name, a node to an address) and every kind of
 * bad line, as the JSON lines on stdout and the diagnostics on stderr. Each traced line is also
 * the single `netsim trace … -o json` of its words. Regenerate with
 * `npx vitest run test/golden/trace-batch.test.ts -u`.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

const FLOWS = 'test/golden/trace-batch/flows.txt';

describe('netsim trace --batch (golden)', () => {
  it('writes one JSON line per flow and the bad lines\' diagnostics', async () => {
    const r = await cli(['trace', '--batch', FLOWS]);
    expect(r.code).toBe(1);
    await expect(r.stdout).toMatchFileSnapshot('trace-batch/flows.jsonl');
    await expect(r.stderr).toMatchFileSnapshot('trace-batch/flows.stderr.txt');
  });

  it('each traced line is what netsim trace WORDS -o json prints', async () => {
    const r = await cli(['trace', '--batch', FLOWS]);
    const out = r.stdout.trimEnd().split('\n');
    const flows = readFileSync(FLOWS, 'utf8').split('\n').map((l) => l.split('#')[0]?.trim() ?? '').filter((l) => l !== '');
    expect(out).toHaveLength(flows.length);
    for (const [i, words] of flows.entries()) {
      const line = out[i] ?? '';
      if (line.startsWith('{"error"')) continue;
      const single = await cli(['trace', ...words.split(/\s+/), '-o', 'json']);
      expect(single.code, words).toBe(0);
      expect(JSON.parse(line), words).toEqual(JSON.parse(single.stdout));
    }
  });
});
