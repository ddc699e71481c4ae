/**
 * Calico's label selectors (libcalico-go `lib/selector/parser`), the subset IPPool
 * `nodeSelector`s use: `all()`, `k == 'v'`, `k != 'v'`, `has(k)`, `k in {'a', 'b'}`,
 * `k not in {…}`, `!`, `&&`, `||` and parentheses. `&&` binds tighter than `||`; `!` applies to
 * the term after it. An empty selector is `all()`, as in Calico.
 *
 * Semantics follow Calico's AST: `!=` and `not in` are true when the label is absent; `==` and
 * `in` need it present. {@link printCalicoSelector} writes the canonical text Calico's
 * `String()` gives (`(a && b)`, values in double quotes unless they contain one, sets sorted and
 * deduplicated), so parse ∘ print is the identity on selectors.
 */

/** A parsed selector. `and`/`or` have two or more operands. */
export type CalicoSelector =
  | { readonly kind: 'all' }
  | { readonly kind: 'has'; readonly key: string }
  | { readonly kind: 'eq' | 'ne'; readonly key: string; readonly value: string }
  | { readonly kind: 'in' | 'notIn'; readonly key: string; readonly values: readonly string[] }
  | { readonly kind: 'not'; readonly operand: CalicoSelector }
  | { readonly kind: 'and' | 'or'; readonly operands: readonly CalicoSelector[] };

/** Parsing result: the selector, or Calico-style error text. */
export type SelectorParse = { readonly ok: true; readonly selector: CalicoSelector } | { readonly ok: false; readonly message: string };

/** Characters of a label key (Kubernetes label keys: DNS prefix, `/`, name). */
const KEY = /^[A-Za-z0-9_./-]+/;

type Tok =
  | { t: 'op'; v: '&&' | '||' | '!' | '(' | ')' | '{' | '}' | ',' | '==' | '!=' }
  | { t: 'str'; v: string }
  | { t: 'word'; v: string };

function tokenize(text: string): Tok[] | string {
  const out: Tok[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? '';
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === '&&' || two === '||' || two === '==' || two === '!=') {
      out.push({ t: 'op', v: two });
      i += 2;
    } else if ('!(){},'.includes(c)) {
      out.push({ t: 'op', v: c as '!' });
      i++;
    } else if (c === '"' || c === "'") {
      const end = text.indexOf(c, i + 1);
      if (end < 0) return `unterminated string at ${i}`;
      out.push({ t: 'str', v: text.slice(i + 1, end) });
      i = end + 1;
    } else {
      const m = KEY.exec(text.slice(i));
      if (m === null) return `unexpected character '${c}' at ${i}`;
      out.push({ t: 'word', v: m[0] });
      i += m[0].length;
    }
  }
  return out;
}

class Parser {
  private i = 0;
  constructor(private readonly toks: readonly Tok[]) {}

  private peek(): Tok | undefined {
    return this.toks[this.i];
  }

  private isOp(v: string): boolean {
    const t = this.peek();
    return t?.t === 'op' && t.v === v;
  }

  private expectOp(v: string): void {
    if (!this.isOp(v)) throw new SyntaxError(`expected '${v}'`);
    this.i++;
  }

  private word(): string {
    const t = this.peek();
    if (t?.t !== 'word') throw new SyntaxError('expected a label name');
    this.i++;
    return t.v;
  }

  private str(): string {
    const t = this.peek();
    if (t?.t !== 'str') throw new SyntaxError('expected a quoted string');
    this.i++;
    return t.v;
  }

  done(): boolean {
    return this.i >= this.toks.length;
  }

  or(): CalicoSelector {
    const ops = [this.and()];
    while (this.isOp('||')) {
      this.i++;
      ops.push(this.and());
    }
    return ops.length === 1 ? (ops[0] as CalicoSelector) : { kind: 'or', operands: ops };
  }

  private and(): CalicoSelector {
    const ops = [this.unary()];
    while (this.isOp('&&')) {
      this.i++;
      ops.push(this.unary());
    }
    return ops.length === 1 ? (ops[0] as CalicoSelector) : { kind: 'and', operands: ops };
  }

