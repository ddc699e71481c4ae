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

/** Splits a line of iptables-restore input into words (xtables' add_param_to_argv rules). */
export function tokenize(line: string): Tokens {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quoted) {
      if (c === '\\' && i + 1 < line.length) {
        word += line[++i];
      } else if (c === '"') {
        // The closing quote ends the word, even an empty one.
        words.push(word);
        word = '';
        inWord = false;
        quoted = false;
      } else {
        word += c;
      }
    } else if (c === '"') {
      quoted = true;
      inWord = true;
    } else if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord && !quoted) words.push(word);
  return { words, unterminatedQuote: quoted };
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
