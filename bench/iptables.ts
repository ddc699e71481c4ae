/**
 * Benchmarks for the netfilter engine: parsing a large iptables-save dump, and evaluating a
 * packet through a KUBE-SERVICES-shaped chain of 20,000 rules (real clusters reach that).
 */
import { ip } from '../src/addr/ip.js';
import { setIndexThreshold } from '../src/kernel/netfilter/eval/dispatch.js';
import { parseIptablesSave } from '../src/kernel/netfilter/syntax/index.js';
import { packetFor } from '../src/packet/build.js';
import { rngChooser, seededRng } from '../src/sim/context.js';
import { traceHost } from '../src/trace/iptables-trace.js';
import { type Measure, measure } from './measure.js';

/** A kube-proxy-shaped nat table with `services` ClusterIP services of one endpoint each. */
export function kubeServicesDump(services: number): string {
  const lines = ['*nat', ':PREROUTING ACCEPT [0:0]', ':INPUT ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ':POSTROUTING ACCEPT [0:0]', ':KUBE-SERVICES - [0:0]', ':KUBE-MARK-MASQ - [0:0]'];
  const rules: string[] = ['-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES', '-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000'];
  for (let i = 0; i < services; i++) {
    const h = i.toString(36).toUpperCase().padStart(16, '0');
    const vip = `10.${96 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`;
    const ep = `10.244.${(i >> 8) & 255}.${(i & 255) || 1}`;
    lines.push(`:KUBE-SVC-${h} - [0:0]`, `:KUBE-SEP-${h} - [0:0]`);
    rules.push(
      `-A KUBE-SERVICES -d ${vip}/32 -p tcp -m comment --comment "ns/svc-${i}:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-${h}`,
      `-A KUBE-SVC-${h} -m comment --comment "ns/svc-${i}:http -> ${ep}:8080" -j KUBE-SEP-${h}`,
      `-A KUBE-SEP-${h} -s ${ep}/32 -m comment --comment "ns/svc-${i}:http" -j KUBE-MARK-MASQ`,
      `-A KUBE-SEP-${h} -p tcp -m comment --comment "ns/svc-${i}:http" -m tcp -j DNAT --to-destination ${ep}:8080`,
    );
  }
  return `${[...lines, ...rules, 'COMMIT'].join('\n')}\n`;
}

/** Runs the netfilter benchmarks. */
export function benchIptables(): Measure[] {
  const results: Measure[] = [];
  // 6 lines per service (2 chain declarations, 4 rules): 16,666 services make a 100k-line dump.
  const big = kubeServicesDump(16_666);
  const lineCount = big.split('\n').length - 1;
  results.push(measure(`parse a ${lineCount.toLocaleString('en')}-line iptables-save`, 3, () => parseIptablesSave(big, { file: 'bench' }), { unit: 'ms per parse' }));

  // Issue 13's goal: a 700,000-line dump (116,666 services) parses in ≤ 3 s.
  const huge = kubeServicesDump(116_666);
  const hugeLines = huge.split('\n').length - 1;
  results.push(measure(`parse a ${hugeLines.toLocaleString('en')}-line iptables-save`, 1, () => parseIptablesSave(huge, { file: 'bench' }), { unit: 'ms per parse' }));

  const dump = kubeServicesDump(20_000);
  const rs = parseIptablesSave(dump, { file: 'bench' }).value;
  // The last service: the packet is checked against all 20,000 KUBE-SERVICES rules.
  const last = 19_999;
  const vip = `10.${96 + (last >> 16)}.${(last >> 8) & 255}.${last & 255}`;
  const packet = packetFor({ family: 4, proto: 'tcp', src: ip('10.244.9.9'), dst: ip(vip), sport: 40000, dport: 80 });
  const input = { rulesets: [rs], packet, inDev: 'eth0', localAddrs: [ip('192.168.56.11')] };
  const chooser = rngChooser(seededRng(1));
  // Linear scan first (the index off), then the (daddr, proto, dport) index (src/kernel/netfilter/eval/dispatch.ts).
  const old = setIndexThreshold(Number.POSITIVE_INFINITY);
  const m = measure('packet through a 20,000-rule KUBE-SERVICES chain (to its last rule), linear scan', 20, () => traceHost(input, chooser), { unit: 'ms per packet' });
  setIndexThreshold(old);
  results.push(m, { name: '  = rule evaluations per second', value: (20_000 / m.value) * 1000, unit: 'rules/s' });
  results.push(measure('packet through a 20,000-rule KUBE-SERVICES chain (to its last rule), indexed on (daddr, proto, dport)', 200, () => traceHost(input, chooser), { unit: 'ms per packet' }));
  return results;
}
