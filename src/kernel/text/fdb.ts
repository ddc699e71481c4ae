/**
 * `bridge fdb show br BRIDGE`, the bridge's own (`master`) entries:
 * `MAC dev PORT master BR permanent` for local addresses, `… master BR static` for static ones and
 * `MAC dev PORT master BR ` (trailing space) for learned ones. The device-level `self` entries
 * (multicast addresses the kernel keeps per device) are not modelled. Order: the bridge's own
 * address, then per port in ifindex order learned before local — what a small bridge dumps.
 */
import { assertNever } from '../../diag/diagnostic.js';
import { getBridge, localEntries } from '../link/fdb.js';
import { bridgeFdb, vxlanFdb } from '../link/fdb-table.js';
import { bridgePorts } from '../link/port.js';
import type { FdbEntry } from '../link/types.js';
import type { Netns } from '../netns.js';
import { formatIp } from '../../addr/ip.js';
import { getLink } from '../link/link.js';
import { CommandError } from '../errors.js';

/** One entry (without the newline). */
export function fdbLine(e: FdbEntry, bridge: string): string {
  switch (e.kind) {
    case 'local':
      return `${e.mac} dev ${e.dev} master ${bridge} permanent`;
    case 'static':
      return `${e.mac} dev ${e.dev} master ${bridge} static`;
    case 'learned':
      return `${e.mac} dev ${e.dev} master ${bridge} `;
    default:
      return assertNever(e.kind, 'fdb entry kind');
  }
}

/** `bridge fdb show br BRIDGE` (master entries). */
export function renderBridgeFdb(ns: Netns, bridgeName: string): string {
  const bridge = getBridge(ns, bridgeName);
  const local = localEntries(ns, bridge);
  const lines = local.filter((e) => e.dev === bridge.name).map((e) => fdbLine(e, bridge.name));
  for (const port of bridgePorts(ns, bridge.name)) {
    for (const e of bridgeFdb(ns, bridge).filter((x) => x.dev === port.name)) lines.push(fdbLine(e, bridge.name));
    for (const e of local.filter((x) => x.dev === port.name)) lines.push(fdbLine(e, bridge.name));
  }
  return lines.map((l) => `${l}\n`).join('');
}

/**
 * `bridge fdb show dev VXLAN`: the device's remote entries, `MAC dst IP self permanent`
 * (`MAC dev VXLAN dst IP self permanent` in a listing of all devices, `showDev`).
 */
export function renderVxlanFdb(ns: Netns, dev: string, opts: { showDev?: boolean } = {}): string {
  const link = getLink(ns, dev, `bridge fdb show dev ${dev}`);
  if (link.kind !== 'vxlan') throw new CommandError(`bridge fdb show dev ${dev}`, `"${dev}" is not a VXLAN device`);
  const on = opts.showDev === true ? ` dev ${dev}` : '';
  return vxlanFdb(ns, link).map((e) => `${e.mac}${on} dst ${formatIp(e.dst)} self permanent\n`).join('');
}

/**
 * `bridge fdb show` of a namespace read from a node dump, device by device in ifindex order as
 * rtnl_fdb_dump walks them: a port's entries in its bridge (static and learned in the dump's
 * order, then its local entry), then the device's own (`self`) entries; a bridge lists its own
 * `self` entries before its local entry (br_fdb_dump prints the device list first); a VXLAN
 * device its remote entries.
 */
export function renderFdbByDevice(ns: Netns): string {
  const lines: string[] = [];
  for (const link of Object.values(ns.links).sort((a, b) => a.ifindex - b.ifindex)) {
    const self = link.dump?.selfFdb ?? [];
    if (link.kind === 'bridge') {
      lines.push(...self);
      lines.push(...localEntries(ns, link).filter((e) => e.dev === link.name).map((e) => fdbLine(e, link.name)));
      continue;
    }
    const master = link.master === undefined ? undefined : ns.links[link.master];
    if (master?.kind === 'bridge') {
      lines.push(...bridgeFdb(ns, master).filter((e) => e.dev === link.name).map((e) => fdbLine(e, master.name)));
      lines.push(...localEntries(ns, master).filter((e) => e.dev === link.name).map((e) => fdbLine(e, master.name)));
    }
    if (link.kind === 'vxlan') lines.push(...vxlanFdb(ns, link).map((e) => `${e.mac} dev ${link.name} dst ${formatIp(e.dst)} self permanent`));
    lines.push(...self);
  }
  return lines.map((l) => `${l}\n`).join('');
}
