/**
 * The rules that do not depend on services (reference note §4): the top-level chains declared on
 * every sync, the masquerade machinery in nat, and kubelet's anti-martian rule and the forwarding
 * rules in filter.
 */
import type { ResolvedConfig } from './config.js';
import {
  KUBE_EXTERNAL_SERVICES,
  KUBE_FIREWALL,
  KUBE_FORWARD,
  KUBE_MARK_MASQ,
  KUBE_NODEPORTS,
  KUBE_POSTROUTING,
  KUBE_PROXY_FIREWALL,
  KUBE_SERVICES,
} from './naming.js';
import { type TableLines, comment, line } from './rule.js';

/** The filter chains declared first on every sync, in kube-proxy's order. */
export const FILTER_TOP_CHAINS = [KUBE_SERVICES, KUBE_EXTERNAL_SERVICES, KUBE_FORWARD, KUBE_NODEPORTS, KUBE_PROXY_FIREWALL] as const;

/** The nat chains declared first on every sync, in kube-proxy's order. */
export const NAT_TOP_CHAINS = [KUBE_SERVICES, KUBE_NODEPORTS, KUBE_POSTROUTING, KUBE_MARK_MASQ] as const;

/** KUBE-POSTROUTING (mark → MASQUERADE) and KUBE-MARK-MASQ. */
export function natFixedRules(rc: ResolvedConfig): string[] {
  const mark = rc.masqueradeMark;
  return [
    line('-A', KUBE_POSTROUTING, '-m', 'mark', '!', '--mark', `${mark}/${mark}`, '-j', 'RETURN'),
    // Clear the mark so that a packet traversing the stack again is not masqueraded twice.
    line('-A', KUBE_POSTROUTING, '-j', 'MARK', '--xor-mark', mark),
    line(
      '-A',
      KUBE_POSTROUTING,
      comment('kubernetes service traffic requiring SNAT'),
      '-j',
      'MASQUERADE',
      rc.randomFully ? ['--random-fully'] : [],
    ),
    line('-A', KUBE_MARK_MASQ, '-j', 'MARK', '--or-mark', mark),
  ];
}

/**
 * KUBE-FIREWALL, a copy of kubelet's rule: route_localnet (needed for localhost NodePorts) would
 * otherwise let remote hosts reach 127.0.0.0/8 services (kubernetes issue 90259).
 */
export function kubeletFirewall(rc: ResolvedConfig, filter: TableLines): void {
  if (rc.family !== 4 || !rc.localhostNodePorts) return;
  filter.chains.push(KUBE_FIREWALL);
  filter.rules.push(
    line(
      '-A',
      KUBE_FIREWALL,
      comment('block incoming localnet connections'),
      '-d',
      '127.0.0.0/8',
      '!',
      '-s',
      '127.0.0.0/8',
      '-m',
      'conntrack',
      '!',
      '--ctstate',
      'RELATED,ESTABLISHED,DNAT',
      '-j',
      'DROP',
    ),
  );
}

/** KUBE-FORWARD: drop INVALID (unless tcp_be_liberal), accept marked and established traffic. */
export function forwardRules(rc: ResolvedConfig): string[] {
  const rules: string[] = [];
  if (!rc.conntrackTCPLiberal) {
    const acct = rc.nfacct ? ['-m', 'nfacct', '--nfacct-name', 'ct_state_invalid_dropped_pkts'] : [];
    rules.push(line('-A', KUBE_FORWARD, '-m', 'conntrack', '--ctstate', 'INVALID', acct, '-j', 'DROP'));
  }
  const mark = rc.masqueradeMark;
  // Marked traffic is accepted so that NodePorts work under a DROP FORWARD policy.
  rules.push(line('-A', KUBE_FORWARD, comment('kubernetes forwarding rules'), '-m', 'mark', '--mark', `${mark}/${mark}`, '-j', 'ACCEPT'));
  rules.push(
    line('-A', KUBE_FORWARD, comment('kubernetes forwarding conntrack rule'), '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'ACCEPT'),
  );
  return rules;
}
