import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadScenario } from './load.js';
import { MAX_DEPTH, parseYaml } from './parse-yaml.js';

const load = (text: string) => loadScenario([{ path: 's.yaml', text }]).diagnostics.map((d) => `${d.code}@${d.pos?.line}:${d.pos?.col}`);

describe('parseYaml', () => {
  it('never composes empty documents: 100,000 `---` give no document and report only the missing Cluster', () => {
    const text = '---\n# nothing\n'.repeat(100_000);
    expect(parseYaml(text).docs.length).toBe(0);
    expect(parseYaml(`---\n---\na: 1\n---\n`).docs.map((d) => d.toJS())).toEqual([{ a: 1 }]);
    expect(parseYaml('---\n...\n%YAML 1.2\n---\n').docs.length).toBe(2);
    expect(load(text)).toEqual(['SCN_NO_CLUSTER@1:1']);
  });

  it('refuses a document nested 100,000 deep once, before composing it', () => {
    const n = 100_000;
    const parsed = parseYaml(`a: ${'['.repeat(n)}${']'.repeat(n)}\n---\nb: 1\n`);
    expect([...parsed.tooDeep]).toEqual([[0, 3 + MAX_DEPTH - 1]]);
    expect(parsed.docs[0]?.toJS()).toBeNull();
    expect(parsed.docs[1]?.toJS()).toEqual({ b: 1 });
  });

  it('accepts exactly MAX_DEPTH levels', () => {
    const ok = `${'['.repeat(MAX_DEPTH)}${']'.repeat(MAX_DEPTH)}\n`;
    expect(parseYaml(ok).tooDeep.size).toBe(0);
    expect(parseYaml(`[${ok}]`).tooDeep.size).toBe(1);
  });

  it('remembers where each quoted scalar starts, by where it ends', () => {
    const facts = parseYaml('a: "x"\nb: \'yy\'\n').facts;
    expect([...facts.quoteStartByEnd]).toEqual([[6, 3], [14, 10]]);
  });

  it('reports an unclosed quote in a 500 KB file at the opening quote, once', () => {
    const body = Array.from({ length: 20_000 }, (_, i) => `k${i}: v`).join('\n');
    expect(load(`a: 'open\n${body}\n`)).toEqual(['SCN_NO_CLUSTER@1:1', 'SCN_YAML_SYNTAX@1:4']);
  });
});

describe('YAML that is not a manifest', () => {
  afterEach(() => vi.restoreAllMocks());

  it('turns a complex key into a diagnostic, without a Node.js warning', () => {
    const emit = vi.spyOn(process, 'emitWarning');
    const warn = vi.spyOn(console, 'warn');
    expect(load('? [a, b]\n: c\n---\n? {x: 1}\n: d\n')).toEqual(['SCN_NO_CLUSTER@1:1', 'SCN_COMPLEX_KEY@1:3', 'SCN_COMPLEX_KEY@4:3']);
    expect(emit).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();
  });

  it('refuses a complex key reached through an alias', () => {
    expect(load('a: &k [1]\n? *k\n: c\n')).toContain('SCN_COMPLEX_KEY@2:3');
  });

  it('accepts %YAML 1.1 and 1.2 and the core tags', () => {
    for (const v of ['1.1', '1.2']) {
      const got = load(`%YAML ${v}\n---\napiVersion: v1\nkind: !!str Namespace\nmetadata: !!map {name: !!str a}\n`);
      expect(got).toEqual(['SCN_NO_CLUSTER@1:1']);
    }
  });

  it('refuses an escaped control character in a name or a key, not in an annotation value', () => {
    expect(load('metadata: {name: "x\\x01y"}\n')).toContain('SCN_BAD_CHARACTER@1:18');
    expect(load('metadata:\n  labels: {"a\\0": b}\n')).toContain('SCN_BAD_CHARACTER@2:12');
    expect(load('spec: {containers: [{name: "c\\u0007"}]}\n')).toContain('SCN_BAD_CHARACTER@1:28');
    expect(load('metadata: {annotations: {a: "b\\x1bc"}}\n').filter((d) => d.startsWith('SCN_BAD_CHARACTER'))).toEqual([]);
  });

  it.each([['\u0000'], ['\u001b'], ['\u0085x\u009f'], ['\ud800']])('refuses the control character %j at its position', (ch) => {
    expect(load(`a: 1\nb: x${ch}\n`)).toContain(ch.startsWith('\u0085') ? 'SCN_BAD_CHARACTER@2:7' : 'SCN_BAD_CHARACTER@2:5');
  });
});

describe('duplicate keys, found in linear time', () => {
  it("leaves yaml's uniqueKeys off: it rescans a mapping's keys for each key (quadratic)", async () => {
    const { YAML_OPTIONS } = await import('./parse-yaml.js');
    expect(YAML_OPTIONS.uniqueKeys).toBe(false);
  });

  it('reports a repeated key at its second occurrence, in block and flow mappings, and lets `<<` repeat', () => {
    expect(load('a: 1\nb: 2\na: 3\n')).toContain('SCN_YAML_SYNTAX@3:1');
    expect(load('x: {a: 1, b: 2, a: 3}\n')).toContain('SCN_YAML_SYNTAX@1:17');
    expect(load('x: {1: a, "1": b}\n').filter((d) => d.startsWith('SCN_YAML_SYNTAX'))).toEqual([]);
    expect(load('a: &a {p: 1}\nb: &b {q: 2}\nc:\n  <<: *a\n  <<: *b\n').filter((d) => d.startsWith('SCN_YAML_SYNTAX'))).toEqual([]);
  });

  it('a 20,000-key mapping with one repeat yields exactly that one diagnostic', () => {
    const keys = Array.from({ length: 20_000 }, (_, i) => `k${i}: v`);
    keys.push('k7: again');
    expect(load(`${keys.join('\n')}\n`).filter((d) => d.startsWith('SCN_YAML_SYNTAX'))).toEqual(['SCN_YAML_SYNTAX@20001:1']);
  });
});
