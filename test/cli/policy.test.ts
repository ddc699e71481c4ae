/**
 * `netsim policy matrix` and `netsim policy explain` in-process: outputs, options, refusals,
 * progress on a terminal only, and a suggestion that, written into the scenario, flips the verdict.
 */
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { cli } from '../helpers/cli.js';

const SMALL = 'test/golden/policy-matrix/netpol-small.yaml';

describe('netsim policy matrix', () => {
  it('prints the truth table; nothing enforces, so every cell is delivered and the warning says so', async () => {
    const r = await cli(['policy', 'matrix', '-f', SMALL]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('-\tx/a\tx/b\ty/a\ty/b\nx/a\t.\t.\t.\t.\nx/b\t.\t.\t.\t.\ny/a\t.\t.\t.\t.\ny/b\t.\t.\t.\t.\n');
    expect(r.stderr).toContain('SCN_NETPOL_NOT_ENFORCED');
  });

  it('--namespace keeps those pods; -o json has one cell per pair, sources outer', async () => {
    const r = await cli(['policy', 'matrix', '-f', SMALL, '-n', 'y', '-o', 'json', '--protocol', 'udp', '--port', '81']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ schema: 'netsim.policy-matrix/v1', port: 81, protocol: 'UDP', enforcer: 'none', pods: ['y/a', 'y/b'], disagreements: [] });
    expect(doc.cells.map((c: { from: string; to: string }) => `${c.from}>${c.to}`)).toEqual(['y/a>y/a', 'y/a>y/b', 'y/b>y/a', 'y/b>y/b']);
    expect(doc.warnings[0].code).toBe('SCN_NETPOL_NOT_ENFORCED');
  });

  it('-o html: a grid whose every cell points at a trace the page holds', async () => {
    const r = await cli(['policy', 'matrix', '-f', SMALL, '-o', 'html']);
    expect(r.code, r.stderr).toBe(0);
    const refs = [...r.stdout.matchAll(/<td class="[^"]*" data-t="(\d+)"/g)].map((m) => Number(m[1]));
    expect(refs).toHaveLength(16);
    const traces = JSON.parse(/<script type="application\/json" id="traces">(.*?)<\/script>/s.exec(r.stdout)?.[1] ?? '[]');
    for (const t of refs) expect(traces[t].text).toContain('DELIVERED');
    expect(r.stdout).not.toMatch(/<(link|img)[^>]+(src|href)="http/);
  });

  it('refuses an unknown namespace, a bad port and an unknown protocol', async () => {
    const ns = await cli(['policy', 'matrix', '-f', SMALL, '-n', 'nope']);
    expect(ns.code).toBe(2);
    expect(ns.stderr).toContain('no pod runs in namespace nope (namespaces with pods: kube-system, x, y)');
    expect((await cli(['policy', 'matrix', '-f', SMALL, '--port', '0'])).code).toBe(2);
    expect((await cli(['policy', 'matrix', '-f', SMALL, '--port', 'http'])).code).toBe(2);
    expect((await cli(['policy', 'matrix', '-f', SMALL, '--protocol', 'icmp'])).code).toBe(2);
  });

  it('shows progress on stderr only when stderr is a terminal', async () => {
    const run = async (tty: boolean): Promise<string> => {
      let err = '';
      await runCli(['policy', 'matrix', '-f', SMALL], { stdout: () => undefined, stderr: (s) => (err += s), readFile: (p) => readFileSync(p, 'utf8'), isTTY: false, stderrIsTTY: tty, env: {} });
      return err;
    };
    expect(await run(true)).toMatch(/traced \d+\/\d+ pod pairs/);
    expect(await run(false)).not.toContain('traced');
  });
});

describe('netsim policy explain', () => {
  it('names the selecting policies, the verdict and a rule that, added to the scenario, allows it', async () => {
    const r = await cli(['policy', 'explain', 'y/a', 'x/b', '-f', SMALL]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('destination x/b:\n  ingress: selected by x/deny-ingress');
    expect(r.stdout).toContain('verdict: denied\n  dropped by default deny: pod x/b is selected by NetworkPolicy x/deny-ingress (ingress), no rule allows y/a on TCP 80');
    const fragment = r.stdout.slice(r.stdout.indexOf('# add to spec.ingress of NetworkPolicy x/deny-ingress'));
    const changed = withIngressRule(readFileSync(SMALL, 'utf8'), 'deny-ingress', fragment);
    const again = await cli(['policy', 'explain', 'y/a', 'x/b', '-f', 'changed.yaml'], { 'changed.yaml': changed });
    expect(again.stdout).toContain('verdict: allowed\n  allowed by NetworkPolicy x/deny-ingress ingress rule #1');
    const m = await cli(['policy', 'matrix', '-f', 'changed.yaml', '-o', 'json'], { 'changed.yaml': changed });
    expect(JSON.parse(m.stdout).disagreements).toEqual([]);
  });

  it('an allowed connection names the rule and suggests nothing', async () => {
    const r = await cli(['policy', 'explain', 'x/a', 'y/b', '-f', SMALL]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('verdict: allowed\n  allowed by NetworkPolicy y/allow-x-a ingress rule #1');
    expect(r.stdout).not.toContain('smallest change');
  });

  it('refuses a Service (policy judges the backend) and an unknown pod', async () => {
    const svc = await cli(['policy', 'explain', 'pod-a', 'service-b']);
    expect(svc.code).toBe(2);
    expect(svc.stderr).toContain('is a Service: NetworkPolicy judges the backend pod after DNAT');
    expect((await cli(['policy', 'explain', 'x/zz', 'x/a', '-f', SMALL])).code).toBe(2);
  });
});

/** The scenario with the YAML rule list `fragment` appended to `spec.ingress` of policy `name`. */
function withIngressRule(text: string, name: string, fragment: string): string {
  const rules = parseAllDocuments(fragment)[0]?.toJS() as unknown[];
  return parseAllDocuments(text)
    .map((d) => {
      const o = d.toJS() as { kind?: string; metadata?: { name?: string }; spec?: { ingress?: unknown[] } };
      if (o.kind === 'NetworkPolicy' && o.metadata?.name === name && o.spec !== undefined) o.spec.ingress = [...(o.spec.ingress ?? []), ...rules];
      return JSON.stringify(o);
    })
    .join('\n---\n');
}
