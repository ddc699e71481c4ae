/**
 * After materializing, the kernel derives state of its own (proto kernel routes, the local
 * table, IPv6 routes); this compares it with what netsim's model prints for the same namespace,
 * a check of the model rather than of the materializer:
 *
 * - `ip route show table all`: every IPv4 line exactly, in order; IPv6 lines except `local fe80::…`
 *   (a link-local address is made from the MAC a device had when it came up, and the
 *   materializer brings a pinned bridge up with its final MAC while the CNI plugin's bridge
 *   first had its port's: that difference is the materializer's, not the model's), as a set:
 *   the kernel's order of equal-metric IPv6 routes of several devices (`fe80::/64 dev eth0`,
 *   `… dev eth1`, `… dev uplink`) is not their creation order (three veths brought up as eth0,
 *   eth1, uplink list as eth1, uplink, eth0 on Linux 6.18), so only a router with three devices
 *   showed it; the CNI goldens compare `ip -6 route` as a set for the same reason;
 * - `ip addr`: the `inet` lines and the global `inet6` lines of every device (ifindexes differ:
 *   the model numbers devices in its own creation order);
 * - `bridge fdb`: the local (`master BR permanent`) and static entries and VXLAN remote entries
 *   (`MAC dev DEV dst IP self permanent`), in any order (learned entries age and depend on
 *   traffic; the other `self` entries are the devices' multicast lists, which netsim does not
 *   model);
 * - `ip -d link show DEV` of each VXLAN device: the `vxlan …` line, as netsim prints it;
 * - `iptables-save` after restoring netsim's `iptables-save` text, and the same for
 *   `ip6tables-save`: the kernel prints back exactly what netsim printed (a check of netsim's
 *   canonical rule syntax; `#` lines aside). Run before any harness rule is added.
 */
import { renderVxlanDetails } from '../../../src/kernel/index.js';
import { renderSection } from '../../../src/render/netns-state.js';
import type { World } from '../../../src/kernel/world.js';
import { run, sleep } from '../harness/sh.js';

/** One namespace's difference, as text for a failure message. */
export interface StateDiff {
  readonly ns: string;
  readonly what: 'route' | 'addr' | 'fdb' | 'iptables' | 'ip6tables' | 'link';
  readonly onlyKernel: readonly string[];
  readonly onlyNetsim: readonly string[];
}

function comparableRoutes(text: string): string[] {
  const lines = text
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l !== '' && !/^local fe80::/.test(l));
  // iproute2 prints `pref` on IPv6 routes only.
  const v6 = (l: string): boolean => / pref \S+$/.test(l);
  return [...lines.filter((l) => !v6(l)), ...lines.filter(v6).sort()];
}

/** The `inet` lines and the global `inet6` lines (link-local ones depend on MACs, see above). */
function inetLines(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => /^\s+inet /.test(l) || /^\s+inet6 \S+ scope global\b/.test(l))
    .map((l) => l.trim());
}

/** The bridges' local (`master … permanent`) and static entries: learned ones age, `self` ones are the NICs' multicast lists. */
function fdbLines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => / master \S+ (permanent|static)$/.test(l) || / dst \S+ self permanent$/.test(l))
    .sort();
}

/** `iptables-save` without its `#` comment lines (they carry a timestamp), chain counters as `[0:0]` (packets such as IGMP reports count). */
function saveLines(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => l.replace(/^(:\S+ \S+) \[\d+:\d+\]$/, '$1 [0:0]'));
}

function diff(ns: string, what: StateDiff['what'], kernel: string[], netsim: string[]): StateDiff | undefined {
  const onlyKernel = kernel.filter((l) => !netsim.includes(l));
  const onlyNetsim = netsim.filter((l) => !kernel.includes(l));
  const sameOrder = onlyKernel.length === 0 && onlyNetsim.length === 0 && kernel.join('\n') === netsim.join('\n');
  if (sameOrder) return undefined;
  if (onlyKernel.length === 0 && onlyNetsim.length === 0) return { ns, what, onlyKernel: ['(same lines, different order)', ...kernel], onlyNetsim: netsim };
  return { ns, what, onlyKernel, onlyNetsim };
}

/** Waits (up to `maxMs`) until no IPv6 address is tentative in any of the namespaces. */
export async function settleDad(realNames: readonly string[], maxMs = 4000): Promise<void> {
  const deadline = Date.now() + maxMs;
  while (Date.now() < deadline) {
    const busy = realNames.some((n) => run('ip', ['-n', n, '-6', 'addr', 'show', 'tentative']).stdout.trim() !== '');
    if (!busy) return;
    await sleep(100);
  }
}

/** Differences between the kernel's and the model's routes and IPv4 addresses, per namespace. */
export function compareState(world: World, names: Readonly<Record<string, string>>): StateDiff[] {
  const out: StateDiff[] = [];
  for (const ns of Object.values(world.netns)) {
    const real = names[ns.name] as string;
    const kRoutes = run('ip', ['-n', real, 'route', 'show', 'table', 'all']).stdout;
    const r = diff(ns.name, 'route', comparableRoutes(kRoutes), comparableRoutes(renderSection(world, ns, 'route')));
    if (r !== undefined) out.push(r);
    const kAddr = run('ip', ['-n', real, 'addr']).stdout;
    const a = diff(ns.name, 'addr', inetLines(kAddr), inetLines(renderSection(world, ns, 'addr')));
    if (a !== undefined) out.push(a);
    const model = renderSection(world, ns, 'iptables');
    if (model.trim() !== '') {
      const kSave = run('ip', ['netns', 'exec', real, 'iptables-save']).stdout;
      const t = diff(ns.name, 'iptables', saveLines(kSave), saveLines(model));
      if (t !== undefined) out.push(t);
    }
    const model6 = renderSection(world, ns, 'ip6tables');
    if (model6.trim() !== '') {
      const kSave6 = run('ip', ['netns', 'exec', real, 'ip6tables-save']).stdout;
      const t6 = diff(ns.name, 'ip6tables', saveLines(kSave6), saveLines(model6));
      if (t6 !== undefined) out.push(t6);
    }
    for (const l of Object.values(ns.links)) {
      if (l.kind !== 'vxlan') continue;
      const details = (text: string) => text.split('\n').filter((x) => /^\s+vxlan /.test(x));
      const v = diff(ns.name, 'link', details(run('ip', ['-n', real, '-d', 'link', 'show', l.name]).stdout), details(renderVxlanDetails(world.netns, ns, l.name)));
      if (v !== undefined) out.push(v);
    }
    const kFdb = run('bridge', ['-n', real, 'fdb', 'show']).stdout;
    const f = diff(ns.name, 'fdb', fdbLines(kFdb), fdbLines(renderSection(world, ns, 'fdb')));
    if (f !== undefined) out.push(f);
  }
  return out;
}

/** A state difference as text. */
export function stateDiffText(d: StateDiff): string {
  const cmd = { route: 'ip route show table all', addr: 'ip addr (inet lines)', fdb: 'bridge fdb (master permanent/static entries, VXLAN remote entries)', link: 'ip -d link (the vxlan line)', iptables: 'iptables-save after iptables-restore of netsim\'s iptables-save', ip6tables: 'ip6tables-save after ip6tables-restore of netsim\'s ip6tables-save' }[d.what];
  return [`${d.ns}: ${cmd} differs`, ...d.onlyKernel.map((l) => `  kernel only: ${l}`), ...d.onlyNetsim.map((l) => `  netsim only: ${l}`)].join('\n');
}
