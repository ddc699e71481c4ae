/**
 * The one thing wrong with a trace query that the scenario alone shows: SRC or DST names
 * nothing in it. `netsim trace` says so before it builds the cluster (seconds at 5,000 nodes), and
 * {@link planQuery} checks it first too, so both answer the same whatever is wrong besides.
 */
import { namesNothing } from '../cluster/lookup.js';
import type { ClusterSpec } from '../cluster/objects.js';
import type { BuiltCluster } from '../cluster/assemble/cluster.js';
import type { TraceQuery } from './trace.js';

/**
 * `source: no pod, Service, node or IP called X` (or the destination's), as resolveEndpoint words
 * it, when SRC or DST names nothing in `spec`; undefined otherwise. With `dns` (the CLI's `--dns`
 * flag, undefined when not given) a DST that a DNS lookup would answer for is left to it: the
 * lookup traces the NXDOMAIN.
 */
export function unknownNameProblem(spec: ClusterSpec, q: Pick<TraceQuery, 'src' | 'dst'>, dns: { readonly flag: boolean | undefined } | undefined = undefined): string | undefined {
  if (namesNothing(spec, q.src)) return `source: no pod, Service, node or IP called ${q.src}`;
  const toDns = dns !== undefined && (dns.flag ?? looksLikeDnsName({ spec }, q.dst));
  if (!toDns && namesNothing(spec, q.dst)) return `destination: no pod, Service, node or IP called ${q.dst}`;
  return undefined;
}

/** Names that only DNS gives a meaning: they end in a dot, or in `.svc`, `.svc.DOMAIN`, `.pod.DOMAIN` or `.DOMAIN`. */
export function looksLikeDnsName(built: Pick<BuiltCluster, 'spec'>, dst: string): boolean {
  const domain = built.spec.cluster.dns?.clusterDomain ?? 'cluster.local';
  const d = dst.toLowerCase();
  if (d.includes('/') || d.includes(':') || !/^[a-z0-9.-]+$/.test(d)) return false;
  return d.endsWith('.') || d.endsWith('.svc') || d.endsWith(`.${domain}`);
}
