/**
 * The reachability matrix of the upstream e2e tests (test/e2e/network/netpol, `TruthTable`):
 * every pod to every pod on one port and protocol, sources as rows, destinations as columns.
 * Each pod's isolating policies (and the admin policies selecting it) are found once, not once
 * per cell.
 */
import type { Ip } from '../addr/index.js';
import type { PolicyProtocol } from './api.js';
import { type PolicyVerdict, type SideVerdict, isolatingPolicies, sideAllows, tieredSide } from './evaluate.js';
import { adminSelecting } from './tiers.js';
import { type PolicyPod, type PolicyWorld, podKey } from './world.js';

/** A pod of the matrix, with the address its packets carry (absent: no ipBlock matches it). */
export interface MatrixPod extends PolicyPod {
  readonly ip?: Ip;
}

/** The truth table: `cells[from][to]`, pods in the order given. */
export interface PolicyMatrix {
  readonly protocol: PolicyProtocol;
  readonly port: number;
  /** `namespace/name` of each pod, the labels of both rows and columns. */
  readonly pods: readonly string[];
  readonly cells: readonly (readonly PolicyVerdict[])[];
}

/** Every pod to every pod (itself included: the hairpin through a Service is policed). */
export function policyMatrix(world: PolicyWorld, pods: readonly MatrixPod[], packet: { readonly protocol: PolicyProtocol; readonly port: number }): PolicyMatrix {
  const admin = pods.map((p) => adminSelecting(world, p));
  const egress = pods.map((p, i) => ({ type: 'Egress' as const, policies: isolatingPolicies(world, p, 'Egress'), admin: [], ...admin[i] }));
  const ingress = pods.map((p, i) => ({ type: 'Ingress' as const, policies: isolatingPolicies(world, p, 'Ingress'), admin: [], ...admin[i] }));
  const host: SideVerdict = { kind: 'not-isolated', why: 'host-network' };
  const endpoint = (p: MatrixPod): { pod: PolicyPod; ip?: Ip } => (p.ip === undefined ? { pod: p } : { pod: p, ip: p.ip });
  const cells = pods.map((src, i) =>
    pods.map((dst, j) => {
      const q = { src: endpoint(src), dst: endpoint(dst), ...packet };
      const e = src.hostNetwork ? host : tieredSide(world, q, egress[i] ?? { type: 'Egress', policies: [], admin: [] });
      const n = dst.hostNetwork ? host : tieredSide(world, q, ingress[j] ?? { type: 'Ingress', policies: [], admin: [] });
      return { allowed: sideAllows(e) && sideAllows(n), egress: e, ingress: n };
    }),
  );
  return { protocol: packet.protocol, port: packet.port, pods: pods.map(podKey), cells };
}

/** The matrix as booleans, `[from][to]`. */
export function matrixBooleans(m: PolicyMatrix): boolean[][] {
  return m.cells.map((row) => row.map((c) => c.allowed));
}
