/**
 * The packet-flow tables of flows.test.ts against the Linux kernel: each case's kube-proxy jumps
 * and payload are loaded into a node made of network namespaces (kernel/lab.ts, names `nsG-…`,
 * always deleted), each row's first packet is sent 30 times from different source ports (so
 * every `-m statistic` branch is taken with near certainty: a miss has probability below
 * 3·(2/3)^30 ≈ 2e-5), and the answer is read from rule counters and conntrack (kernel/answer.ts).
 * The kernel must give every row's expected `output` (as a set: its order is the endpoints'
 * order, which counters do not keep) and `masq`, including the rows netsim's tracer does not yet
 * get right (`engineGap`).
 *
 * Skipped, with the reason, unless running as root on Linux with ip, iptables-restore (nf_tables),
 * conntrack and python3 (nfacct too, to load the payloads that use `-m nfacct` unchanged). SCTP rows are skipped: the packet sender speaks TCP and UDP only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FlowCase, type FlowRow, originOf, proxyNode } from '../helpers/proxy-flow.js';
import { onPath, run } from '../kernel/harness/sh.js';
import { kernelAnswer } from './kernel/answer.js';
import { buildKernelNode, type KernelNode } from './kernel/lab.js';
import { DIFFERENCE_CASES } from './cases/differences.js';
import { MASQUERADE_CASES } from './cases/masquerade.js';
import { SECTION9_CASE } from './cases/section9.js';
import { UPSTREAM_CASES } from './cases/upstream.js';

const ALL: readonly FlowCase[] = [...UPSTREAM_CASES, ...MASQUERADE_CASES, SECTION9_CASE, ...DIFFERENCE_CASES];
const SENT = 30;

function unavailable(): string | undefined {
  if (process.platform !== 'linux') return `not Linux (${process.platform})`;
  if (process.getuid?.() !== 0) return 'not root';
  const missing = ['ip', 'iptables-restore', 'iptables-save', 'conntrack', 'python3'].filter((t) => !onPath(t));
  if (missing.length > 0) return `missing tools: ${missing.join(', ')}`;
  const version = run('iptables', ['--version']).stdout.trim();
  if (!version.includes('nf_tables')) return `iptables is not the nf_tables backend (${version})`;
  return undefined;
}

const why = unavailable();
if (why !== undefined) console.warn(`[proxy-flow kernel] SKIPPED the kernel check of the packet-flow tables: ${why}`);

const sortedSet = (output: string) => output.split(', ').sort().join(', ');

describe.skipIf(why !== undefined).each(ALL.map((c) => [c.name, c] as const))('kernel: %s', (_name, c) => {
  const node = proxyNode(c.config, c.services, c.endpoints);
  let lab: KernelNode | undefined;
  beforeAll(() => {
    // Without the nfacct tool, load what kube-proxy writes when it cannot create the counters:
    // the same rules minus the `-m nfacct` matches (which always match) and the duplicate
    // localhost NodePort jump.
    const payload = onPath('nfacct') ? node.payload : proxyNode({ ...c.config, nfacct: false }, c.services, c.endpoints).payload;
    lab = buildKernelNode(c.config, payload);
  });
  afterAll(() => {
    const errors = lab?.dispose() ?? [];
    expect(errors, 'namespaces that could not be deleted').toEqual([]);
  });
  const rows = c.rows.filter((r) => r.protocol !== 'SCTP');
  it.each(rows)('$name', async (row: FlowRow) => {
    if (lab === undefined) throw new Error('no lab');
    const origin = originOf(node, row);
    const p = { src: row.sourceIP, dst: row.destIP, proto: (row.protocol ?? 'TCP').toLowerCase() as 'tcp' | 'udp', dport: row.destPort };
    lab.reset();
    const before = lab.read().save;
    await lab.send(origin, { ...p, count: SENT });
    const { save, conntrack } = lab.read();
    const got = kernelAnswer({ before, after: save, conntrack, sent: SENT, origin });
    const where = `${origin} ${row.sourceIP} → ${row.destIP}:${row.destPort}\n${save}\n${conntrack}`;
    expect(got.seen, `the host saw the packets: ${where}`).toBe(SENT);
    expect({ output: sortedSet(got.output), masq: got.masq }, where).toEqual({ output: sortedSet(row.output), masq: row.masq });
  });
});
