/**
 * Where a JSON text first goes wrong: Node's JSON.parse names an offset for some errors only
 * ("Unexpected token '}', … is not valid JSON" has none), so a small recursive-descent scan
 * (RFC 8259's grammar, no values built) finds the offset of the first character that cannot
 * continue a valid document.
 */

/** The offset of the first error and what was expected there; undefined when the text is valid JSON. */
export function jsonErrorAt(text: string): { offset: number; expected: string } | undefined {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
  };
  const fail = (expected: string): never => {
    throw Object.assign(new Error(expected), { offset: i, expected });
  };
  const lit = (word: string): void => {
    if (text.startsWith(word, i)) i += word.length;
    else fail('a value');
  };
  const str = (): void => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail('a closing quote');
      i += text[i] === '\\' ? 2 : 1;
    }
    if (i >= text.length) fail('a closing quote');
    i++;
  };
  const num = (): void => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (m === null || m[0] === '' || m[0] === '-') fail('a value');
    i += (m as RegExpExecArray)[0].length;
  };
  const list = (close: string, item: () => void): void => {
    i++;
    ws();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      item();
      ws();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === close) {
        i++;
        return;
      }
      fail(`',' or '${close}'`);
    }
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') list('}', () => {
      ws();
      if (text[i] !== '"') fail('a quoted key');
      str();
      ws();
      if (text[i] !== ':') fail("':'");
      i++;
      value();
    });
    else if (c === '[') list(']', value);
    else if (c === '"') str();
    else if (c === 't') lit('true');
    else if (c === 'f') lit('false');
    else if (c === 'n') lit('null');
    else num();
  };
  try {
    value();
    ws();
    if (i < text.length) fail('the end of the text');
    return undefined;
  } catch (e) {
    const err = e as { offset?: number; expected?: string };
    return { offset: err.offset ?? i, expected: err.expected ?? 'a value' };
  }
}
