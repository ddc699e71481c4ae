/** Reads the packet after NAT from conntrack (`conntrack -E` events or `conntrack -L` lines). */
import type { FlowPacket } from './steps.js';

/**
 * Parses `conntrack -E` / `conntrack -L` lines such as
 * `[NEW] tcp 6 120 SYN_SENT src=192.168.0.1 dst=172.30.0.10 sport=40000 dport=80 [UNREPLIED] src=10.180.0.5 dst=10.0.1.1 sport=8080 dport=60733 mark=0 use=1`
 * and returns, for the entry whose original tuple is the packet we sent, the packet as it left
 * the host: the reply tuple turned around.
 */
export function packetAfterNat(listing: string, sent: FlowPacket): FlowPacket | undefined {
  for (const line of listing.split('\n')) {
    const words = line.trim().split(/\s+/).filter((w) => !/^\[[A-Z]+\]$/.test(w));
    if (words[0] !== sent.proto) continue;
    const tuples = tupleFields(words);
    const [orig, reply] = tuples;
    if (orig === undefined || reply === undefined) continue;
    if (orig['src'] !== sent.src || orig['dst'] !== sent.dst) continue;
    if (sent.proto !== 'icmp' && (Number(orig['sport']) !== sent.sport || Number(orig['dport']) !== sent.dport)) continue;
    const out: FlowPacket = { src: reply['dst'] ?? '?', dst: reply['src'] ?? '?', proto: sent.proto };
    if (sent.proto === 'icmp') return out;
    return { ...out, sport: Number(reply['dport']), dport: Number(reply['sport']) };
  }
  return undefined;
}

/** Splits the key=value words into tuples: a new tuple starts at each `src=`. */
function tupleFields(words: readonly string[]): Record<string, string>[] {
  const tuples: Record<string, string>[] = [];
  for (const w of words) {
    const eq = w.indexOf('=');
    if (eq <= 0) continue;
    const key = w.slice(0, eq);
    if (key === 'src') tuples.push({});
    const cur = tuples[tuples.length - 1];
    if (cur !== undefined && !(key in cur)) cur[key] = w.slice(eq + 1);
  }
  return tuples;
}
