/**
 * The underlay's cross-entry checks: network and router names unique, networks disjoint from
 * each other and from the pod and Service networks (SCN_CIDR_OVERLAP), every network a router
 * names declared (SCN_MISSING_REFERENCE), every router on at least one network, at most ten
 * routers per network (they take `.1`–`.10`, below the nodes' `.11`), and no name shared between
 * a network, a router and a node (each becomes a network namespace of that name).
 */
import { type Cidr, cidrOverlaps, formatCidr } from '../../addr/index.js';
import { MAX_ROUTERS_PER_NETWORK } from '../../cluster/allocate/index.js';
import type { Underlay, UnderlayRouter } from '../../cluster/objects.js';
import type { At, RawNode, RawRouter, RawUnderlay } from '../raw.js';
import { type Field, fail, fieldName } from '../reader.js';
import { dedupe } from './unique.js';

/** Resolves the underlay; `others` are the cluster's pod and Service networks. */
export function resolveUnderlay(raw: RawUnderlay, others: readonly At<Cidr>[]): Underlay {
  const networks = dedupe(raw.networks, (n) => n.name.value, (n) => n.name.field, 'underlay network');
  checkDisjoint([...others, ...networks.map((n) => n.cidr)]);
  const known = new Set(networks.map((n) => n.name.value));
  const routers = dedupe(raw.routers, (r) => r.name.value, (r) => r.name.field, 'router').flatMap((r) => resolveRouter(r, known));
  checkRoutersPerNetwork(routers, raw.routers);
  return {
    networks: networks.map((n) => ({ name: n.name.value, cidr: n.cidr.value, mtu: n.mtu, interfaceMtu: n.interfaceMtu, pos: n.pos })),
    routers,
  };
}

/** Every pair of networks that share addresses is reported at the later one. */
function checkDisjoint(nets: readonly At<Cidr>[]): void {
  nets.forEach((b, i) => {
    for (const a of nets.slice(0, i)) {
      if (cidrOverlaps(a.value, b.value)) fail(b.field, 'SCN_CIDR_OVERLAP', `${fieldName(b.field)} ${formatCidr(b.value)} overlaps ${fieldName(a.field)} ${formatCidr(a.value)}`);
    }
  });
}

function resolveRouter(r: RawRouter, known: ReadonlySet<string>): UnderlayRouter[] {
  const nets = dedupe(r.networks, (n) => n.value, (n) => n.field, `network of router ${r.name.value}:`);
  const found = nets.filter((n) => {
    if (known.has(n.value)) return true;
    fail(n.field, 'SCN_MISSING_REFERENCE', `router ${r.name.value} joins network ${n.value}, which underlay.networks does not declare (it has ${[...known].join(', ') || 'none'})`);
    return false;
  });
  if (r.networks.length === 0) {
    fail(r.networksField.value === undefined ? r.name.field : r.networksField, 'SCN_BAD_VALUE', `router ${r.name.value} joins no network: list at least one in networks`);
    return [];
  }
  return found.length === 0 ? [] : [{ name: r.name.value, networks: found.map((n) => n.value), ...(r.bgp === undefined ? {} : { bgp: r.bgp.value }), pos: r.pos }];
}

function checkRoutersPerNetwork(routers: readonly UnderlayRouter[], raw: readonly RawRouter[]): void {
  const count = new Map<string, number>();
  for (const r of routers) {
    for (const n of r.networks) {
      const c = (count.get(n) ?? 0) + 1;
      count.set(n, c);
      const at = raw.find((x) => x.name.value === r.name)?.name.field;
      if (c === MAX_ROUTERS_PER_NETWORK + 1 && at !== undefined) {
        fail(at, 'SCN_IP_EXHAUSTED', `network ${n} has more than ${MAX_ROUTERS_PER_NETWORK} routers: routers take .1 to .${MAX_ROUTERS_PER_NETWORK}, nodes start at .11`);
      }
    }
  }
}

/**
 * Networks, routers and nodes each become a network namespace named after them, so no two may
 * share a name. Reported at the later of the two (routers after networks, nodes after both).
 */
export function checkNamespaceNames(raw: RawUnderlay, underlay: Underlay, nodes: readonly RawNode[]): void {
  const owner = new Map<string, string>();
  const claim = (name: string, what: string, field: Field, keep = true): void => {
    const prior = owner.get(name);
    if (prior !== undefined) fail(field, 'SCN_DUPLICATE_NAME', `${what} ${name} has the name of ${prior}; each is a network namespace, so names must differ`);
    else if (keep) owner.set(name, `${what} ${name}`);
  };
  for (const n of raw.networks) if (underlay.networks.some((x) => x.name === n.name.value && x.pos === n.pos)) claim(n.name.value, 'network', n.name.field);
  for (const r of raw.routers) if (underlay.routers.some((x) => x.name === r.name.value && x.pos === r.pos)) claim(r.name.value, 'router', r.name.field);
  // Nodes among themselves are resolveNodes' to check.
  for (const n of nodes) claim(n.meta.name, 'node', n.meta.nameField, false);
}
