/**
 * Reads a packet-flow answer (`output`, `masq`) back from a kernel node after sending a row's
 * packets: the DNAT, REJECT, DROP, ACCEPT and MASQUERADE rules whose packet counters moved
 * between two `iptables-save -c` dumps, and, when only some connections were masqueraded, which
 * endpoints those were (`conntrack -L`: the reply goes to another address than the original
 * source). The nat jump to KUBE-SERVICES from PREROUTING (arriving) or OUTPUT (locally
 * generated) counts the first packets the host saw.
 */
import type { Origin } from '../../helpers/proxy-flow.js';

interface CountedRule {
  readonly table: string;
  readonly packets: number;
  readonly rule: string;
}

/** Rules with their packet counters, in dump order. */
export function countedRules(save: string): CountedRule[] {
  const out: CountedRule[] = [];
  let table = '';
  for (const line of save.split('\n')) {
    if (line.startsWith('*')) table = line.slice(1).trim();
    const m = /^\[(\d+):\d+\] (-A .*)$/.exec(line);
    if (m !== null) out.push({ table, packets: Number(m[1]), rule: m[2] ?? '' });
  }
  return out;
}

const target = (rule: string) => /(?:^| )-j (\S+)/.exec(rule)?.[1];

/** The kernel's answer in the row's terms; `seen` is how many first packets the nat hook counted. */
export function kernelAnswer(o: { before: string; after: string; conntrack: string; sent: number; origin: Origin }): { output: string; masq: boolean | string; seen: number } {
  const before = countedRules(o.before);
  const hit = countedRules(o.after)
    .map((r, i) => ({ ...r, packets: r.packets - (before[i]?.rule === r.rule ? (before[i]?.packets ?? 0) : 0) }))
    .filter((r) => r.packets > 0);
  const hook = o.origin === 'node' ? '-A OUTPUT ' : '-A PREROUTING ';
  const seen = hit.filter((r) => r.table === 'nat' && r.rule.startsWith(hook) && target(r.rule) === 'KUBE-SERVICES').reduce((n, r) => n + r.packets, 0);
  const dnat = hit.filter((r) => target(r.rule) === 'DNAT').map((r) => /--to-destination (\S+)/.exec(r.rule)?.[1] ?? '?');
  const verdicts = [...new Set(hit.filter((r) => r.table === 'filter' && ['DROP', 'REJECT'].includes(target(r.rule) ?? '')).map((r) => target(r.rule) ?? ''))];
  const accepted = hit.some((r) => r.table === 'filter' && target(r.rule) === 'ACCEPT');
  const parts = dnat.length > 0 ? [...dnat, ...verdicts] : verdicts.length > 0 ? verdicts : accepted ? ['ACCEPT'] : [];
  const masqueraded = hit.filter((r) => target(r.rule) === 'MASQUERADE').reduce((n, r) => n + r.packets, 0);
  const masq = masqueraded === 0 ? false : masqueraded >= o.sent ? true : `${masqueradedEndpoints(o.conntrack).join(', ')} only`;
  return { output: parts.join(', '), masq, seen };
}

/** Endpoints (`ip:port`) of the conntrack entries whose reply is not addressed to the original source. */
function masqueradedEndpoints(conntrack: string): string[] {
  const out: string[] = [];
  for (const line of conntrack.split('\n')) {
    const src = [...line.matchAll(/src=(\S+)/g)].map((m) => m[1]);
    const dst = [...line.matchAll(/dst=(\S+)/g)].map((m) => m[1]);
    const sport = [...line.matchAll(/sport=(\d+)/g)].map((m) => m[1]);
    if (src.length < 2 || dst.length < 2 || dst[1] === src[0]) continue;
    const endpoint = `${src[1]}:${sport[1]}`;
    if (!out.includes(endpoint)) out.push(endpoint);
  }
  return out.sort();
}
