/**
 * kube-proxy's two modes at scale, from the same inputs (src/proxy): generating 10,000 Services'
 * rules (the iptables-restore payload against the nft transaction), loading them into the
 * engine, and tracing a packet to the last Service with 100 and with 10,000 Services. iptables
 * mode walks KUBE-SERVICES rule by rule; nftables mode does one `service-ips` vmap lookup, so its
 * trace cost stays flat.
 */
import { ip } from '../src/addr/ip.js';
import { iptablesRestore } from '../src/kernel/netfilter/restore.js';
import { createNetfilter, getRuleset, insertRule, newChain, parseNft } from '../src/kernel/netfilter/index.js';
import { findChain, findTable } from '../src/kernel/netfilter/state.js';
import { parseRule } from '../src/kernel/netfilter/syntax/index.js';
import { packetFor } from '../src/packet/build.js';
import { type EndpointInput, type ProxierConfig, type ServicePortInput, buildIptablesPayload, buildNftablesTransaction, builtinJumpSpecs } from '../src/proxy/index.js';
import { rngChooser, seededRng } from '../src/sim/context.js';
import { type HostTraceInput, traceHost } from '../src/trace/iptables-trace.js';
import { type Measure, measure } from './measure.js';

const CONFIG: ProxierConfig = { nodeName: 'node-1', nodeIPs: ['192.168.56.11'], family: 4, clusterCIDR: '10.244.0.0/16', serviceCIDRs: ['10.96.0.0/12'] };

/** Service i's ClusterIP (10.96.0.1 on) and its endpoints' addresses (10.128.0.0/9, two each). */
function vip(i: number): string {
  const n = i + 1;
  return `10.${96 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`;
}

function podIP(i: number, k: number): string {
  const n = 2 * i + k;
  return `10.${128 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`;
}

/** `n` ClusterIP Services of one port and two endpoints each. */
function inputs(n: number): { services: ServicePortInput[]; endpoints: Map<string, EndpointInput[]> } {
  const services: ServicePortInput[] = [];
  const endpoints = new Map<string, EndpointInput[]>();
  for (let i = 0; i < n; i++) {
    services.push({ namespace: 'ns', name: `svc-${i}`, portName: 'http', protocol: 'TCP', clusterIP: vip(i), port: 80, type: 'ClusterIP' });
    const ep = (k: number): EndpointInput => ({ ip: podIP(i, k), port: 8080, ready: true, serving: true, terminating: false, nodeName: 'node-2' });
    endpoints.set(`ns/svc-${i}:http`, [ep(1), ep(2)]);
  }
  return { services, endpoints };
}

function traceInput(mode: 'iptables' | 'nftables', n: number): HostTraceInput {
  const { services, endpoints } = inputs(n);
  const packet = packetFor({ family: 4, proto: 'tcp', src: ip('10.244.0.9'), dst: ip(vip(n - 1)), sport: 40000, dport: 80 });
  const base = { packet, inDev: 'eth0', outDev: 'eth0', localAddrs: [ip('192.168.56.11')] };
  if (mode === 'nftables') return { ...base, rulesets: [], nft: parseNft(buildNftablesTransaction(CONFIG, services, endpoints).text, { file: 'bench' }).value };
  const nf = createNetfilter();
  // kube-proxy's jumps from the built-in chains (as src/cluster/assemble/proxy.ts ensures them).
  for (const jump of builtinJumpSpecs(CONFIG)) {
    const table = findTable(nf, 4, jump.table);
    if (table === undefined || findChain(table, jump.target) === undefined) newChain(nf, 4, jump.table, jump.target);
    const rule = parseRule(jump.rule, { file: 'bench', family: 4, table: jump.table }).value?.rules[0];
    if (rule !== undefined) insertRule(nf, 4, jump.table, jump.chain, rule, 1);
  }
  const restored = iptablesRestore(nf, buildIptablesPayload(CONFIG, services, endpoints).text, { file: 'bench', family: 4, noflush: true });
  if (restored.diagnostics.length > 0) throw new Error('bench payload does not restore');
  return { ...base, rulesets: [getRuleset(nf, 4)] };
}

/** Runs the kube-proxy mode benchmarks. */
export function benchKubeProxyModes(): Measure[] {
  const { services, endpoints } = inputs(10_000);
  const rows: Measure[] = [
    measure('kube-proxy iptables mode: payload for 10,000 Services', 3, () => buildIptablesPayload(CONFIG, services, endpoints), { unit: 'ms per sync' }),
    measure('kube-proxy nftables mode: transaction for 10,000 Services', 3, () => buildNftablesTransaction(CONFIG, services, endpoints), { unit: 'ms per sync' }),
  ];
  const tx = buildNftablesTransaction(CONFIG, services, endpoints).text;
  rows.push(measure('kube-proxy nftables mode: nft -f of that transaction', 3, () => parseNft(tx, { file: 'bench' }), { unit: 'ms per load' }));
  const chooser = rngChooser(seededRng(1));
  for (const mode of ['iptables', 'nftables'] as const) {
    for (const n of [100, 10_000]) {
      const input = traceInput(mode, n);
      rows.push(measure(`kube-proxy ${mode} mode: packet to the last of ${n.toLocaleString('en')} Services`, 20, () => traceHost(input, chooser), { unit: 'ms per packet' }));
    }
  }
  return rows;
}
