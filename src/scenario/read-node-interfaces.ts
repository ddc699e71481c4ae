/**
 * A Cluster node's further addresses: `addresses` (more addresses of eth0) and `interfaces`
 * (`[{name: eth0, addresses: […]}, {name: eth1, addresses: […]}]`: eth0's join `addresses`,
 * the others become dummy devices, as `ip link add NAME type dummy`). Each address keeps its
 * host bits (`ip addr add 192.168.1.2/24`); a bare address is a host prefix.
 */
import { type Cidr, parseCidr } from '../addr/index.js';
import { NODE_INTERFACE } from './fields.js';
import type { RawNode } from './raw.js';
import { type Field, child, fail, fieldName, optList, optMap, reqString, wrongType } from './reader.js';
import { checkText } from './validate/index.js';

/** The node's further addresses and interfaces, present keys only. */
export function readNodeInterfaces(addresses: Field, interfaces: Field): Pick<RawNode, 'extraAddresses' | 'extraInterfaces'> {
  const onEth0 = readAddresses(addresses);
  const others: { name: string; addresses: Cidr[] }[] = [];
  for (const item of optList(interfaces) ?? []) {
    if (optMap(item, NODE_INTERFACE) === undefined) continue;
    const name = reqString(item, 'name');
    // eth0 is the node's own device; any other name must be one the kernel takes and netsim does not use.
    if (name === undefined || (name !== 'eth0' && !checkText(child(item, 'name'), 'Cluster spec.nodes[].interfaces[].name', name))) continue;
    const list = readAddresses(child(item, 'addresses'));
    if (name === 'eth0') onEth0.push(...list);
    else if (others.some((o) => o.name === name)) fail(child(item, 'name'), 'SCN_DUPLICATE_NAME', `${fieldName(child(item, 'name'))}: the node already has a device ${name}`);
    else others.push({ name, addresses: list });
  }
  return { ...(onEth0.length === 0 ? {} : { extraAddresses: onEth0 }), ...(others.length === 0 ? {} : { extraInterfaces: others }) };
}

function readAddresses(f: Field): Cidr[] {
  return (optList(f) ?? []).flatMap((item) => {
    if (typeof item.value !== 'string') return wrongType(item, 'an address or address/prefix') ?? [];
    const c = parseCidr(item.value);
    if (c === undefined) fail(item, 'SCN_BAD_ADDRESS', `${fieldName(item)}: "${item.value}" is not an address or address/prefix`);
    return c === undefined ? [] : [c];
  });
}
