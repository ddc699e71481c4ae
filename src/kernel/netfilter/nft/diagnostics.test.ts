/** Parse errors name file:line:col and an NFT_* code; the rest of the script still applies. */
import { describe, expect, it } from 'vitest';
import { parseNft } from './parse.js';

function first(text: string) {
  const r = parseNft(text, { file: 'r.nft' });
  return { d: r.diagnostics[0], all: r.diagnostics, value: r.value };
}

describe('nft diagnostics', () => {
  it.each([
    { text: 'add table ip t\nadd chain ip t c\nadd rule ip t c ip daddr 1.2.3 drop\n', code: 'NFT_BAD_VALUE', line: 3, col: 26 },
    { text: 'add table ip t\nadd chain ip t c\nadd rule ip t c jump nowhere\n', code: 'NFT_NO_SUCH_CHAIN', line: 3, col: 29 },
    { text: 'add chain ip t c\n', code: 'NFT_NO_SUCH_TABLE', line: 1, col: 16 },
    { text: 'table ip t {\n\tchain c {\n\t\tip daddr @s drop\n\t}\n}\n', code: 'NFT_NO_SUCH_SET', line: 3, col: 19 },
    { text: 'table ip t {\n\tchain c {\n\t\tquota 10 mbytes drop\n\t}\n}\n', code: 'NFT_UNSUPPORTED', line: 3, col: 3 },
    { text: 'add table arp t\n', code: 'NFT_UNSUPPORTED', line: 1, col: 11 },
    { text: 'table ip t {\n\tchain c { type filter hook input priority dstnat; }\n}\n', code: 'NFT_BAD_VALUE', line: 2, col: 44 },
    { text: 'add table ip t\nlist ruleset\n', code: 'NFT_SYNTAX', line: 2, col: 1 },
  ])('$code at $line:$col', ({ text, code, line, col }) => {
    const { d } = first(text);
    expect(d?.code).toBe(code);
    expect(d?.pos).toEqual({ file: 'r.nft', line, col });
  });

  it('skips a failing command and applies the others', () => {
    const { all, value } = first('add table ip t\nadd chain ip t a\nadd rule ip t a bogus!\nadd rule ip t a accept\n');
    expect(all.map((d) => d.code)).toEqual(['NFT_SYNTAX']);
    expect(value.tables[0]?.chains[0]?.rules).toHaveLength(1);
  });
});
