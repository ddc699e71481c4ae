/**
 * Felix's match and action fragments, spelled as felix/iptables/match_builder.go and
 * actions.go write them (long options, `%#x` marks, protocol numbers), so that rule hashes come
 * out as Felix's. Feature detection is taken as a current kernel and iptables give it:
 * `--random-fully` on MASQUERADE and SNAT (MASQFullyRandom, SNATFullyRandom).
 */

/** Go's `%#x`. */
export function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

/** Match fragments (matchCriteria methods). */
export const M = {
  markClear: (mark: number) => `-m mark --mark 0/${hex(mark)}`,
  markSingleBitSet: (mark: number) => `-m mark --mark ${hex(mark)}/${hex(mark)}`,
  inInterface: (iface: string) => `--in-interface ${iface}`,
  outInterface: (iface: string) => `--out-interface ${iface}`,
  protocolNum: (n: number) => `-p ${n}`,
  protocol: (name: string) => `-p ${name}`,
  sourceIPSet: (name: string) => `-m set --match-set ${name} src`,
  destIPSet: (name: string) => `-m set --match-set ${name} dst`,
  notDestIPSet: (name: string) => `-m set ! --match-set ${name} dst`,
  destAddrTypeLocal: '-m addrtype --dst-type LOCAL',
  srcAddrTypeLocal: '-m addrtype --src-type LOCAL',
  notSrcAddrTypeLocalLimitOut: '-m addrtype ! --src-type LOCAL --limit-iface-out',
  conntrackState: (states: string) => `-m conntrack --ctstate ${states}`,
  notConntrackState: (states: string) => `-m conntrack ! --ctstate ${states}`,
  destPorts: (...ports: number[]) => `-m multiport --destination-ports ${ports.join(',')}`,
  icmpv6Type: (t: number) => `-m icmp6 --icmpv6-type ${t}`,
  rpfCheckFailed: '-m rpfilter --invert --validmark',
  sourceNet: (net: string) => `--source ${net}`,
  destNet: (net: string) => `--destination ${net}`,
  notSourceNet: (net: string) => `! --source ${net}`,
  notDestNet: (net: string) => `! --destination ${net}`,
  destIPPortSet: (name: string) => `-m set --match-set ${name} dst,dst`,
  /** DestPortRanges (PortRangesToMultiport: `80`, `8000:8080`). */
  destPortRanges: (ranges: ReadonlyArray<{ readonly first: number; readonly last: number }>) =>
    `-m multiport --destination-ports ${ranges.map((r) => (r.first === r.last ? `${r.first}` : `${r.first}:${r.last}`)).join(',')}`,
} as const;

/** Action fragments (Action.ToFragment). */
export const A = {
  accept: '--jump ACCEPT',
  drop: '--jump DROP',
  return: '--jump RETURN',
  jump: (chain: string) => `--jump ${chain}`,
  goto: (chain: string) => `--goto ${chain}`,
  setMark: (mark: number) => `--jump MARK --set-mark ${hex(mark)}/${hex(mark)}`,
  clearMark: (mark: number) => `--jump MARK --set-mark 0/${hex(mark)}`,
  setMaskedMark: (mark: number, mask: number) => `--jump MARK --set-mark ${hex(mark)}/${hex(mask)}`,
  masq: '--jump MASQUERADE --random-fully',
  snat: (addr: string) => `--jump SNAT --to-source ${addr} --random-fully`,
} as const;
