/**
 * On a node whose iptables is iptables-nft, `nft list ruleset` also lists the tables iptables
 * made (`table ip filter`, `table ip nat`, … with `xt` statements for the matches nft cannot
 * express). Those are what `iptables-save` printed already; loading them twice would run every
 * rule twice. This removes them from the nft text, keeping the other tables and the lines (so
 * diagnostics in what is left keep their line numbers).
 */

/** Families and table names iptables-nft and ip6tables-nft create. */
const XT_FAMILY: Readonly<Record<string, 4 | 6>> = { ip: 4, ip6: 6 };

/**
 * The nft text without the `table ip|ip6 NAME { … }` blocks whose NAME is one of `xtTables`
 * of that family (blanked, line breaks kept); and which were removed, as `ip filter`.
 */
export function withoutXtablesTables(text: string, xtTables: { readonly 4: ReadonlySet<string>; readonly 6: ReadonlySet<string> }): { text: string; removed: string[] } {
  const lines = text.split('\n');
  const removed: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^table (ip6?) (\S+) \{\s*$/.exec(lines[i] as string);
    const family = m === null ? undefined : XT_FAMILY[m[1] as string];
    if (m === null || family === undefined || !xtTables[family].has(m[2] as string)) continue;
    let depth = 0;
    let j = i;
    for (; j < lines.length; j++) {
      for (const c of lines[j] as string) depth += c === '{' ? 1 : c === '}' ? -1 : 0;
      lines[j] = '';
      if (depth === 0) break;
    }
    removed.push(`${m[1]} ${m[2]}`);
    i = j;
  }
  return { text: lines.join('\n'), removed };
}
