/**
 * The fixed part of kube-proxy's nftables table (setupNFTables): the table, the sets and
 * vmaps the services fill, the base chains with their hooks and priorities, and the regular
 * chains they jump to. Written in the order of upstream's expected test output (baseRules in
 * pkg/proxy/nftables/proxier_test.go), which is the order `nft list ruleset` lists them in.
 */
import type { Tx } from './tx.js';

/** A base chain: `<type>-<hook>`, registered at `priority`. */
interface BaseChain {
  readonly name: string;
  readonly type: 'filter' | 'nat';
  readonly hook: 'prerouting' | 'input' | 'forward' | 'output' | 'postrouting';
  /** dstnat - 10 = -110 runs before DNAT, so these chains still see the Service IP. */
  readonly priority: number;
}

const BASE_CHAINS: readonly BaseChain[] = [
  { name: 'filter-prerouting-pre-dnat', type: 'filter', hook: 'prerouting', priority: -110 },
  { name: 'filter-output-pre-dnat', type: 'filter', hook: 'output', priority: -110 },
  { name: 'filter-forward', type: 'filter', hook: 'forward', priority: 0 },
  { name: 'filter-input', type: 'filter', hook: 'input', priority: 0 },
  { name: 'filter-output', type: 'filter', hook: 'output', priority: 0 },
  { name: 'nat-output', type: 'nat', hook: 'output', priority: -100 },
  { name: 'nat-postrouting', type: 'nat', hook: 'postrouting', priority: 100 },
  { name: 'nat-prerouting', type: 'nat', hook: 'prerouting', priority: -100 },
];

/** Regular chains, placed among the base chains as upstream lists them. */
const REGULAR_BEFORE_BASE = ['cluster-ips-check'];
const REGULAR_BETWEEN = ['firewall-check', 'mark-for-masquerade', 'masquerading'];
const REGULAR_AFTER = ['nodeport-endpoints-check', 'reject-chain', 'services', 'service-endpoints-check'];

/** nftablesJumpChains: `[match] jump <chain>` from the base chains. */
const JUMPS: readonly (readonly [from: string, rule: string])[] = [
  ['filter-prerouting-pre-dnat', 'ct state new jump firewall-check'],
  ['filter-forward', 'ct state new jump service-endpoints-check'],
  ['filter-forward', 'ct state new jump cluster-ips-check'],
  ['filter-input', 'ct state new jump nodeport-endpoints-check'],
  ['filter-input', 'ct state new jump service-endpoints-check'],
  ['filter-output', 'ct state new jump service-endpoints-check'],
  ['filter-output-pre-dnat', 'ct state new jump firewall-check'],
  ['filter-output', 'ct state new jump cluster-ips-check'],
  ['nat-output', 'jump services'],
  ['nat-postrouting', 'jump masquerading'],
  ['nat-prerouting', 'jump services'],
];

/** What the fixed part depends on. */
export interface BaseOptions {
  /** `0x4000` for the default bit 14. */
  readonly mark: string;
  /** The service CIDRs of the family (the "unallocated ClusterIP" drop rule); may be empty. */
  readonly serviceCIDRs: readonly string[];
  /** The node IPs that accept NodePorts, or undefined for match-all (then the set is deleted). */
  readonly nodePortIPs: readonly string[] | undefined;
}

function sets(tx: Tx, o: BaseOptions): void {
  const a = tx.words.addrType;
  tx.set('set', 'cluster-ips', [`type ${a}`, 'comment "Active ClusterIPs"']);
  // Upstream adds the set and deletes it again under match-all; the net effect is no set.
  if (o.nodePortIPs !== undefined) tx.set('set', 'nodeport-ips', [`type ${a}`, 'comment "IPs that accept NodePort traffic"']);
  const maps: readonly (readonly [string, string, string])[] = [
    ['firewall-ips', `${a} . inet_proto . inet_service`, 'destinations that are subject to LoadBalancerSourceRanges'],
    ['no-endpoint-nodeports', 'inet_proto . inet_service', 'vmap to drop or reject packets to service nodeports with no endpoints'],
    ['no-endpoint-services', `${a} . inet_proto . inet_service`, 'vmap to drop or reject packets to services with no endpoints'],
    ['service-ips', `${a} . inet_proto . inet_service`, 'ClusterIP, ExternalIP and LoadBalancer IP traffic'],
    ['service-nodeports', 'inet_proto . inet_service', 'NodePort traffic'],
  ];
  for (const [name, key, comment] of maps) tx.set('map', name, [`type ${key} : verdict`, `comment "${comment}"`]);
}

function chains(tx: Tx): void {
  const base = (c: BaseChain) => tx.chain(c.name, `type ${c.type} hook ${c.hook} priority ${c.priority}`);
  for (const c of REGULAR_BEFORE_BASE) tx.chain(c);
  for (const c of BASE_CHAINS.slice(0, 5)) base(c);
  for (const c of REGULAR_BETWEEN) tx.chain(c);
  for (const c of BASE_CHAINS.slice(5)) base(c);
  for (const c of REGULAR_AFTER) {
    tx.chain(c, c === 'reject-chain' ? 'comment "helper for @no-endpoint-services / @no-endpoint-nodeports"' : undefined);
  }
}

/** `ip daddr . meta l4proto . th dport` or its NodePort form (node IPs or `fib daddr type local`). */
function rules(tx: Tx, o: BaseOptions): void {
  const ipX = tx.words.ipX;
  const tuple = `${ipX} daddr . meta l4proto . th dport`;
  const noLocalhost = ipX === 'ip' ? 'ip daddr != 127.0.0.0/8' : 'ip6 daddr != ::1';
  const nodePortMatch = o.nodePortIPs === undefined ? `fib daddr type local ${noLocalhost}` : `${ipX} daddr @nodeport-ips`;
  const nodePortCheck = o.nodePortIPs === undefined ? noLocalhost : `${ipX} daddr @nodeport-ips`;
  tx.rule('cluster-ips-check', `${ipX} daddr @cluster-ips reject`, 'Reject traffic to invalid ports of ClusterIPs');
  if (o.serviceCIDRs.length > 0) {
    tx.rule('cluster-ips-check', `${ipX} daddr { ${o.serviceCIDRs.join(' , ')} } drop`, 'Drop traffic to unallocated ClusterIPs');
  }
  for (const [from, rule] of JUMPS) tx.rule(from, rule);
  tx.rule('firewall-check', `${tuple} vmap @firewall-ips`);
  tx.rule('mark-for-masquerade', `mark set mark or ${o.mark}`);
  tx.rule('masquerading', `mark and ${o.mark} == 0 return`);
  tx.rule('masquerading', `mark set mark xor ${o.mark}`);
  tx.rule('masquerading', 'masquerade fully-random');
  tx.rule('nodeport-endpoints-check', `${nodePortCheck} meta l4proto . th dport vmap @no-endpoint-nodeports`);
  tx.rule('reject-chain', 'reject');
  tx.rule('services', `${tuple} vmap @service-ips`);
  tx.rule('services', `${nodePortMatch} meta l4proto . th dport vmap @service-nodeports`);
  for (const ip of o.nodePortIPs ?? []) tx.element('nodeport-ips', [ip]);
  tx.rule('service-endpoints-check', `${tuple} vmap @no-endpoint-services`);
}

/** setupNFTables: everything but the service ports. */
export function writeBase(tx: Tx, o: BaseOptions): void {
  tx.table('rules for kube-proxy');
  sets(tx, o);
  chains(tx);
  rules(tx, o);
}
