/**
 * Scalars as yaml's core schema (YAML 1.2) resolves them, for the fast reader: a plain scalar
 * becomes null, a boolean, a number or a string by the same tests in the same order as yaml's
 * `schema/core` tags (null, bool, intOct, int, intHex, floatNaN, floatExp, float), and quoted
 * scalars are decoded as `compose/resolve-flow-scalar.js` decodes them. Anything those would
 * report as an error makes the caller decline (see {@link Decline}).
 */
import { NAME_KEYS } from '../manifest-check.js';

/** Thrown (once per file) when the fast reader meets something it leaves to yaml. */
export class Decline {
  constructor(readonly reason: string) {}
}

/**
 * Thrown when a quoted scalar in a block value is never closed and nothing but line breaks
 * follows it: yaml's lexer then runs the scalar to the end of the text and its composer reports
 * `Missing closing "quote` there, as the document's first error (resolve-flow-scalar.js), so the
 * reader can report it without yaml reading the whole file again (issue 9: a 5 MB file whose
 * only error is an unclosed quote at the end). fast-yaml.test.ts checks it against yaml.
 */
export class Unclosed {
  constructor(
    /** Offset of the opening quote. */
    readonly offset: number,
    /** `"` or `'`. */
    readonly quote: string,
  ) {}
}

/** Gives up on the fast path; the caller falls back to yaml. */
export function decline(reason: string): never {
  throw new Decline(reason);
}

const NL = 10;
const SP = 32;

const NULL = /^(?:~|[Nn]ull|NULL)$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT = /^0o[0-7]+$/;
const INT = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/**
 * The value of a non-empty plain scalar, as {@link resolvePlainByTags} gives it. Most scalars in
 * a manifest are words or small integers: a word settles with one comparison against the
 * spellings of null, true and false (no core tag but those matches a word starting with a letter
 * or `~`), a run of digits is an `int`; only what starts with a sign or a dot, or mixes digits
 * with other characters, goes through the tags' patterns. fast-yaml.test.ts holds the two equal.
 */
export function resolvePlain(s: string): string | number | boolean | null {
  const c = s.charCodeAt(0);
  if (c >= 48 && c <= 57) {
    let i = 1;
    while (i < s.length && isDigit(s.charCodeAt(i))) i++;
    // INT_OCT needs an `o`, so only INT matches a run of digits.
    return i === s.length ? parseInt(s, 10) : resolvePlainByTags(s);
  }
  if (c === 43 || c === 45 || c === 46) return resolvePlainByTags(s);
  switch (s) {
    case '~': case 'null': case 'Null': case 'NULL':
      return null;
    case 'true': case 'True': case 'TRUE':
      return true;
    case 'false': case 'False': case 'FALSE':
      return false;
    default:
      return s;
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** The core schema's tags tried in yaml's order: the reference {@link resolvePlain} must equal. */
export function resolvePlainByTags(s: string): string | number | boolean | null {
  const c = s.charCodeAt(0);
  // 0-9 + - . ~ and the letters that begin null/true/false in any of their spellings.
  const maybe = (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46 || c === 126 || c === 110 || c === 78 || c === 116 || c === 84 || c === 102 || c === 70;
  if (!maybe) return s;
  if (NULL.test(s)) return null;
  if (BOOL.test(s)) return s[0] === 't' || s[0] === 'T';
  if (INT_OCT.test(s)) return parseInt(s.substring(2), 8);
  if (INT.test(s)) return parseInt(s, 10);
  if (INT_HEX.test(s)) return parseInt(s.substring(2), 16);
  if (FLOAT_NAN.test(s)) return s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (FLOAT_EXP.test(s) || FLOAT.test(s)) return parseFloat(s);
  return s;
}

/** yaml's double-quoted escapes (resolve-flow-scalar.js `escapeCodes`), by the character after `\`. */
const ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0', a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
  N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029', ' ': ' ', '"': '"', '/': '/', '\\': '\\',
};

const HEX = /^[0-9a-fA-F]+$/;

/**
 * The body of a one-line double-quoted scalar (between the quotes, `raw`), decoded; declines
 * on an escape yaml would report.
 */
export function decodeDouble(raw: string): string {
  if (raw.indexOf('\\') < 0) return raw;
  let out = '';
  let from = 0;
  for (let i = raw.indexOf('\\'); i >= 0; i = raw.indexOf('\\', from)) {
    out += raw.slice(from, i);
    const next = raw[i + 1] ?? '';
    const simple = ESCAPES[next];
    if (simple !== undefined) {
      out += simple;
      from = i + 2;
      continue;
    }
    const length = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0;
    const hex = raw.substr(i + 2, length);
    if (length === 0 || hex.length !== length || !HEX.test(hex)) return decline('escape');
    const code = parseInt(hex, 16);
    if (code > 0x10ffff) return decline('escape');
    out += String.fromCodePoint(code);
    from = i + 2 + length;
  }
  return out + raw.slice(from);
}

/** The body of a one-line single-quoted scalar, decoded (`''` is a quote). */
export function decodeSingle(raw: string): string {
  return raw.indexOf("'") < 0 ? raw : raw.replaceAll("''", "'");
}

/** `,[]{}` */
export function isFlowIndicator(c: number): boolean {
  return c === 44 || c === 91 || c === 93 || c === 123 || c === 125;
}

/** manifest-check.ts refuses control characters in keys and names: such entries decline. */
export function checkName(name: string, value: unknown): void {
  if (hasControl(name) || (typeof value === 'string' && NAME_KEYS.has(name) && hasControl(value))) decline('control character in a name');
}

/**
 * manifest-check.ts's `CONTROL.test(s)` (C0, DEL and C1) as a loop: every key of a 5 MB
 * scenario is tested, and for a short key the loop costs a fraction of a regex call.
 */
export function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return true;
  }
  return false;
}

/** A mapping key as toJS writes it; keys that would read differently through yaml decline. */
export function keyName(key: unknown): string {
  if (key === null || typeof key === 'object') return decline('null key');
  const name = String(key);
  if (name === '<<' || name === '__proto__') decline('merge or __proto__ key');
  return name;
}

/** Whether a plain scalar may start at `p` (YAML 1.2 `ns-plain-first`, conservatively). */
export function plainStart(t: string, p: number, flow: boolean): boolean {
  const c = t.charCodeAt(p);
  if (p >= t.length) return false;
  switch (c) {
    case 45: // -
    case 63: // ?
    case 58: { // :
      const d = t.charCodeAt(p + 1);
      return !(d === SP || d === NL || p + 1 >= t.length || (flow && isFlowIndicator(d)));
    }
    case 44: case 91: case 93: case 123: case 125: // , [ ] { }
    case 35: case 38: case 42: case 33: case 124: case 62: // # & * ! | >
    case 39: case 34: case 37: case 64: case 96: // ' " % @ `
    case NL: case SP:
      return false;
    default:
      return true;
  }
}
