/**
 * Literal (`|`, `|-`) and folded (`>`, `>-`) block scalars for the fast reader, as yaml's
 * `compose/resolve-block-scalar.js` reads them when their lines are plain: the content
 * indentation is the first content line's, more than the enclosing collection's. Keep
 * chomping (`+`), indentation indicators, whitespace-only lines deeper than the content,
 * more-indented lines of a folded scalar and empty block scalars decline.
 */
import { decline } from './scalar.js';

const NL = 10;
const SP = 32;

/** The value of the block scalar whose header is at `p`, and the offset after its last line. */
export function readBlockScalar(t: string, p: number, parent: number): { value: string; next: number } {
  if (parent < 0) decline('block scalar at the root');
  const n = t.length;
  const folded = t.charCodeAt(p) === 62;
  let h = p + 1;
  const strip = t.charCodeAt(h) === 45;
  if (strip) h++;
  let j = h;
  while (t.charCodeAt(j) === SP) j++;
  if (j < n && t.charCodeAt(j) !== NL && (t.charCodeAt(j) !== 35 || j === h)) decline('block scalar header');
  const headerEnd = t.indexOf('\n', j);
  if (headerEnd < 0) decline('empty block scalar');
  // Lines: [start of line, indentation, end of line]; find the content indentation first.
  let i = headerEnd + 1;
  let leading = 0;
  let indent = -1;
  while (i < n) {
    let k = i;
    while (t.charCodeAt(k) === SP) k++;
    if (k < n && t.charCodeAt(k) !== NL) {
      indent = k - i;
      break;
    }
    if (k >= n) break;
    leading++;
    i = k + 1;
  }
  if (indent <= parent) decline('empty block scalar');
  // Leading empty lines may not be deeper than the content.
  for (let a = headerEnd + 1, c = 0; c < leading; c++) {
    const e = t.indexOf('\n', a);
    if (e - a > indent) decline('deep leading blank line');
    a = e + 1;
  }
  const lines: string[] = [];
  let blanks = 0;
  let end = i;
  while (i < n) {
    let k = i;
    while (t.charCodeAt(k) === SP) k++;
    const e0 = t.indexOf('\n', k);
    const e = e0 < 0 ? n : e0;
    if (k === e) {
      if (k - i > indent) decline('deep blank line');
      blanks++;
    } else {
      if (k - i < indent) break;
      if (folded && k - i > indent) decline('more-indented folded line');
      for (; blanks > 0; blanks--) lines.push('');
      lines.push(t.slice(i + indent, e));
      end = e0 < 0 ? n : e0 + 1;
    }
    i = e0 < 0 ? n : e0 + 1;
  }
  let value = '\n'.repeat(leading);
  if (!folded) value += lines.join('\n');
  else {
    let sep = '';
    for (const line of lines) {
      if (line === '') {
        if (sep === '\n') value += '\n';
        else sep = '\n';
      } else {
        value += sep + line;
        sep = ' ';
      }
    }
  }
  return { value: strip ? value : `${value}\n`, next: end };
}
