/**
 * The lexer of nft(8) input (`nft -f FILE`, and what `nft list ruleset` prints): words, quoted
 * strings, the punctuation `{ } ; ,` and newlines (a statement ends at a newline or `;`), with
 * `#` comments to the end of the line. Chain names such as
 * `endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80`, addresses, `10.0.0.1:80` and `[fd00::2]:80`
 * stay single words; a lone `.` (concatenation) and a lone `:` (map data) are words of their own.
 */
import type { SourcePos } from '../../../diag/diagnostic.js';

/** One token with its 1-based position. */
export interface Token {
  readonly kind: 'word' | 'string' | 'punct' | 'nl' | 'eof';
  readonly text: string;
  readonly line: number;
  readonly col: number;
}

const PUNCT = new Set(['{', '}', ';', ',']);

/** Splits nft input into tokens; an unterminated string runs to the end of its line. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let line = 1;
  let lineStart = 0;
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    const col = i - lineStart + 1;
    if (ch === '\n') {
      out.push({ kind: 'nl', text: '\n', line, col });
      line++;
      i++;
      lineStart = i;
    } else if (ch === ' ' || ch === '\t' || ch === '\r') {
      i++;
    } else if (ch === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (ch === '\\' && text[i + 1] === '\n') {
      i += 2;
      line++;
      lineStart = i;
    } else if (ch === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"' && text[j] !== '\n') j++;
      out.push({ kind: 'string', text: text.slice(i + 1, j), line, col });
      i = text[j] === '"' ? j + 1 : j;
    } else if (PUNCT.has(ch)) {
      out.push({ kind: 'punct', text: ch, line, col });
      i++;
    } else {
      let j = i;
      while (j < text.length && !/[\s{};,"#]/.test(text[j] as string)) j++;
      out.push({ kind: 'word', text: text.slice(i, j), line, col });
      i = j;
    }
  }
  out.push({ kind: 'eof', text: '', line, col: i - lineStart + 1 });
  return out;
}

/** A cursor over tokens, with the file name for positions. */
export class Cursor {
  private i = 0;
  constructor(
    private readonly toks: readonly Token[],
    readonly file: string,
  ) {}

  /** The index of the current token, to come back to with {@link Cursor.reset}. */
  mark(): number {
    return this.i;
  }

  /** Goes back (or forward) to a token index from {@link Cursor.mark}. */
  reset(i: number): void {
    this.i = i;
  }

  /** The current token (eof at the end). */
  peek(ahead = 0): Token {
    return this.toks[Math.min(this.i + ahead, this.toks.length - 1)] as Token;
  }

  /** Consumes and returns the current token. */
  next(): Token {
    const t = this.peek();
    if (this.i < this.toks.length - 1) this.i++;
    return t;
  }

  /** True when the current token is the word (or punctuation) `text`. */
  is(text: string): boolean {
    const t = this.peek();
    return (t.kind === 'word' || t.kind === 'punct') && t.text === text;
  }

  /** Consumes the token if it is `text`. */
  eat(text: string): boolean {
    if (!this.is(text)) return false;
    this.next();
    return true;
  }

  /** Skips newlines (and `;` when `semis`). */
  skipNl(semis = false): void {
    while (this.peek().kind === 'nl' || (semis && this.is(';'))) this.next();
  }

  /** True at the end of a statement: newline, `;`, `}` or eof. */
  atEnd(): boolean {
    const t = this.peek();
    return t.kind === 'nl' || t.kind === 'eof' || (t.kind === 'punct' && (t.text === ';' || t.text === '}'));
  }

  /** The position of a token for a diagnostic. */
  pos(t: Token = this.peek()): SourcePos {
    return { file: this.file, line: t.line, col: t.col };
  }
}
