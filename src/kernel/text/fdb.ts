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
