/**
 * Services: unique `namespace/name`, ClusterIPs (given inside the service CIDR, or allocated;
 * the first address is the `kubernetes` Service's), NodePorts (given inside 30000–32767, or
 * allocated), and the implicit `kubernetes` Service in `default` when the scenario does not
 * declare it.
 */
import { type Ip, cidrContains, formatCidr, formatIp, ipEquals } from '../../addr/index.js';
import { allocateAddresses, clusterIpRange, kubernetesServiceIp, usableRange } from '../../cluster/allocate/index.js';
import type { ClusterConfig, Service, ServicePort } from '../../cluster/objects.js';
import type { At, RawService } from '../raw.js';
import { fail } from '../reader.js';
import { definePortPos } from './service-port-pos.js';
import { assignNodePorts } from './node-ports.js';
import { dnsAddonIp, kubeDnsService } from './cluster-dns.js';
import { type ServiceFamilies, resolveIpFamilies } from './ip-families.js';
import { clusterFamilies, familyNetworks } from '../../cluster/families.js';
import { dedupe } from './unique.js';
import { CLUSTER_IP_DEFAULTS } from './service-defaults.js';

/** The `kubernetes` Service's name and namespace. */
export const KUBERNETES_SERVICE = { name: 'kubernetes', namespace: 'default' } as const;

/** True for the `default/kubernetes` Service. */
export function isKubernetesService(s: { readonly name: string; readonly namespace: string }): boolean {
  return s.name === KUBERNETES_SERVICE.name && s.namespace === KUBERNETES_SERVICE.namespace;
}

/** Resolves ClusterIPs and NodePorts, and adds the implicit `kubernetes` Service. */
export function resolveServices(raw: readonly RawService[], cluster: ClusterConfig): Service[] {
  const unique = dedupe(raw, (s) => `${s.meta.namespace}/${s.meta.name}`, (s) => s.meta.nameField, 'Service');
  const declaresKubernetes = unique.some((s) => isKubernetesService(s.meta));
  const dnsIp = dnsAddonIp(cluster, unique);
  const fams = unique.map((s) => resolveIpFamilies(s, cluster));
  const ips = allocateClusterIps(unique, fams, cluster, { declaresKubernetes, dnsIp });
  const nodePorts = assignNodePorts(unique, cluster.serviceNodePortRange);
  const services = unique.map((s, i): Service => toService(s, ips[i] ?? [], nodePorts[i] ?? [], fams[i]));
  const implicit = [...(declaresKubernetes ? [] : [implicitKubernetesService(cluster)]), ...(dnsIp === undefined ? [] : [kubeDnsService(dnsIp)])];
  return [...services, ...implicit];
}

/** The RawService fields toService writes itself, or drops: the rest are copied as they are. */
const NOT_COPIED = new Set(['meta', 'selector', 'clusterIP', 'ports', 'ipFamily']);

/**
 * The Service, its fields written one at a time onto one fresh object, in the order of the
 * literal {@link toServiceByLiteral} spells (the reference service-shape.test.ts holds it equal
 * to, key order included). In V8 an object literal that spreads and then adds keys gets a
 * hidden class of its own: 10,000 Services made 10,000 of them, each with its descriptors,
 * only to be copied onto a fresh object field by field (so that later reads of a Service's
 * fields stay monomorphic). Keys added one by one to `{}` follow shared transitions: Services
 * of the same fields share one hidden class, and nothing is made twice.
 */
export function toService(s: RawService, clusterIPs: readonly Ip[], nodePorts: readonly (number | undefined)[], fams: ServiceFamilies | undefined): Service {
  const out: Record<string, unknown> = {};
  if (fams !== undefined && s.type !== 'ExternalName') out['ipFamilies'] = fams.families;
  if (fams?.policy !== undefined) out['ipFamilyPolicy'] = fams.policy;
  out['name'] = s.meta.name;
  out['namespace'] = s.meta.namespace;
  out['labels'] = s.meta.labels;
  out['pos'] = s.meta.pos;
  const raw = s as unknown as Record<string, unknown>;
  for (const k of Object.keys(raw)) if (!NOT_COPIED.has(k)) out[k] = raw[k];
  if (s.selector !== undefined) out['selector'] = s.selector.value;
  out['clusterIPs'] = clusterIPs;
  out['headless'] = s.clusterIP?.value === 'None';
  out['ports'] = s.ports.map((p, j) => servicePort(p, nodePorts[j]));
  return out as unknown as Service;
}

