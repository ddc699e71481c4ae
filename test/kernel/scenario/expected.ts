/**
 * Known differences between netsim and the kernel, found by this test and left for the owners
 * of src/ to fix. Each entry says what the kernel does and what netsim says; the test passes
 * when exactly the listed differences occur, and fails, asking for the entry to be removed, when
 * one no longer does (so the list cannot rot).
 */
import type { FlowKind } from './flows.js';

/** A flow difference netsim is known to have. */
export interface ExpectedFlowDiff {
  /** Scenario name (`built-in default`, `scenarios/default.yaml`, …); undefined: every scenario. */
  readonly scenario?: string;
  readonly flow: FlowKind;
  /** The difference kind (`outcome`, `backend`, `receiver`, `steps NODE`) and a pattern its text matches. */
  readonly diff: string;
  readonly text: RegExp;
  /** Whether it happens on every run (false: only for some random backends). */
  readonly always: boolean;
  readonly why: string;
}

/** Flow differences. */
export const EXPECTED_FLOW_DIFFS: readonly ExpectedFlowDiff[] = [
  {
    scenario: 'scenarios/workloads.yaml',
    flow: 'pod→NodePort on another node',
    diff: 'outcome',
    text: /kernel failed \(timeout\), netsim refused \(reply REJECTED in default\.web-client: nothing listens on/,
    always: false,
    why:
      "eTP Local short-circuits pod traffic to any endpoint without SNAT: when the backend sits on the client's own node, " +
      "its SYN-ACK goes straight back over the bridge from the pod's address, which the client's socket does not know. " +
      'Both sides agree the connection fails; the kernel client resets it and retries until its timeout, netsim ends the ' +
      'trace at that reset (REJECTED, nothing listens on the client port)',
  },
];

/** A state line the kernel prints and the model does not (or the reverse), with the reason. */
export interface ExpectedStateDiff {
  /** Which side has the line. */
  readonly side: 'kernel' | 'netsim';
  readonly what: 'route' | 'addr' | 'fdb' | 'iptables' | 'ip6tables';
  /** Model namespaces it applies to: `node` (the cluster's nodes) or `any`. */
  readonly where: 'node' | 'any';
  readonly line: RegExp;
  readonly why: string;
}

/** Known state differences (none at the moment). */
export const EXPECTED_STATE_DIFFS: readonly ExpectedStateDiff[] = [];
