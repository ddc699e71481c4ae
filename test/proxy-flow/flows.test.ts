/**
 * Packet-flow tables (kube-proxy style, `it.each`) through netsim's real netfilter engine: each
 * case's kube-proxy payload is restored into a node after kube-proxy's built-in-chain jumps, and
 * every row is traced with traceHostAllPaths (test/helpers/proxy-flow.ts says how a row becomes
 * a packet, and how output and masq are read back).
 *
 * Cases: upstream's tables (cases/upstream.ts, cases/masquerade.ts), the reference note's §9
 * example (cases/section9.ts), and rows where upstream's simplified tracer and the kernel
 * disagree (cases/differences.ts). Every expected value is the kernel's, confirmed by
 * kernel.diff.test.ts where root is available. A row with `engineGap` is a known gap of netsim's
 * one-host tracer: it is expected to fail (`it.fails`), so fixing the gap flips it.
 */
import { describe, expect, it } from 'vitest';
import { tracePacket } from '../../src/proxy/iptables/__fixtures__/tracer.js';
import { testNodeIPs } from '../../src/proxy/iptables/__fixtures__/upstream.js';
import { type FlowCase, type FlowRow, expected, proxyNode, traceFlow } from '../helpers/proxy-flow.js';
import { DIFFERENCE_CASES } from './cases/differences.js';
import { MASQUERADE_CASES } from './cases/masquerade.js';
import { SECTION9_CASE } from './cases/section9.js';
import { TRAFFIC_POLICY_CASES } from './cases/traffic-policy.js';
import { UPSTREAM_CASES } from './cases/upstream.js';

const ALL: readonly FlowCase[] = [...UPSTREAM_CASES, ...MASQUERADE_CASES, ...TRAFFIC_POLICY_CASES, SECTION9_CASE, ...DIFFERENCE_CASES];

describe.each(ALL.map((c) => [c.name, c] as const))('%s', (_name, c) => {
  const node = proxyNode(c.config, c.services, c.endpoints);
  const check = (row: FlowRow) => {
    const got = traceFlow(node, row);
    expect({ output: got.output, masq: got.masq }, `${row.sourceIP} → ${row.destIP}:${row.destPort}`).toEqual(expected(row));
  };
  const known = c.rows.filter((r) => r.engineGap === undefined);
  const gaps = c.rows.filter((r) => r.engineGap !== undefined);
  if (known.length > 0) it.each(known)('$name', check);
  if (gaps.length > 0) it.fails.each(gaps)('$name (known gap: $engineGap)', check);

  const differing = c.rows.filter((r) => r.upstream !== undefined);
  if (differing.length > 0) {
    it.each(differing)("upstream's simplified tracer answers differently: $name", (row) => {
      const flow = { name: row.name, sourceIP: row.sourceIP, destIP: row.destIP, destPort: row.destPort, output: '', ...(row.protocol !== undefined ? { protocol: row.protocol } : {}) };
      expect(tracePacket(node.payload, flow, c.config.nodeIPs.length > 0 ? c.config.nodeIPs : testNodeIPs)).toEqual(row.upstream);
      expect(row.upstream).not.toEqual(expected(row));
    });
  }
});
