/**
 * A small XML well-formedness check for Graphviz's SVG: tags nest and close, attributes are
 * quoted, entities are known or numeric. Not a validator; enough to catch a broken escape.
 */

const NAME = /^[A-Za-z_:][\w.:-]*$/;
const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/y;

/** Problems found (empty when well-formed). */
export function xmlProblems(text: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  let i = 0;
  while (i < text.length && problems.length === 0) {
    const c = text[i];
    if (c === '&') {
      ENTITY.lastIndex = i;
      if (!ENTITY.test(text)) problems.push(`bad entity at ${i}: ${text.slice(i, i + 12)}`);
      i++;
      continue;
    }
    if (c !== '<') {
      i++;
      continue;
    }
    const skip = special(text, i);
    if (skip !== undefined) {
      if (skip < 0) problems.push(`unterminated markup at ${i}`);
      i = skip < 0 ? text.length : skip;
      continue;
    }
    const end = text.indexOf('>', i);
    if (end < 0) {
      problems.push(`unterminated tag at ${i}`);
      break;
    }
    problems.push(...tag(text.slice(i + 1, end), stack, i));
    i = end + 1;
  }
  if (problems.length === 0 && stack.length > 0) problems.push(`unclosed: ${stack.join(' > ')}`);
  return problems;
}

/** Comments, the XML declaration and DOCTYPE: the index after them, -1 if unterminated, undefined otherwise. */
function special(text: string, i: number): number | undefined {
  for (const [open, close] of [['<!--', '-->'], ['<?', '?>'], ['<!DOCTYPE', '>'], ['<![CDATA[', ']]>']] as const) {
    if (text.startsWith(open, i)) {
      const end = text.indexOf(close, i + open.length);
      return end < 0 ? -1 : end + close.length;
    }
  }
  return undefined;
}

function tag(inner: string, stack: string[], at: number): string[] {
  if (inner.startsWith('/')) {
    const name = inner.slice(1).trim();
    const open = stack.pop();
    return open === name ? [] : [`</${name}> at ${at} closes <${open ?? 'nothing'}>`];
  }
  const selfClosing = inner.endsWith('/');
  const body = selfClosing ? inner.slice(0, -1) : inner;
  const name = body.match(/^[^\s]+/)?.[0] ?? '';
  if (!NAME.test(name)) return [`bad tag name at ${at}: ${name}`];
  const rest = body.slice(name.length).replace(/\s+[A-Za-z_:][\w.:-]*\s*=\s*("[^"]*"|'[^']*')/g, '');
  if (rest.trim() !== '') return [`bad attributes at ${at}: ${rest.trim().slice(0, 40)}`];
  if (!selfClosing) stack.push(name);
  return [];
}
