/**
 * The words of one rule line read in place, by index into the whole file's text: no line string,
 * no word array, a string only for a word the rule keeps. For the fast rule reader (fast-rule.ts).
 *
 * It reads words exactly as tokenize.ts does for the lines it accepts, and gives up (so that the
 * line goes through the reference reader) on anything else: a quote anywhere but around a whole
 * word, a backslash inside quotes, an unterminated quote, a word longer than a third of
 * iptables-restore's parameter limit (which only the reference reader measures in UTF-8 bytes).
 */
import { BACKSLASH, QUOTE, isSpace } from './tokenize.js';

/** What {@link LineCursor.next} found. */
export const WORD = 1;
export const END = 0;
/** The line is beyond the fast reader. */
export const GIVE_UP = -1;

const DASH = 45;
const BANG = 33;

/** The longest word read here: 341 UTF-16 units are at most 1023 bytes of UTF-8 (parse-save.ts MAX_PARAM). */
const MAX_WORD = 341;

/** Separators: tokenize.ts isSpace. */
export const isSep = isSpace;

/** The words of one line, `text[start, end)`, read in place. */
export class LineCursor {
  text = '';
  /** Where the next word is looked for. */
  i = 0;
  end = 0;
  /** The last word read: its characters are `text[from, to)` (inside the quotes of a quoted word). */
  from = 0;
  to = 0;

  reset(text: string, start: number, end: number): void {
    this.text = text;
    this.i = start;
    this.end = end;
  }

  /** Reads the next word: {@link WORD}, {@link END} or {@link GIVE_UP}. */
  next(): number {
    const { text, end } = this;
    let i = this.i;
    while (i < end && isSep(text.charCodeAt(i))) i++;
    if (i >= end) {
      this.i = i;
      return END;
    }
    if (text.charCodeAt(i) === QUOTE) {
      let j = i + 1;
      for (; j < end; j++) {
        const c = text.charCodeAt(j);
        if (c === QUOTE) break;
        if (c === BACKSLASH) return GIVE_UP;
      }
      // Unterminated, or a word going on after the closing quote (`"a"b` is two words).
      if (j >= end || (j + 1 < end && !isSep(text.charCodeAt(j + 1)))) return GIVE_UP;
      this.from = i + 1;
      this.to = j;
      this.i = j + 1;
    } else {
      let j = i;
      for (; j < end; j++) {
        const c = text.charCodeAt(j);
        if (isSep(c)) break;
        if (c === QUOTE) return GIVE_UP;
      }
      this.from = i;
      this.to = j;
      this.i = j;
    }
    return this.to - this.from > MAX_WORD ? GIVE_UP : WORD;
  }

  /** True when the last word is `s`. */
  is(s: string): boolean {
    return this.to - this.from === s.length && this.text.startsWith(s, this.from);
  }

  /** The last word as a string. */
  word(): string {
    return this.text.slice(this.from, this.to);
  }

  /**
   * True when the text at `at` is the text of `[keyFrom, keyTo)` followed by the end of the line,
   * or by a separator and then a word that can never be an extension's option (`-m`, `-j`, `-s`,
   * `!`, …): the words of a kept part end there. (A part found where more of its options follow
   * would make the reader give the line up when it meets them; the reader then reads it afresh.)
   */
  partEndsAt(at: number, keyFrom: number, keyTo: number): boolean {
    const { text, end } = this;
    const n = keyTo - keyFrom;
    let i = at + n;
    // The end of the part first (a word must end there), then its last character: most kept parts differ there.
    if (i > end || (i < end && !isSep(text.charCodeAt(i)))) return false;
    if (n > 0 && text.charCodeAt(i - 1) !== text.charCodeAt(keyTo - 1)) return false;
    for (let k = 0; k < n; k++) if (text.charCodeAt(at + k) !== text.charCodeAt(keyFrom + k)) return false;
    while (i < end && isSep(text.charCodeAt(i))) i++;
    if (i >= end) return true;
    const c = text.charCodeAt(i);
    const after = i + 1 < end ? text.charCodeAt(i + 1) : -1;
    if (c === BANG) return i + 1 >= end || isSep(after);
    if (c !== DASH || i + 2 < end && !isSep(text.charCodeAt(i + 2))) return false;
    // The short options readOne handles before any extension option.
    return after === 0x41 || after === 0x6d || after === 0x6a || after === 0x67 || after === 0x73 || after === 0x64 || after === 0x70 || after === 0x69 || after === 0x6f || after === 0x66 || after === 0x63;
  }
}