/** The RawServicePort fields a ServicePort leaves out. */
const PORT_NOT_COPIED = new Set(['field', 'nodePortField', 'nodePort']);

/** The port's own fields, `pos` (found when read), then `nodePort`. */
function servicePort(p: RawService['ports'][number], np: number | undefined): ServicePort {
  const port: Record<string, unknown> = {};
  const raw = p as unknown as Record<string, unknown>;
  for (const k of Object.keys(raw)) if (!PORT_NOT_COPIED.has(k)) port[k] = raw[k];
  definePortPos(port, p.field);
  if (np !== undefined) port['nodePort'] = np;
  return port as unknown as ServicePort;
}

/** {@link toService} as a literal of spreads (what it was): the reference. */
export function toServiceByLiteral(s: RawService, clusterIPs: readonly Ip[], nodePorts: readonly (number | undefined)[], fams: ServiceFamilies | undefined): Service {
  const { meta, selector, clusterIP, ports, ipFamily: _raw, ...rest } = s;
  return {
    ...(fams === undefined || s.type === 'ExternalName' ? {} : { ipFamilies: fams.families }),
    ...(fams?.policy === undefined ? {} : { ipFamilyPolicy: fams.policy }),
    name: meta.name,
    namespace: meta.namespace,
    labels: meta.labels,
    pos: meta.pos,
    ...rest,
    ...(selector === undefined ? {} : { selector: selector.value }),
    clusterIPs,
    headless: clusterIP?.value === 'None',
    ports: ports.map(({ field, nodePortField: _f, nodePort: _n, ...p }, j) => {
      const np = nodePorts[j];
      const port: Record<string, unknown> = { ...p };
      definePortPos(port, field);
      if (np !== undefined) port['nodePort'] = np;
      return port as unknown as ServicePort;
    }),
  };
}

/**
 * ClusterIPs per family, from each family's service CIDR: a Service gets one address for each
 * of its families, in its families' order. A Service the family check refused gets none.
 */
function allocateClusterIps(services: readonly RawService[], fams: readonly (ServiceFamilies | undefined)[], cluster: ClusterConfig, reserved: { readonly declaresKubernetes: boolean; readonly dnsIp: Ip | undefined }): Ip[][] {
  const { declaresKubernetes, dnsIp } = reserved;
  const out: Ip[][] = services.map(() => []);
  const given = services.map((s): At<Ip>[] => {
    const first = s.clusterIP;
    if (first === undefined || first.value === 'None') return [];
    return [{ value: first.value, field: first.field }, ...(s.ipFamily?.secondIP === undefined ? [] : [s.ipFamily.secondIP])];
  });
  for (const family of clusterFamilies(cluster)) {
    const nets = familyNetworks(cluster, family);
    if (nets === undefined) continue;
    const isPrimary = family === cluster.clusterCIDR.addr.family;
    // The kubernetes Service is single-stack in the primary family, as the API server creates it.
    const view = services.map((s, i): RawService | undefined => {
      const f = fams[i];
      if (f === undefined || !f.families.includes(family) || (!isPrimary && isKubernetesService(s.meta))) return undefined;
      const mine = given[i]?.find((g) => g.value.family === family);
      // Nothing to put in its place: the Service as it is (a copy per Service was garbage).
      if (mine === undefined && s.clusterIP === undefined) return s;
      const { clusterIP: _c, ...rest } = s;
      return s.clusterIP?.value === 'None' ? s : { ...rest, ...(mine === undefined ? {} : { clusterIP: mine }) };
    });
    const present = view.filter((v): v is RawService => v !== undefined);
    const got = clusterIps(present, { ...cluster, serviceCIDR: nets.serviceCIDR }, declaresKubernetes || !isPrimary, dnsIp?.family === family ? dnsIp : undefined);
    let k = 0;
    view.forEach((v, i) => {
      if (v === undefined) return;
      const ip = got[k++]?.[0];
      if (ip !== undefined) out[i]?.push(ip);
    });
  }
  // In the order of the Service's families (a Service may put the secondary family first).
  return out.map((ips, i) => [...ips].sort((a, b) => (fams[i]?.families.indexOf(a.family) ?? 0) - (fams[i]?.families.indexOf(b.family) ?? 0)));
}

