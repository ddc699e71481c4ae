/**
 * Devices of a node dump, from `ip -j -d link` (or `ip -j addr` when the dump has no link file):
 * the kind from `linkinfo.info_kind` (veth, bridge, vxlan, ipip, dummy), the veth peer from
 * `link_index`/`link_netnsid`, the bridge port from `master`, VXLAN's id, local address, lower
 * device, port and learning from `info_data`. A device of a kind netsim does not model (a NIC,
 * a VLAN, WireGuard, …) becomes a device whose packets leave the node, with a warning.
 */
import { parseIp } from '../../addr/ip.js';
import { type Mac, parseMac } from '../../addr/mac.js';
import { type Diagnostic, warning } from '../../diag/diagnostic.js';
import type { Link, LinkDump } from '../link/types.js';
import { FieldReader, type JsonEntry } from './json.js';

/** A device as read, before the namespace is assembled. */
export interface ReadLink {
  readonly link: Link;
  readonly pos: JsonEntry['pos'];
}

const ZERO_MAC = '00:00:00:00:00:00' as Mac;

/** `ip -j link` entries → devices (by ifindex order of the dump). */
export function readLinks(entries: readonly JsonEntry[], out: Diagnostic[]): ReadLink[] {
  const names = new Map<number, string>();
  for (const e of entries) {
    const i = e.obj['ifindex'];
    const n = e.obj['ifname'];
    if (typeof i === 'number' && typeof n === 'string') names.set(i, n);
  }
  const links: ReadLink[] = [];
  for (const e of entries) {
    const l = readLink(e, names, out);
    if (l !== undefined) links.push({ link: l, pos: e.pos });
  }
  return links;
}

function readLink(e: JsonEntry, names: ReadonlyMap<number, string>, out: Diagnostic[]): Link | undefined {
  const f = new FieldReader(e, out, 'ip -j link');
  const name = f.need('ifname');
  const ifindex = f.num('ifindex');
  if (name === undefined || ifindex === undefined) return undefined;
  const flags = f.strs('flags') ?? [];
  const linkType = f.str('link_type') ?? 'ether';
  const macText = f.str('address');
  const mac = (macText === undefined ? undefined : parseMac(macText)) ?? ZERO_MAC;
  const linkIndex = f.num('link_index');
  const netnsid = f.num('link_netnsid');
  const info = f.obj('linkinfo');
  const kind = info === undefined ? undefined : f.sub(info, `ip -j -d link ${name}`).str('info_kind');
  const data = info === undefined ? undefined : f.sub(info, `ip -j -d link ${name}`).obj('info_data');
  const at = linkIndex === undefined ? (e.obj['link'] === null ? 'NONE' : f.str('link')) : netnsid !== undefined ? `if${linkIndex}` : (names.get(linkIndex) ?? `if${linkIndex}`);
  const dump: LinkDump = {
    flags,
    qdisc: f.str('qdisc') ?? 'noqueue',
    operstate: f.str('operstate') ?? 'UNKNOWN',
    ...(f.num('txqlen') !== undefined ? { qlen: f.num('txqlen') as number } : {}),
    linkType,
    ...(macText !== undefined ? { address: macText } : {}),
    ...(f.str('broadcast') !== undefined ? { broadcast: f.str('broadcast') as string } : {}),
    ...(at !== undefined ? { at } : {}),
    ...(netnsid !== undefined ? { netnsid } : {}),
    altnames: f.strs('altnames') ?? [],
    selfFdb: [],
  };
  const common = {
    name,
    ifindex,
    mtu: f.num('mtu') ?? 1500,
    mac,
    up: flags.includes('UP'),
    ...(flags.includes('UP') ? { everUp: true } : {}),
    ...(f.str('master') !== undefined ? { master: f.str('master') as string } : {}),
  };
  if (linkType === 'loopback') return { kind: 'loopback', ...common, dump };
  switch (kind) {
    case 'veth': {
      // The peer: in this namespace by name, else in one the dump does not hold (a pod's).
      const local = netnsid === undefined && linkIndex !== undefined ? names.get(linkIndex) : undefined;
      const peer = local !== undefined ? { ns: '', dev: local } : { ns: `netnsid:${netnsid ?? '?'}`, dev: `if${linkIndex ?? 0}` };
      return { kind: 'veth', ...common, peer, dump };
    }
    case 'bridge':
      return { kind: 'bridge', ...common, macPinned: true, mtuPinned: true, dump };
    case 'dummy':
      return { kind: 'dummy', ...common, dump };
    case 'vxlan':
      return vxlanOf(f, name, common, data, dump);
    case 'ipip': {
      const d = data === undefined ? undefined : f.sub(data, `ip -j -d link ${name}`);
      const local = parseIp(d?.str('local') ?? '');
      const remote = parseIp(d?.str('remote') ?? '');
      const ttl = d?.num('ttl');
      return { kind: 'ipip', ...common, ...(local !== undefined ? { local } : {}), ...(remote !== undefined ? { remote } : {}), ...(at !== undefined && at !== 'NONE' ? { dev: at } : {}), ttl: ttl === undefined || ttl === 0 ? 'inherit' : ttl, dump };
    }
    default: {
      const what = kind === undefined ? 'a device without a kind (a NIC)' : `a device of kind ${kind}`;
      out.push(warning('HOST_DUMP_UNMODELLED', `${name} is ${what}, which netsim does not model: packets sent through it leave the node`, e.pos));
      return { kind: 'dummy', ...common, dump: { ...dump, realKind: kind ?? 'nic' } };
    }
  }
}

function vxlanOf(f: FieldReader, name: string, common: Omit<Link, 'kind'>, data: Readonly<Record<string, unknown>> | undefined, dump: LinkDump): Link {
  const d = data === undefined ? undefined : f.sub(data, `ip -j -d link ${name} (vxlan)`);
  const local = parseIp(d?.str('local') ?? d?.str('local6') ?? '');
  const lower = d?.str('link');
  return {
    kind: 'vxlan',
    ...common,
    vni: d?.num('id') ?? 0,
    ...(local !== undefined ? { local } : {}),
    ...(lower !== undefined ? { dev: lower } : {}),
    dstport: d?.num('port') ?? 8472,
    learning: d?.bool('learning') ?? true,
    dump,
  };
}
