/**
 * A minimal reader for kube-proxy's own payload format (tables, `:CHAIN` lines, `-A` rules,
 * `-X` deletions), enough to normalise and check payloads in tests. It is not the netfilter
 * parser (src/kernel/netfilter/syntax), which the proxy layer must not depend on.
 */

/** One chain of a dump: its rules in order, and whether the dump deletes it. */
export interface DumpChain {
  readonly name: string;
  readonly rules: string[];
  deleted: boolean;
}

/** One `*table` section. */
export interface DumpTable {
  readonly name: string;
  readonly chains: DumpChain[];
}

function chainOf(table: DumpTable, name: string): DumpChain {
  let chain = table.chains.find((c) => c.name === name);
  if (chain === undefined) {
    chain = { name, rules: [], deleted: false };
    table.chains.push(chain);
  }
  return chain;
}

/** Reads a payload or dump; blank lines and `#` comments are skipped. */
export function parseDump(text: string): DumpTable[] {
  const tables: DumpTable[] = [];
  let current: DumpTable | undefined;
  for (const raw of text.split('\n')) {
    const ln = raw.trim();
    if (ln === '' || ln.startsWith('#') || ln === 'COMMIT') continue;
    if (ln.startsWith('*')) {
      current = { name: ln.slice(1), chains: [] };
      tables.push(current);
    } else if (current === undefined) {
      continue;
    } else if (ln.startsWith(':')) {
      chainOf(current, ln.slice(1).split(' ')[0] ?? '');
    } else if (ln.startsWith('-A ')) {
      chainOf(current, ln.split(' ')[1] ?? '').rules.push(ln);
    } else if (ln.startsWith('-X ')) {
      chainOf(current, ln.split(' ')[1] ?? '').deleted = true;
    }
  }
  return tables;
}

/** Renders tables the way upstream's iptablestest dump does: chains, rules by chain, deletions. */
export function renderDump(tables: readonly DumpTable[]): string {
  const out: string[] = [];
  for (const table of tables) {
    out.push(`*${table.name}`);
    for (const chain of table.chains) out.push(`:${chain.name} - [0:0]`);
    for (const chain of table.chains) out.push(...chain.rules);
    for (const chain of table.chains) if (chain.deleted) out.push(`-X ${chain.name}`);
    out.push('COMMIT');
  }
  return `${out.join('\n')}\n`;
}

/** The `--comment` argument of a rule, without quotes; undefined when the rule has none. */
export function ruleComment(rule: string): string | undefined {
  const m = /--comment (?:"([^"]*)"|(\S+))/.exec(rule);
  if (m === null) return undefined;
  return m[1] ?? m[2];
}
