/**
 * The scenario loader: scenario files in, a validated ClusterSpec and located diagnostics
 * out. Never throws for any input.
 *
 *   texts ─readSources→ raw objects (per-object checks; each document read as soon as it is
 *         parsed: parseSources → readDocuments, document by document)
 *         ─resolve*→ ClusterSpec (cross-object checks, deterministic allocation)
 */
import { type Diagnostic, type Parsed } from '../diag/diagnostic.js';
import type { ClusterSpec } from '../cluster/objects.js';
import { readSources } from './read-sources.js';
import { resolveAdminPolicies } from './resolve/admin-netpol.js';
import { resolveCalico } from './resolve/calico.js';
import { resolveCalicoBgp } from './resolve/calico-bgp.js';
import { resolveCluster } from './resolve/cluster.js';
import { checkSelectors, resolveSlices } from './resolve/endpoints.js';
import { resolveNamespaces, usedNamespaces } from './resolve/namespaces.js';
import { resolveNetworkPolicies } from './resolve/netpol.js';
import { resolveNodes } from './resolve/nodes.js';
import { resolveExternalHosts } from './resolve/external-hosts.js';
import { resolvePods } from './resolve/pods.js';
import { resolveServices } from './resolve/services.js';
import { corednsPods } from './resolve/cluster-dns.js';
import { KUBE_DNS } from '../cluster/objects.js';
import { resolveWorkloads } from './resolve/workloads.js';
import type { LoadOptions, ScenarioFile } from './source.js';

/**
 * Loads a scenario from one multi-document file or from the files of a folder (in the order
 * given; the CLI sorts a folder's files by name). The value is undefined only when there is
 * no usable Cluster object; with errors it may be partial, so check the diagnostics.
 */
export function loadScenario(files: readonly ScenarioFile[], options: LoadOptions = {}): Parsed<ClusterSpec | undefined> {
  const { raw, parsed, read } = readSources(files, options);
  // The fields kept in `raw` report into `read`, so the cross-object checks add theirs there too.
  const diags = read;
  const base = resolveCluster(raw.clusters, files, diags);
  const rawCluster = raw.clusters[0];
  if (base === undefined || rawCluster === undefined) return { value: undefined, diagnostics: sortDiagnostics(parsed, diags, files) };
  const withCalico = resolveCalico(raw.calico, base, rawCluster);
  const bgp = resolveCalicoBgp(raw.calico, withCalico, resolveNodes(raw.nodes, withCalico, rawCluster), rawCluster, raw.nodes);
  const nodes = bgp.nodes;
  const hosts = resolveExternalHosts(rawCluster, bgp.cluster, nodes);
  const cluster = hosts.length === 0 ? bgp.cluster : { ...bgp.cluster, externalHosts: hosts };
  const made = resolveWorkloads(raw.workloads, nodes, raw.pods.map((p) => `${p.meta.namespace}/${p.meta.name}`));
  const services = resolveServices(raw.services, cluster);
  // The CoreDNS pods come with the kube-dns Service the addon adds, after the scenario's own pods.
  const addon = services.some((s) => s.pos === undefined && s.name === KUBE_DNS.name && s.namespace === KUBE_DNS.namespace);
  const pods = [...resolvePods(raw.pods, nodes, cluster.cni, made), ...(addon ? corednsPods(cluster, nodes) : [])];
  checkSelectors(raw.services, services, pods);
  const endpointSlices = resolveSlices(raw.slices, services, nodes);
  const networkPolicies = resolveNetworkPolicies(raw.networkPolicies, cluster.networkPolicy, cluster.cni.type);
  const admin = resolveAdminPolicies(raw.adminNetworkPolicies, raw.baselineAdminNetworkPolicies, cluster.networkPolicy);
  const namespaces = resolveNamespaces(raw.namespaces, usedNamespaces([pods, made.workloads, services, endpointSlices, networkPolicies]));
  const workloads = made.workloads.length === 0 ? {} : { workloads: made.workloads, replicaSets: made.replicaSets };
  const value: ClusterSpec = { cluster, namespaces, nodes, pods, services, endpointSlices, networkPolicies, ...admin, ...workloads };
  return { value, diagnostics: sortDiagnostics(parsed, diags, files) };
}

/**
 * In file order, then line and column: the order a reader fixes them in. Equal positions keep
 * their order: the parse problems of every file, then the readers' and the later checks'.
 */
function sortDiagnostics(parsed: readonly Diagnostic[], diags: readonly Diagnostic[], files: readonly ScenarioFile[]): Diagnostic[] {
  const fileIndex = new Map(files.map((f, i) => [f.path, i]));
  const key = (d: Diagnostic): [number, number, number] => [fileIndex.get(d.pos?.file ?? '') ?? -1, d.pos?.line ?? 0, d.pos?.col ?? 0];
  const all = [...parsed];
  for (const d of diags) all.push(d);
  return all.sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    return ka[0] - kb[0] || ka[1] - kb[1] || ka[2] - kb[2];
  });
}
