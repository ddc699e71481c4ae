import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readersDiffer, readsFast, readsFastUnclosed } from './compare.js';
import { loadScenario } from '../load.js';

/** A tiny seeded generator: fast-check draws the seed, the text is built from it. */
function rng(seed: number): { int: (n: number) => number; pick: <T>(xs: readonly T[]) => T; chance: (p: number) => boolean } {
  let s = seed >>> 0;
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  return { int, pick: (xs) => xs[int(xs.length)] as (typeof xs)[number], chance: (p) => next() < p };
}
type Rng = ReturnType<typeof rng>;

const KEYS = ['apiVersion', 'kind', 'items', 'metadata', 'name', 'namespace', 'labels', 'spec', 'ports', 'port', 'app', 'a', 'b', 'x.io/y', 'k-1', 'é', 'a b'];
const ODD_KEYS = ['1', '0x1F', 'true', 'null', '~', 'k:v', 'k#c', '-k', '<<', '__proto__', 'toString', '"q"', "'s'", '"a\\tb"', '"n\\x01"', '?', '', '!t', '&a', '*a', '"x": y'];
const WORDS = ['web', 'nginx', 'v1', 'Pod', 'Service', 'x', 'n1', '10.0.0.1', '10.0.0.0/8', 'http://a:80/b', 'reg:5000/img', 'a[0]', 'a#b', "it's", 'é ☃ 😀', '--', 'a-b c'];
const ODD_WORDS = ['a,b', 'a{b}', 'a: b', 'a #b', '-', '- a', '---', '...', '|', '>', 'say "hi"', '%x', '@x', '`x', '!x', '&x', '*x', '?x', ':x', ' lead', 'trail ', ''];
const NUMBERS = ['80', '-1', '+5', '007', '0o17', '0x1F', '0xg', '1.5', '1.50', '.5', '1.', '1e3', '1E-2', '.inf', '-.Inf', '.nan', '.NaN', '1_000', '99999999999999999999', '-0', '0.0', 'true', 'False', 'TRUE', 'yes', 'null', 'Null', '~', 'NULL', 'nul'];

function scalar(r: Rng, key: string): string {
  const raw = r.chance(0.2) ? r.pick(NUMBERS) : r.chance(0.05) ? r.pick(ODD_WORDS) : r.chance(0.5) ? r.pick(WORDS) : `${r.pick(WORDS)}-${r.int(50)}`;
  const style = r.int(10);
  if (style < 6) return raw;
  if (style < 8) return `'${raw.replaceAll("'", r.chance(0.9) ? "''" : "'")}'`;
  const esc = r.chance(0.7) ? '' : r.pick(['', '\\n', '\\t', '\\"', '\\\\', '\\x41', '\\u00e9', '\\U0001F600', '\\q', '\\x4', '\\/', '\\0', '\\ ', '\\_']);
  return `"${raw.replaceAll('\\', '\\\\').replaceAll('"', r.chance(0.9) ? '\\"' : '"')}${key === 'name' && r.chance(0.5) ? '\\x01' : esc}"`;
}

function key(r: Rng): string {
  return r.chance(0.03) ? r.pick(ODD_KEYS) : r.pick(KEYS);
}

function comment(r: Rng): string {
  return r.chance(0.1) ? r.pick([' # c', ' #', '  # c: d', ' # - x']) : r.chance(0.01) ? '#c' : '';
}

/** A block node under a key or dash at `indent` (its content more indented); returns the text after the indicator. */
function blockValue(r: Rng, indent: number, depth: number, key: string): string {
  const step = r.chance(0.9) ? 2 : r.pick([4, 1, 3]);
  const kind = depth > 4 ? 0 : r.int(10);
  if (kind < 4) return ` ${scalar(r, key)}${comment(r)}\n`;
  if (kind < 5) return `${r.chance(0.5) ? ' ' : ''}${comment(r)}\n`;
  if (kind < 6) return ` ${flow(r, indent, depth)}${comment(r)}\n`;
  if (kind < 7) return ` ${(r.chance(0.8) ? r.pick(['|', '>', '|-', '>-']) : r.pick(['|+', '|2', '>+', '| # c', '|#c']))}\n${blockScalar(r, indent + step)}`;
  if (kind < 9) return `${comment(r)}\n${map(r, indent + step, depth + 1)}`;
  return `${comment(r)}\n${seq(r, r.chance(0.3) ? indent : indent + step, depth + 1)}`;
}

