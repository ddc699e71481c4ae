/**
 * Reading `Cluster.spec.underlay`: the nodes' L2 networks and the plain Linux routers joining
 * them. Checks that need one entry only (names, prefixes, MTU range) are made here; the ones
 * across entries (unknown networks, overlaps, duplicates) in resolve/underlay.ts.
 */
import type { UnderlayRouterBgpPeer } from '../cluster/objects.js';
import { ROUTER_BGP, ROUTER_BGP_PEER, UNDERLAY, UNDERLAY_NETWORK, UNDERLAY_ROUTER } from './fields.js';
import { optCidr, optIp } from './read-addr.js';
import { optAsNumber } from './read-bgp-values.js';
import type { At, RawNetwork, RawRouter, RawRouterBgp, RawUnderlay } from './raw.js';
import { type Field, absent, at, child, fail, fieldName, missing, optInt, optList, optMap, optString } from './reader.js';

/** What an omitted network MTU means (Ethernet's). */
export const DEFAULT_NETWORK_MTU = 1500;

/** The smallest MTU accepted (as for the CNI's `mtu`). */
export const MIN_NETWORK_MTU = 576;

/** RFC 1123 label, as Kubernetes' IsDNS1123Label checks node names: a–z, 0–9, '-', at most 63. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * A name that must be an RFC 1123 label (k8s.io/apimachinery validation.IsDNS1123Label):
 * underlay names become namespace names and sit beside node names, so they follow the node rule.
 */
export function readLabelName(f: Field): At<string> | undefined {
  const name = optString(f);
  if (name === undefined) return undefined;
  if (name.length > 63 || !DNS_LABEL.test(name)) {
    fail(f, 'SCN_BAD_VALUE', `${fieldName(f)} "${name}" is not a valid name: use at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit (an RFC 1123 label)`);
    return undefined;
  }
  return { value: name, field: f };
}

/** Reads the underlay; undefined when the field is absent (then every node shares `nodeNetwork`). */
export function readUnderlay(f: Field): RawUnderlay | undefined {
  if (absent(f)) return undefined;
  if (optMap(f, UNDERLAY) === undefined) return undefined;
  const netsField = child(f, 'networks');
  const networks = (optList(netsField) ?? []).flatMap((item) => readNetwork(item) ?? []);
  if (absent(netsField)) missing(f, 'networks');
  else if (Array.isArray(netsField.value) && netsField.value.length === 0) fail(netsField, 'SCN_BAD_VALUE', 'underlay.networks is empty: list at least one network');
  const routers = (optList(child(f, 'routers')) ?? []).flatMap((item) => readRouter(item) ?? []);
  return { field: f, networks, routers };
}

function readNetwork(item: Field): RawNetwork | undefined {
  if (optMap(item, UNDERLAY_NETWORK) === undefined) return undefined;
  const nameField = child(item, 'name');
  const cidrField = child(item, 'cidr');
  if (absent(nameField)) return missing(item, 'name');
  if (absent(cidrField)) return missing(item, 'cidr');
  const name = readLabelName(nameField);
  const cidr = optCidr(cidrField);
  const mtu = optInt(child(item, 'mtu'), MIN_NETWORK_MTU, 65535) ?? DEFAULT_NETWORK_MTU;
  const interfaceMtu = optInt(child(item, 'interfaceMtu'), MIN_NETWORK_MTU, 65535) ?? mtu;
  if (name === undefined || cidr === undefined) return undefined;
  return { name, cidr: { value: cidr, field: cidrField }, mtu, interfaceMtu, pos: at(item) };
}

function readRouter(item: Field): RawRouter | undefined {
  if (optMap(item, UNDERLAY_ROUTER) === undefined) return undefined;
  const nameField = child(item, 'name');
  if (absent(nameField)) return missing(item, 'name');
  const name = readLabelName(nameField);
  const networksField = child(item, 'networks');
  const networks = (optList(networksField) ?? []).flatMap((n): At<string>[] => {
    const v = optString(n);
    return v === undefined ? [] : [{ value: v, field: n }];
  });
  if (name === undefined) return undefined;
  const bgp = readRouterBgp(child(item, 'bgp'));
  return { name, networks, networksField, ...(bgp === undefined ? {} : { bgp }), pos: at(item) };
}

/** `bgp: {asNumber, routerID?, peers?: [{peerIP, asNumber}]}`: the router runs a BGP daemon. */
function readRouterBgp(f: Field): RawRouterBgp | undefined {
  if (optMap(f, ROUTER_BGP) === undefined) return undefined;
  const asField = child(f, 'asNumber');
  if (absent(asField)) return missing(f, 'asNumber');
  const asNumber = optAsNumber(asField);
  const routerIDField = child(f, 'routerID');
  const routerID = optIp(routerIDField);
  if (routerID !== undefined && routerID.family !== 4) fail(routerIDField, 'SCN_BAD_ADDRESS', `${fieldName(routerIDField)}: a router id is an IPv4 address (4 octets, as BGP's BGP Identifier)`);
  const peersField = child(f, 'peers');
  const list = optList(peersField);
  const peerIPFields: Field[] = [];
  const peers = (list ?? []).flatMap((p): UnderlayRouterBgpPeer[] => {
    if (optMap(p, ROUTER_BGP_PEER) === undefined) return [];
    const ipField = child(p, 'peerIP');
    const peerIP = absent(ipField) ? missing(p, 'peerIP') : optIp(ipField);
    const peerAs = absent(child(p, 'asNumber')) ? missing(p, 'asNumber') : optAsNumber(child(p, 'asNumber'));
    if (peerIP === undefined || peerAs === undefined) return [];
    peerIPFields.push(ipField);
    return [{ peerIP, asNumber: peerAs, pos: at(p) }];
  });
  if (asNumber === undefined) return undefined;
  const value = {
    asNumber,
    ...(routerID === undefined || routerID.family !== 4 ? {} : { routerID }),
    ...(list === undefined ? {} : { peers }),
    pos: at(f),
  };
  return { value, field: f, routerIDField, peerIPFields };
}
