/**
 * A knftables-style transaction as text: every command names the family and the table
 * (`add rule ip kube-proxy CHAIN …`), one per line, as `nft -f` reads them.
 */
import { KUBE_PROXY_TABLE } from './naming.js';

/** The family-dependent words of kube-proxy's rules. */
export interface FamilyWords {
  /** `ip` or `ip6`: the table family and the payload expression (`ip daddr`). */
  readonly ipX: 'ip' | 'ip6';
  /** `ipv4_addr` or `ipv6_addr`. */
  readonly addrType: 'ipv4_addr' | 'ipv6_addr';
}

/** Accumulates commands; `text` ends with a newline. */
export class Tx {
  readonly lines: string[] = [];
  constructor(readonly words: FamilyWords) {}

  private get prefix(): string {
    return `${this.words.ipX} ${KUBE_PROXY_TABLE}`;
  }

  /** `add table ip kube-proxy { comment "…" ; }` */
  table(comment: string): void {
    this.lines.push(`add table ${this.prefix} { comment "${comment}" ; }`);
  }

  /** `add chain …`, with `{ … ; }` properties when given (base chain type/hook/priority, comment). */
  chain(name: string, props?: string): void {
    this.lines.push(`add chain ${this.prefix} ${name}${props === undefined ? '' : ` { ${props} ; }`}`);
  }

  /** `add set|map … { type … ; … ; }` */
  set(kind: 'set' | 'map', name: string, props: readonly string[]): void {
    this.lines.push(`add ${kind} ${this.prefix} ${name} { ${props.join(' ; ')} ; }`);
  }

  /** `add rule … CHAIN RULE [comment "…"]` */
  rule(chain: string, rule: string, comment?: string): void {
    this.lines.push(`add rule ${this.prefix} ${chain} ${rule}${comment === undefined ? '' : ` comment "${comment}"`}`);
  }

  /** `add element … SET { KEY [comment "…"] [: VALUE] }` */
  element(set: string, key: readonly string[], value?: string, comment?: string): void {
    const c = comment === undefined ? '' : ` comment "${comment}"`;
    const v = value === undefined ? '' : ` : ${value}`;
    this.lines.push(`add element ${this.prefix} ${set} { ${key.join(' . ')}${c}${v} }`);
  }

  get text(): string {
    return `${this.lines.join('\n')}\n`;
  }
}
