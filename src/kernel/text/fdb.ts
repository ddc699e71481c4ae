/**
 * `bridge fdb show br BRIDGE`, the bridge's own (`master`) entries:
 * `MAC dev PORT master BR permanent` for local addresses, `… master BR static` for static ones and
 * `MAC dev PORT master BR ` (trailing space) for learned ones. The device-level `self` entries
 * (multicast addresses the kernel keeps per device) are not modelled. Order: the bridge's own
 * address, then per port in ifindex order learned before local — what a small bridge dumps.
 */
import { assertNever } from '../../diag/diagnostic.js';
import { getBridge, localEntries } from '../link/fdb.js';
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
    for (const e of bridge.fdb.filter((x) => x.dev === port.name)) lines.push(fdbLine(e, bridge.name));
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
  return link.fdb.map((e) => `${e.mac}${on} dst ${formatIp(e.dst)} self permanent\n`).join('');
}