function blockScalar(r: Rng, indent: number): string {
  const lines: string[] = [];
  const n = r.chance(0.95) ? 1 + r.int(3) : 0;
  for (let i = 0; i < n; i++) {
    const extra = r.chance(0.1) ? r.int(3) : 0;
    lines.push(r.chance(0.2) ? ' '.repeat(r.int(indent + (r.chance(0.9) ? 1 : 3))) : `${' '.repeat(indent + extra)}${r.pick(WORDS)}${r.chance(0.1) ? ' ' : ''}`);
  }
  return lines.map((l) => `${l}\n`).join('') + (r.chance(0.2) ? '\n' : '');
}

function flow(r: Rng, indent: number, depth: number): string {
  const nl = (): string => (r.chance(0.1) ? `\n${' '.repeat(indent + (r.chance(0.9) ? 2 : r.pick([0, 1, 4])))}` : '');
  const item = (): string => (depth < 4 && r.chance(0.25) ? flow(r, indent, depth + 1) : scalar(r, ''));
  const n = r.int(4);
  if (r.chance(0.5)) {
    const entries = Array.from({ length: n }, (_, i) => { const k = r.chance(0.95) ? `${key(r)}${i}` : key(r); return `${nl()}${k}${r.chance(0.05) ? r.pick([':', ' : ']) : ': '}${k === 'name' ? scalar(r, 'name') : item()}`; });
    return `{${entries.join(r.pick([', ', ', ', ',', ' ,']))}${r.chance(0.1) ? ',' : ''}${nl()}}`;
  }
  return `[${Array.from({ length: n }, () => nl() + item()).join(', ')}${r.chance(0.1) ? ', ' : ''}${nl()}]`;
}

function map(r: Rng, indent: number, depth: number): string {
  const n = 1 + r.int(4);
  let out = '';
  const used = new Set<string>();
  for (let i = 0; i < n; i++) {
    let k = key(r);
    // Mostly distinct keys: a repeated key is an error (which the fast reader leaves to yaml).
    while (used.has(k) && r.chance(0.95)) k = `${key(r)}${r.int(100)}`;
    used.add(k);
    out += `${r.chance(0.05) ? '\n' : ''}${r.chance(0.05) ? `${' '.repeat(r.int(6))}# note\n` : ''}${' '.repeat(indent)}${k}:${blockValue(r, indent, depth, k)}`;
  }
  return out;
}

function seq(r: Rng, indent: number, depth: number): string {
  const n = 1 + r.int(3);
  let out = '';
  for (let i = 0; i < n; i++) {
    const pad = ' '.repeat(indent);
    if (r.chance(0.4) && depth < 5) {
      // A compact mapping: its first key on the dash line.
      const inner = map(r, indent + 2, depth + 1).slice(indent + 2);
      out += `${pad}-${r.chance(0.95) ? ' ' : '  '}${inner}`;
    } else out += `${pad}-${blockValue(r, indent, depth, '')}`;
  }
  return out;
}

/** A manifest-like stream: documents (maps, sometimes lists or scalars), separators, comments. */
function manifest(r: Rng): string {
  const docs: string[] = [];
  const n = 1 + r.int(3);
  for (let i = 0; i < n; i++) {
    const body = r.chance(0.8) ? map(r, r.chance(0.05) ? 2 : 0, 0) : r.chance(0.5) ? seq(r, 0, 0) : `${scalar(r, '')}\n`;
    docs.push(`${i > 0 || r.chance(0.3) ? `${r.chance(0.9) ? r.pick(['---', '--- # d']) : r.pick(['---x', '...\n---', '--- a'])}\n` : ''}${r.chance(0.05) ? '# head\n' : ''}${body}`);
  }
  return docs.join(r.chance(0.1) ? '\n' : '');
}

