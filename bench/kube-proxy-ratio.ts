/**
 * Issue 13's generation ratio: netsim producing one node's kube-proxy ruleset for 10,000
 * Services (three endpoints each; a third ClusterIP, a third NodePort, a third NodePort with
 * `externalTrafficPolicy: Local`) against the kernel's own `iptables-restore` of the same
 * payload, side by side in one run. The kernel part runs as root in a throwaway network
 * namespace (nsSC-<pid>, deleted by name afterwards); without root or iptables it is skipped
 * with the reason printed.
 */
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { iptablesRestore } from '../src/kernel/netfilter/restore.js';
import { createNetfilter } from '../src/kernel/netfilter/index.js';
import { restorePayloadParts } from '../src/cluster/assemble/proxy-parts.js';
import { type EndpointInput, type ProxierConfig, type ServicePortInput, buildIptablesPayload, buildPayloadParts, createPayloadMemo } from '../src/proxy/index.js';
import { type Measure, measure } from './measure.js';

const CONFIG: ProxierConfig = { nodeName: 'node-1', nodeIPs: ['192.168.56.11'], family: 4, clusterCIDR: '10.244.0.0/16', serviceCIDRs: ['10.96.0.0/12'] };

/** Nodes the endpoints spread over: node-1 (this node) holds about one endpoint in ten. */
const NODES = 30;

function addr(base: number, n: number): string {
  return `10.${base + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`;
}

/** `n` Services of one TCP port and three endpoints each, the mix of types. */
export function ratioInputs(n: number): { services: ServicePortInput[]; endpoints: Map<string, EndpointInput[]> } {
  const services: ServicePortInput[] = [];
  const endpoints = new Map<string, EndpointInput[]>();
  for (let i = 0; i < n; i++) {
    const kind = i % 3;
    const base = { namespace: 'ns', name: `svc-${i}`, portName: 'http', protocol: 'TCP' as const, clusterIP: addr(96, i + 1), port: 80 };
    // NodePorts from a widened --service-node-port-range (30000-49999), one per Service.
    if (kind === 0) services.push({ ...base, type: 'ClusterIP' });
    else services.push({ ...base, type: 'NodePort', nodePort: 30000 + i, ...(kind === 2 ? { externalTrafficPolicy: 'Local' as const } : {}) });
    const ep = (k: number): EndpointInput => ({ ip: addr(128, 3 * i + k + 1), port: 8080, ready: true, serving: true, terminating: false, nodeName: `node-${((3 * i + k) % NODES) + 1}` });
    endpoints.set(`ns/svc-${i}:http`, [ep(0), ep(1), ep(2)]);
  }
  return { services, endpoints };
}

/** Why the kernel side cannot run here, or undefined. */
function kernelUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root';
  try {
    execFileSync('iptables-restore', ['--version'], { stdio: 'pipe' });
    execFileSync('ip', ['-V'], { stdio: 'pipe' });
  } catch {
    return 'iptables-restore or ip not found';
  }
  return undefined;
}

/** A kernel restore slower than this is stopped: the figure is then a lower bound. */
const KERNEL_TIMEOUT_MS = Number(process.env.NETSIM_BENCH_RATIO_TIMEOUT ?? 300_000);

/**
 * Wall time of `iptables-restore --noflush` of the payload in a fresh namespace, ms: the median
 * of `runs`, or of the runs so far once one takes over 10 s (undefined: skipped).
 */
function kernelRestore(text: string, runs: number): { ms: number; timedOut: boolean } | undefined {
  const why = kernelUnavailable();
  if (why !== undefined) {
    process.stderr.write(`kube-proxy ratio: kernel iptables-restore skipped (${why})\n`);
    return undefined;
  }
  const times: number[] = [];
  for (let r = 0; r < runs && !(times.length > 0 && (times[0] as number) > 10_000); r++) {
    const ns = `nsSC-${process.pid}`;
    execFileSync('ip', ['netns', 'add', ns]);
    const t0 = performance.now();
    try {
      execFileSync('ip', ['netns', 'exec', ns, 'iptables-restore', '--noflush'], { input: text, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 1 << 26, timeout: KERNEL_TIMEOUT_MS });
      times.push(performance.now() - t0);
    } catch (e) {
      if (performance.now() - t0 < KERNEL_TIMEOUT_MS) throw e;
      process.stderr.write(`kube-proxy ratio: the kernel's iptables-restore was stopped after ${KERNEL_TIMEOUT_MS} ms\n`);
      return { ms: KERNEL_TIMEOUT_MS, timedOut: true };
    } finally {
      execFileSync('ip', ['netns', 'del', ns]);
    }
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)] as number, timedOut: false };
}

/** Runs the ratio benchmark: netsim's generation (and its own restore) against the kernel's restore. */
export function benchKubeProxyRatio(services = Number(process.env.NETSIM_BENCH_RATIO_SERVICES ?? 10_000)): Measure[] {
  const { services: svcs, endpoints } = ratioInputs(services);
  const n = services.toLocaleString('en');
  const gen = measure(`kube-proxy ratio: netsim generates one node's payload, ${n} Services × 3 endpoints`, 3, () => buildIptablesPayload(CONFIG, svcs, endpoints), { unit: 'ms' });
  const text = buildIptablesPayload(CONFIG, svcs, endpoints).text;
  const lines = text.split('\n').length - 1;
  const load = measure(`kube-proxy ratio: netsim's iptables-restore of it into the engine (${lines.toLocaleString('en')} lines)`, 3, () => iptablesRestore(createNetfilter(), text, { file: 'bench', family: 4, noflush: true }), { unit: 'ms' });
  // The cluster's way (cluster/assemble/proxy.ts): every node's sync shares one memo, so a
  // node's ruleset costs its own fragments, the parts' assembly and the merge into its state.
  const memo = createPayloadMemo(4, svcs, endpoints);
  restorePayloadParts(createNetfilter(), buildPayloadParts(CONFIG, memo), memo);
  let k = 1;
  const shared = measure(`kube-proxy ratio: netsim's shared sync of one more node's ruleset into the engine (memo warm; ${NODES} nodes hold the endpoints)`, 5, () => {
    k = (k % NODES) + 1;
    restorePayloadParts(createNetfilter(), buildPayloadParts({ ...CONFIG, nodeName: `node-${k}` }, memo), memo);
  }, { unit: 'ms' });
  const rows: Measure[] = [gen, load, shared];
  const kernel = kernelRestore(text, 3);
  if (kernel === undefined) return rows;
  const atLeast = kernel.timedOut ? ' (stopped: at least)' : '';
  rows.push(
    { name: `kube-proxy ratio: the kernel's iptables-restore --noflush of the same payload (nsSC- namespace)${atLeast}`, value: kernel.ms, unit: 'ms' },
    { name: `  = kernel restore ÷ netsim generation (goal ≥ 10)${atLeast}`, value: kernel.ms / gen.value, unit: '×' },
    { name: `  = kernel restore ÷ netsim generation + engine restore${atLeast}`, value: kernel.ms / (gen.value + load.value), unit: '×' },
    { name: `  = kernel restore ÷ netsim's shared sync of a node${atLeast}`, value: kernel.ms / shared.value, unit: '×' },
  );
  return rows;
}
