import { describe, expect, it } from 'vitest';
import { attrList, clip, clusterBlock, edgeStmt, html, nodeStmt, quote } from './dot.js';
import { namespaceColours } from './palette.js';

describe('DOT quoting', () => {
  it.each([
    ['plain', '"plain"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['back\\slash', '"back\\\\slash"'],
    ['two\nlines', '"two\\nlines"'],
  ])('quote(%j) = %s', (text, want) => expect(quote(text)).toBe(want));

  it('writes attributes in order, leaves undefined out, HTML labels unquoted', () => {
    expect(attrList({ a: 'x', b: undefined, c: 2, label: { html: '<B>x</B>' } })).toBe(' [a="x", c="2", label=<<B>x</B>>]');
    expect(attrList({})).toBe('');
  });

  it('quotes ids and ports of statements', () => {
    expect(nodeStmt('pod:default.a"b', { shape: 'box' })).toBe('"pod:default.a\\"b" [shape="box"];');
    expect(edgeStmt('ns#eth0', 'node-1#veth1#w', {})).toBe('"ns":"eth0" -> "node-1":"veth1":w;');
    expect(clusterBlock('n', { label: 'x' }, ['"a";'])).toEqual(['subgraph "cluster_n" {', '  label="x";', '  "a";', '}']);
  });

  it('escapes HTML-like label text', () => expect(html('<a & "b">')).toBe('&lt;a &amp; &quot;b&quot;&gt;'));
  it('clips long labels', () => expect(clip('abcdef', 4)).toBe('abc…'));
});

describe('namespace colours', () => {
  it('depend on the set of namespaces, not their order', () => {
    const a = namespaceColours(['kube-system', 'default', 'web']);
    const b = namespaceColours(['web', 'default', 'kube-system', 'default']);
    expect([...a]).toEqual([...b]);
    expect(new Set(a.values()).size).toBe(3);
  });
});
