/**
 * Splitting an `iptables-restore` line into words, and quoting a string the way
 * `iptables-save` prints it.
 *
 * Observed on iptables v1.8.9 (nf_tables), see test/fixtures/iptables/quoting.rules:
 * - words are separated by spaces and tabs;
 * - `"` opens a quoted section that may continue a word (`ab"c d"` is `abc d`); the closing
 *   `"` ends the word, so `"a"b` is two words;
 * - inside quotes a backslash takes the next character literally (`"q\"q"` is `q"q`,
 *   `"a\b"` is `ab`); outside quotes a backslash is an ordinary character;
 * - `""` is an empty word (an empty `--comment`).
 */

/** The words of one line, and whether a quote was left open at its end. */
export interface Tokens {
  readonly words: readonly string[];
  readonly unterminatedQuote: boolean;
}

/** Character codes the tokenizers compare with (this one and fast-words.ts). */
export const SPACE = 32;
export const TAB = 9;
export const LF = 10;
export const CR = 13;
export const QUOTE = 34;
export const BACKSLASH = 92;

/** A word separator, as iptables-restore's tokenizer sees one. */
export function isSpace(c: number): boolean {
  return c === SPACE || c === TAB || c === LF || c === CR;
}

/**
 * Splits a line of iptables-restore input into words (xtables' add_param_to_argv rules).
 * Runs of plain characters are sliced, not copied one by one: a 100k-line dump goes through here.
 */
export function tokenize(line: string): Tokens {
  const words: string[] = [];
  const unterminatedQuote = tokenizeInto(line, words);
  return { words, unterminatedQuote };
}

/**
 * {@link tokenize} into `words` (emptied first), returning whether a quote was left open: the
 * iptables-save reader passes the same array for every line of a file rather than grow a new one.
 */
export function tokenizeInto(line: string, words: string[]): boolean {
  // Written by index and cut to length at the end: emptying the array first would drop its store.
  let k = 0;
  const n = line.length;
  let i = 0;
  while (i < n) {
    if (isSpace(line.charCodeAt(i))) {
      i++;
      continue;
    }
    let word = '';
    const start = i;
    let ended = false;
    while (i < n && !isSpace(line.charCodeAt(i))) {
      if (line.charCodeAt(i) !== QUOTE) {
        i++;
        continue;
      }
      word += line.slice(start, i);
      const q = readQuoted(line, i + 1);
      if (q === undefined) {
        words.length = k;
        return true;
      }
      // The closing quote ends the word, even an empty one.
      words[k++] = word + q.text;
      i = q.next;
      ended = true;
      break;
    }
    if (!ended) words[k++] = word === '' ? line.slice(start, i) : word + line.slice(start, i);
  }
  words.length = k;
  return false;
}

/** The text of a quoted section starting after its `"`, and the index after the closing `"`. */
function readQuoted(line: string, from: number): { text: string; next: number } | undefined {
  let text = '';
  let start = from;
  for (let i = from; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === BACKSLASH && i + 1 < line.length) {
      text += line.slice(start, i) + line.charAt(i + 1);
      i++;
      start = i + 1;
    } else if (c === QUOTE) {
      return { text: text + line.slice(start, i), next: i + 1 };
    }
  }
  return undefined;
}

// Characters that never need quotes; anything else makes iptables-save quote the whole string.
const PLAIN = /^[A-Za-z0-9_-]+$/;

/**
 * Quotes a string argument (`--comment`, `--log-prefix`) as iptables-save does: bare when it is
 * only letters, digits, `_` and `-`; otherwise in double quotes with `"`, `\` and `'` escaped by a
 * backslash. The empty string prints as `""`.
 */
export function quoteString(value: string): string {
  if (PLAIN.test(value)) return value;
  let out = '"';
  for (const c of value) out += c === '"' || c === '\\' || c === "'" ? `\\${c}` : c;
  return `${out}"`;
}