function clusterIps(services: readonly RawService[], cluster: Pick<ClusterConfig, 'serviceCIDR'>, declaresKubernetes: boolean, dnsIp: Ip | undefined): Ip[][] {
  const cidr = cluster.serviceCIDR;
  const usable = usableRange(cidr);
  const reserved = kubernetesServiceIp(cidr);
  // kube-dns's address is kept too (kubelet's clusterDNS), as kubeadm creates the Service with it.
  const taken: Ip[] = [...(declaresKubernetes ? [] : [reserved]), ...(dnsIp === undefined ? [] : [dnsIp])];
  for (const s of services) {
    const given = s.clusterIP;
    if (given === undefined || given.value === 'None' || s.type === 'ExternalName') continue;
    const ip = given.value;
    if (!cidrContains(cidr, ip) || ip.value < usable.first || ip.value > usable.last) {
      fail(given.field, 'SCN_ADDRESS_OUT_OF_RANGE', `clusterIP ${formatIp(ip)} of Service ${s.meta.name} is not a host address of serviceCIDR ${formatCidr(cidr)}`);
    } else if (taken.some((t) => ipEquals(t, ip))) {
      const whose = ipEquals(ip, reserved) && !declaresKubernetes ? 'the kubernetes Service' : dnsIp !== undefined && ipEquals(ip, dnsIp) ? 'the kube-dns Service' : 'another Service';
      fail(given.field, 'SCN_DUPLICATE_ADDRESS', `clusterIP ${formatIp(ip)} of Service ${s.meta.name} is already ${whose}'s`);
    } else taken.push(ip);
  }
  const wanting = services.filter((s) => s.clusterIP === undefined && s.type !== 'ExternalName');
  // The kubernetes Service gets the reserved address unless the scenario gave it away.
  const kubeWanting = wanting.find((s) => isKubernetesService(s.meta));
  const kube = kubeWanting !== undefined && !taken.some((t) => ipEquals(t, reserved)) ? kubeWanting : undefined;
  if (kube !== undefined) taken.push(reserved);
  const others = wanting.filter((s) => s !== kube);
  const fresh = allocateAddresses(cidr.addr.family, clusterIpRange(cidr), taken, others.length);
  const byService = new Map<RawService, Ip | undefined>(others.map((s, i) => [s, fresh[i]]));
  if (kube !== undefined) byService.set(kube, reserved);
  return services.map((s) => {
    const given = s.clusterIP?.value;
    if (s.type === 'ExternalName' || given === 'None') return [];
    if (given !== undefined) return [given];
    const ip = byService.get(s);
    if (ip === undefined) fail(s.meta.nameField, 'SCN_IP_EXHAUSTED', `no ClusterIP left in serviceCIDR ${formatCidr(cidr)} for Service ${s.meta.name}`);
    return ip === undefined ? [] : [ip];
  });
}

/** `default/kubernetes`: HTTPS on 443 of the first service address, to 6443 on every node. */
function implicitKubernetesService(cluster: ClusterConfig): Service {
  return {
    name: 'kubernetes',
    namespace: 'default',
    labels: { component: 'apiserver', provider: 'kubernetes' },
    type: 'ClusterIP',
    clusterIPs: [kubernetesServiceIp(cluster.serviceCIDR)],
    ipFamilies: [cluster.serviceCIDR.addr.family],
    ipFamilyPolicy: 'SingleStack',
    ports: [{ name: 'https', protocol: 'TCP', port: 443, targetPort: 6443 }],
    ...CLUSTER_IP_DEFAULTS,
  };
}