const NOISE = [':', ': ', '-', '- ', '#', ' #', "'", '"', '{', '}', '[', ']', ',', '|', '>', '\n', ' ', '  ', '&a ', '*a', '!!str ', '? ', '%YAML 1.2\n', '---\n', '...\n', '\t', '\r\n', '\\', 'x'];

/** A near miss: the text with a few characters inserted, deleted or a line re-indented. */
function mutate(r: Rng, text: string): string {
  let t = text;
  for (let m = 1 + r.int(3); m > 0 && t.length > 0; m--) {
    const at = r.int(t.length);
    const op = r.int(3);
    if (op === 0) t = t.slice(0, at) + r.pick(NOISE) + t.slice(at);
    else if (op === 1) t = t.slice(0, at) + t.slice(at + 1 + r.int(3));
    else {
      const ls = t.lastIndexOf('\n', at) + 1;
      t = r.chance(0.5) ? `${t.slice(0, ls)} ${t.slice(ls)}` : t.slice(0, ls) + t.slice(ls).replace(/^ /, '');
    }
  }
  return t;
}

// Thousands of generated files a property: 30 s alone, 85 s once on two cores at load 20 (above the default 60 s).
describe('the fast YAML reader reads as yaml does, or leaves the file to yaml', { timeout: 240_000 }, () => {
  let fast = 0;
  let total = 0;
  it('manifest-like texts, well-formed and near misses: same values, diagnostics and positions', () => {
    fc.assert(
      fc.property(fc.noShrink(fc.integer()), fc.boolean(), (seed, broken) => {
        const r = rng(seed);
        const good = manifest(r);
        const text = broken ? mutate(r, good) : good;
        if (!broken) {
          total++;
          if (readsFast(text)) fast++;
        }
        const d = readersDiffer([{ path: 'f.yaml', text }]);
        if (d !== undefined) expect.fail(`${d}\n--- text ---\n${text}`);
      }),
      { numRuns: 4000 },
    );
    // The property says something only if the fast path is taken often enough.
    expect(fast / total).toBeGreaterThan(0.3);
  });

  it('a quote left open at the end: the same diagnostics as yaml, without yaml reading the file', () => {
    let unclosed = 0;
    fc.assert(
      fc.property(fc.noShrink(fc.integer()), (seed) => {
        const r = rng(seed);
        const good = manifest(r);
        const quotes = [...good.matchAll(/["']/g)].map((m) => m.index);
        const body = r.chance(0.7) ? r.pick(WORDS) : r.pick([...ODD_WORDS, '\\n', '\\q', "a''b", 'x\\', 'a"b', "a'b"]);
        const tail = r.pick(['', '\n', '\n', '\n\n', '\n  ', ' \n', '\nx\n', '\n---\n', ' # c\n']);
        let text: string;
        if (quotes.length > 0 && r.chance(0.5)) {
          // An existing quote, wherever it stands (key, value, flow), left open.
          const at = r.pick(quotes) as number;
          text = `${good.slice(0, at + 1)}${body}${tail}`;
        } else {
          // A last entry whose value opens a quote: on the key's line, the next line, or a dash.
          const pad = ' '.repeat(r.pick([0, 0, 2, 4, 1]));
          const q = r.pick(['"', "'"]);
          text = `${good}${pad}${r.pick([`k: ${q}`, `- ${q}`, `k:\n${pad}  ${q}`, `- k: ${q}`, `k: [${q}`, q])}${body}${tail}`;
        }
        if (readsFastUnclosed(text)) unclosed++;
        const d = readersDiffer([{ path: 'f.yaml', text }]);
        if (d !== undefined) expect.fail(`${d}\n--- text ---\n${text}`);
      }),
      { numRuns: 3000 },
    );
    // The property says something only if the new path is taken often enough (about 7%).
    expect(unclosed).toBeGreaterThan(100);
    // bench/scenario-size.ts's hostile shape, small.
    const shape = `${Array.from({ length: 500 }, (_, i) => `k${i}: value ${i}\n`).join('')}last: "open\n`;
    expect(readsFastUnclosed(shape)).toBe(true);
    expect(readersDiffer([{ path: 'f.yaml', text: shape }])).toBeUndefined();
  });

  it("a Cluster's spec.nodes, located node by node: same values, diagnostics and positions", () => {
    let fast = 0;
    fc.assert(
      fc.property(fc.noShrink(fc.integer()), fc.boolean(), (seed, broken) => {
        const r = rng(seed);
        const pad = ' '.repeat(r.pick([2, 2, 4, 1]));
        const dashes = r.chance(0.5) ? pad.length : pad.length + 2;
        // Other sequences beside and below `spec.nodes` (which must not be taken for it), other documents around.
        const other = (): string => (r.chance(0.3) ? `${pad}${r.pick(['a: 1', 'nodes2: [x]', 'ports:\n'])}${r.chance(0.5) ? '' : `\n${seq(r, dashes, 2)}`}\n`.replace('\n\n', '\n') : '');
        const nodes = r.chance(0.9) ? `${pad}nodes:${comment(r)}\n${seq(r, dashes, 2)}` : `${pad}nodes: [{name: a}, {name: b}]\n`;
        const cluster = `kind: Cluster\n${r.chance(0.2) ? 'items:\n- {a: 1, b: [c]}\n- a: x\n' : ''}spec:\n${other()}${nodes}${other()}${r.chance(0.3) ? 'z: 1\n' : ''}`;
        const good = `${r.chance(0.3) ? `${manifest(r)}---\n` : ''}${cluster}${r.chance(0.3) ? `---\n${manifest(r)}` : ''}`;
        const text = broken ? mutate(r, good) : good;
        if (!broken && readsFast(text)) fast++;
        const d = readersDiffer([{ path: 'f.yaml', text }]);
        if (d !== undefined) expect.fail(`${d}\n--- text ---\n${text}`);
      }),
      { numRuns: 2000 },
    );
    expect(fast).toBeGreaterThan(200);
  });

  it('the loader gives the same scenario both ways', () => {
    fc.assert(
      fc.property(fc.noShrink(fc.integer()), (seed) => {
        const r = rng(seed);
        const text = `apiVersion: netsim.dev/v1alpha1\nkind: Cluster\nmetadata: {name: t}\nspec:\n  nodes: [{name: n1}]\n---\n${manifest(r)}`;
        const files = [{ path: 'f.yaml', text }];
        expect(loadScenario(files)).toStrictEqual(loadScenario(files, { yamlReader: 'library' }));
      }),
      { numRuns: 500 },
    );
  });

  it('declines what it does not read: anchors, tags, directives, complex keys, multi-line scalars', () => {
    for (const text of ['a: &x 1\nb: *x\n', 'a: !!str 1\n', '%YAML 1.2\n---\na: 1\n', '? [a]\n: b\n', 'a: b\n  c\n', 'a: "b\n  c"\n', 'a: 1\na: 2\n', '<<: {a: 1}\n', 'a:\tb\n', 'a: b\r\n']) {
      expect(readsFast(text), text).toBe(false);
      expect(readersDiffer([{ path: 'f.yaml', text }])).toBeUndefined();
    }
    expect(readsFast('a: 1\nb: [x, {y: "z\\n"}]\nc: |\n  l1\n  l2\n')).toBe(true);
    // A `kind: List`: its objects are located one at a time (items of every form).
    const list = 'kind: List\nitems:\n- a: 1\n  b: [x, {c: d}]\n-\n  e: |\n    t\n  f:\n  - g\n- - h\n  - {i: j}\n-\n- k\n- [l]\n- |\n  m\nz: 1\n';
    expect(readsFast(list)).toBe(true);
    expect(readersDiffer([{ path: 'f.yaml', text: list }])).toBeUndefined();
    const indented = 'kind: List\nitems:\n  - a: 1\n    b:\n      - c\n  -   d: 2\n  - e\n';
    expect(readsFast(indented)).toBe(true);
    expect(readersDiffer([{ path: 'f.yaml', text: indented }])).toBeUndefined();
    // kubectl get -o json: JSON is YAML, and the fast reader reads it.
    const json = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', ports: [{ containerPort: 80 }] }] } }] }, null, 2);
    expect(readsFast(json)).toBe(true);
    expect(readersDiffer([{ path: 'f.json', text: json }])).toBeUndefined();
  });
});
