/**
 * The ARP/ND port index (src/kernel/neigh-index.ts) is repaired from a log of the namespaces
 * whose answering state changed (netns-changes.ts), which the one funnel of each kind of write
 * notes; the discovery memo (neigh-memo.ts) holds while neither those writes nor `ip rule`'s are
 * made. A write past its funnel would leave the index or the memo stale and an ARP request
 * answered by the wrong device. (Writes to `ns.links` are checked in link-writes.test.ts.) Tests may write freely.
 */
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { modulesUnder } from '../browser/purity.js';

const ROOT = resolve(import.meta.dirname, '../..');

/** What is written, how a write looks, and the files allowed to write it. */
const FUNNELS: readonly { readonly what: string; readonly write: RegExp; readonly owners: readonly string[] }[] = [
  {
    what: 'ns.addrs (pushAddr, keepAddrs)',
    write: /\baddrs(\[[^\]]+\]|\.length)\s*=[^=>]|\baddrs\.(push|splice|pop|shift|unshift|sort|reverse|fill|copyWithin)\(/,
    owners: ['src/kernel/netns.ts'],
  },
  { what: 'ns.sysctl (setSysctl)', write: /\bsysctl\[[^\]]+\]\s*=[^=]|delete\s+[\w.]*sysctl\[|Object\.assign\(\s*[\w.]*sysctl\b/, owners: ['src/kernel/sysctl.ts'] },
  { what: 'ns.tables (getTable)', write: /\btables\[[^\]]+\]\s*=[^=]|delete\s+[\w.]*tables\[/, owners: ['src/kernel/route/table.ts'] },
  {
    what: 'a route index (indexInsert, indexRemove, addRouteBatch)',
    write: /\.routes(\[[^\]]+\])?\s*=[^=]|\.routes\.(push|splice)\(|\.under\s*=[^=]|\.size\s*[-+]=/,
    owners: ['src/kernel/route/prefix-index.ts', 'src/kernel/route/batch.ts'],
  },
  {
    // The discovery memo (neigh-memo.ts) counts them; a new namespace's default rules come with its creation, which is noted.
    what: 'ns.rules (addRule, delRule; a new namespace in addNetns and a node dump)',
    write: /\brules\[[^\]]+\]\.(push|splice|pop|shift|unshift|sort|reverse|fill|copyWithin)\(|\brules\[[^\]]+\](\.length)?\s*=[^=>]/,
    owners: ['src/kernel/route/rule.ts', 'src/kernel/world.ts', 'src/kernel/import/node-dump.ts'],
  },
  {
    what: 'a world map (addNetns, putNetns, delNetns)',
    write: /\bnetns\[[^\]]+\]\s*=[^=]|delete\s+[\w.]*netns\[|Object\.assign\(\s*[\w.]*netns\b/,
    owners: ['src/kernel/world.ts', 'src/kernel/overlay.ts'],
  },
];

describe('writes the ARP/ND port index depends on', () => {
  it.each(FUNNELS)('$what happen only in their funnel', ({ write, owners }) => {
    const wrong: string[] = [];
    for (const file of modulesUnder(join(ROOT, 'src'), [])) {
      const rel = relative(ROOT, file);
      if (owners.includes(rel) || rel.endsWith('.test.ts')) continue;
      readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
        if (write.test(line) && !line.trim().startsWith('*') && !line.trim().startsWith('//')) wrong.push(`${rel}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(wrong).toEqual([]);
  });
});