  private unary(): CalicoSelector {
    if (this.isOp('!')) {
      this.i++;
      return { kind: 'not', operand: this.unary() };
    }
    if (this.isOp('(')) {
      this.i++;
      const inner = this.or();
      this.expectOp(')');
      return inner;
    }
    return this.term();
  }

  private set(): string[] {
    this.expectOp('{');
    const values: string[] = [];
    if (!this.isOp('}')) {
      values.push(this.str());
      while (this.isOp(',')) {
        this.i++;
        values.push(this.str());
      }
    }
    this.expectOp('}');
    return [...new Set(values)].sort();
  }

  private term(): CalicoSelector {
    const name = this.word();
    if ((name === 'all' || name === 'has') && this.isOp('(')) {
      this.i++;
      if (name === 'all') {
        this.expectOp(')');
        return { kind: 'all' };
      }
      const key = this.word();
      this.expectOp(')');
      return { kind: 'has', key };
    }
    if (this.isOp('==') || this.isOp('!=')) {
      const kind = this.isOp('==') ? 'eq' : 'ne';
      this.i++;
      return { kind, key: name, value: this.str() };
    }
    const next = this.peek();
    if (next?.t === 'word' && next.v === 'in') {
      this.i++;
      return { kind: 'in', key: name, values: this.set() };
    }
    if (next?.t === 'word' && next.v === 'not') {
      this.i++;
      if (this.word() !== 'in') throw new SyntaxError("expected 'in' after 'not'");
      return { kind: 'notIn', key: name, values: this.set() };
    }
    throw new SyntaxError(`expected an operator after '${name}'`);
  }
}

/** `selector.Parse`: the selector, or why the text is not one. */
export function parseCalicoSelector(text: string): SelectorParse {
  if (text.trim() === '') return { ok: true, selector: { kind: 'all' } };
  const toks = tokenize(text);
  if (typeof toks === 'string') return { ok: false, message: `failed to parse selector ${JSON.stringify(text)}: ${toks}` };
  try {
    const p = new Parser(toks);
    const selector = p.or();
    if (!p.done()) throw new SyntaxError('unexpected text after the selector');
    return { ok: true, selector };
  } catch (e) {
    if (e instanceof SyntaxError) return { ok: false, message: `failed to parse selector ${JSON.stringify(text)}: ${e.message}` };
    throw e;
  }
}

/** `Selector.Evaluate(labels)`: whether the selector selects an object with these labels. */
export function selects(sel: CalicoSelector, labels: Readonly<Record<string, string>>): boolean {
  const has = (k: string): boolean => Object.hasOwn(labels, k);
  switch (sel.kind) {
    case 'all':
      return true;
    case 'has':
      return has(sel.key);
    case 'eq':
      return has(sel.key) && labels[sel.key] === sel.value;
    case 'ne':
      return !has(sel.key) || labels[sel.key] !== sel.value;
    case 'in':
      return has(sel.key) && sel.values.includes(labels[sel.key] ?? '');
    case 'notIn':
      return !has(sel.key) || !sel.values.includes(labels[sel.key] ?? '');
    case 'not':
      return !selects(sel.operand, labels);
    case 'and':
      return sel.operands.every((o) => selects(o, labels));
    case 'or':
      return sel.operands.some((o) => selects(o, labels));
  }
}

function quote(s: string): string {
  return s.includes('"') ? `'${s}'` : `"${s}"`;
}

/** `Selector.String()`: Calico's canonical text of a selector. */
export function printCalicoSelector(sel: CalicoSelector): string {
  switch (sel.kind) {
    case 'all':
      return 'all()';
    case 'has':
      return `has(${sel.key})`;
    case 'eq':
      return `${sel.key} == ${quote(sel.value)}`;
    case 'ne':
      return `${sel.key} != ${quote(sel.value)}`;
    case 'in':
    case 'notIn':
      return `${sel.key} ${sel.kind === 'in' ? 'in' : 'not in'} {${sel.values.map(quote).join(', ')}}`;
    case 'not':
      return `!${printCalicoSelector(sel.operand)}`;
    case 'and':
    case 'or':
      return `(${sel.operands.map(printCalicoSelector).join(sel.kind === 'and' ? ' && ' : ' || ')})`;
  }
}
