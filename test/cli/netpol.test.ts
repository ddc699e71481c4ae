/**
 * NetworkPolicies that nothing enforces: `validate` and every `trace` say so, and
 * `trace -o json` carries the warning in `warnings`, and the trace itself is unchanged. With
 * kube-router enforcing them, its rules are in the datapath and the trace shows its verdict.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

const scenario = readFileSync('scenarios/default.yaml', 'utf8');
const denyAll = '---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny-all, namespace: default}\nspec: {podSelector: {}, policyTypes: [Ingress, Egress]}\n';

describe('NetworkPolicy warnings', () => {
  it('validate prints SCN_NETPOL_NOT_ENFORCED and still succeeds', async () => {
    const r = await cli(['validate', 'np.yaml'], { 'np.yaml': `${scenario}${denyAll}` });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/np\.yaml:\d+:\d+.*SCN_NETPOL_NOT_ENFORCED/s);
    expect(r.stderr).toContain('1 NetworkPolicy (default/deny-all) but nothing enforces them');
  });

  it('trace prints it, and -o json carries it in warnings', async () => {
    const r = await cli(['trace', 'pod-a', 'service-b', '-f', 'np.yaml', '-o', 'json'], { 'np.yaml': `${scenario}${denyAll}` });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('SCN_NETPOL_NOT_ENFORCED');
    const doc = JSON.parse(r.stdout);
    expect(doc.warnings).toEqual([{ code: 'SCN_NETPOL_NOT_ENFORCED', message: expect.stringContaining('nothing enforces them'), at: expect.stringMatching(/^np\.yaml:\d+:\d+$/) }]);
    expect(doc.disposition).toBe('DELIVERED');
  });

  it('with kube-router enforcing, there is no warning and the trace ends in its REJECT', async () => {
    const text = scenario.replace('  nodes:\n    - name: node-1', '  networkPolicy: {enforcer: kube-router}\n  nodes:\n    - name: node-1');
    const r = await cli(['trace', 'pod-a', 'service-b', '-f', 'np.yaml', '-o', 'json'], { 'np.yaml': `${text}${denyAll}` });
    const doc = JSON.parse(r.stdout);
    expect(doc.warnings ?? []).toEqual([]);
    expect(doc.disposition).not.toBe('DELIVERED');
  });
});
