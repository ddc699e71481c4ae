/**
 * From netsim's own `show` text (the `ip addr`, `ip route show table all`, `ip rule` and
 * `ip neigh` sections, src/render/netns-state.ts) back to the commands that make a real
 * namespace print the same: what the materializer replays. Only what the kernel does not derive
 * by itself is turned into a command: `proto kernel` routes, `lo`'s addresses, IPv6 link-local
 * addresses and the three default rules come from the kernel and are compared afterwards instead.
 */

/** `ip addr add …` arguments (after `ip -n NS`). */
export function addrCommands(addrText: string): string[][] {
  const cmds: string[][] = [];
  let dev = '';
  for (const line of addrText.split('\n')) {
    const head = /^\d+: ([^:@\s]+)(?:@\S+)?: /.exec(line);
    if (head !== null) {
      dev = head[1] as string;
      continue;
    }
    const v4 = /^\s+inet (\S+)(?: brd (\S+))? scope (\S+)( secondary)? (\S+)\s*$/.exec(line);
    if (v4 !== null) {
      if (dev === 'lo') continue;
      const [, cidr, brd, scope] = v4 as unknown as [string, string, string | undefined, string];
      cmds.push(['addr', 'add', cidr, ...(brd !== undefined ? ['brd', brd] : []), ...(scope !== 'global' ? ['scope', scope] : []), 'dev', dev]);
      continue;
    }
    const v6 = /^\s+inet6 (\S+) scope (\S+)\s*(nodad)?\s*$/.exec(line);
    if (v6 !== null) {
      const [, cidr, scope, nodad] = v6 as unknown as [string, string, string, string | undefined];
      if (dev === 'lo' || scope === 'link') continue; // the kernel makes ::1 and fe80::/64 itself
      cmds.push(['addr', 'add', cidr, ...(scope !== 'global' ? ['scope', scope] : []), ...(nodad !== undefined ? ['nodad'] : []), 'dev', dev]);
    }
  }
  return cmds;
}

/** Whether a route line is one the kernel adds by itself (from an address or a device). */
export function kernelRoute(line: string): boolean {
  return /\bproto kernel\b/.test(line);
}

/** `ip route add …` arguments for every route that is not the kernel's own. */
export function routeCommands(routeText: string): string[][] {
  const lines = routeText
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !kernelRoute(l));
  // Routes without a gateway first, as the agents added them: `default via 169.254.1.1 dev eth0`
  // needs `169.254.1.1 dev eth0 scope link` in place (the kernel refuses an off-link gateway),
  // while `ip route` prints the default route first.
  const gatewayLast = [...lines.filter((l) => !l.includes(' via ')), ...lines.filter((l) => l.includes(' via '))];
  // iproute2 prints `pref` on IPv6 routes only (`default dev uplink metric 1024 pref medium` has no colon).
  const v6 = (l: string): boolean => / pref \S+$/.test(l) || l.includes(':');
  return gatewayLast.map((l) => [v6(l) ? '-6' : '-4', 'route', 'add', ...l.split(/\s+/).filter((w) => w !== 'linkdown')]);
}

const DEFAULT_RULES = new Set(['0:\tfrom all lookup local', '32766:\tfrom all lookup main', '32767:\tfrom all lookup default']);

/** `ip rule add …` arguments for every rule besides the kernel's three. */
export function ruleCommands(ruleText: string): string[][] {
  const cmds: string[][] = [];
  for (const line of ruleText.split('\n')) {
    if (line.trim() === '' || DEFAULT_RULES.has(line)) continue;
    const m = /^(\d+):\s+(.*)$/.exec(line);
    if (m === null) throw new Error(`cannot read ip rule line: ${line}`);
    cmds.push(['rule', 'add', 'priority', m[1] as string, ...(m[2] as string).split(/\s+/)]);
  }
  return cmds;
}

/** `ip neigh replace …` arguments for the PERMANENT entries (others are the kernel's to learn). */
export function neighCommands(neighText: string): string[][] {
  const cmds: string[][] = [];
  for (const line of neighText.split('\n')) {
    const m = /^(\S+) dev (\S+) lladdr (\S+)(?: router)? PERMANENT\s*$/.exec(line.trim());
    if (m !== null) cmds.push(['neigh', 'replace', m[1] as string, 'dev', m[2] as string, 'lladdr', m[3] as string, 'nud', 'permanent']);
  }
  return cmds;
}

/** `bridge fdb append …` arguments for the VXLAN devices' remote entries (`MAC dev DEV dst IP self permanent`). */
export function vxlanFdbCommands(fdbText: string): string[][] {
  const cmds: string[][] = [];
  for (const line of fdbText.split('\n')) {
    const m = /^(\S+) dev (\S+) dst (\S+) self permanent$/.exec(line.trim());
    if (m !== null) cmds.push(['fdb', 'append', m[1] as string, 'dev', m[2] as string, 'dst', m[3] as string, 'self', 'permanent']);
  }
  return cmds;
}
