/**
 * A 100k-line kube-proxy-shaped dump must parse quickly. Measured on the development VM (2 vCPU,
 * heavily shared): 1.3 s of CPU warm, 1.6–2.0 s cold, a third of it garbage collection. The bound
 * is twice the target so that a loaded CI machine does not fail it; a quadratic slip would.
 */
import { describe, expect, it } from 'vitest';
import { parseIptablesSave, printRuleset } from './index.js';

/** A nat table with `services` services of 3 endpoints each: about 12 lines per service. */
function bigDump(services: number): string {
  const decl: string[] = ['*nat', ':PREROUTING ACCEPT [0:0]', ':INPUT ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ':POSTROUTING ACCEPT [0:0]', ':KUBE-SERVICES - [0:0]', ':KUBE-MARK-MASQ - [0:0]'];
  const rules: string[] = ['-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000'];
  for (let s = 0; s < services; s++) {
    const svc = `KUBE-SVC-${String(s).padStart(16, '0')}`;
    const ip = `172.30.${(s >> 8) & 255}.${s & 255}`;
    decl.push(`:${svc} - [0:0]`);
    rules.push(`-A KUBE-SERVICES -m comment --comment "ns${s}/svc:p80 cluster IP" -m tcp -p tcp -d ${ip} --dport 80 -j ${svc}`);
    rules.push(`-A ${svc} -m comment --comment "ns${s}/svc:p80 cluster IP" -m tcp -p tcp -d ${ip} --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ`);
    for (let e = 0; e < 3; e++) {
      const sep = `KUBE-SEP-${String(s * 3 + e).padStart(16, '0')}`;
      const ep = `10.${(s >> 8) & 255}.${s & 255}.${e + 1}`;
      decl.push(`:${sep} - [0:0]`);
      const stat = e < 2 ? ` -m statistic --mode random --probability ${e === 0 ? '0.3333333333' : '0.5000000000'}` : '';
      rules.push(`-A ${svc} -m comment --comment "ns${s}/svc:p80 -> ${ep}:80"${stat} -j ${sep}`);
      rules.push(`-A ${sep} -m comment --comment ns${s}/svc:p80 -s ${ep} -j KUBE-MARK-MASQ`);
      rules.push(`-A ${sep} -m comment --comment ns${s}/svc:p80 -m tcp -p tcp -j DNAT --to-destination ${ep}:80`);
    }
  }
  return [...decl, ...rules, 'COMMIT', ''].join('\n');
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

describe('performance', () => {
  it('parses and prints a 100k-line dump fast', () => {
    const text = bigDump(6700);
    const lines = text.split('\n').length;
    expect(lines).toBeGreaterThan(100_000);
    // CPU time, not wall time: a busy CI machine must not fail this test, a slow parser must.
    const c0 = cpuMs();
    const parsed = parseIptablesSave(text, { file: 'big' });
    const c1 = cpuMs();
    const printed = printRuleset(parsed.value);
    const c2 = cpuMs();
    expect(parsed.diagnostics).toEqual([]);
    expect(printed.split('\n').length).toBeGreaterThan(100_000);
    expect(c1 - c0, `parse took ${Math.round(c1 - c0)} ms of CPU`).toBeLessThan(4000);
    expect(c2 - c1, `print took ${Math.round(c2 - c1)} ms of CPU`).toBeLessThan(4000);
  });
});
