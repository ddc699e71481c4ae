/**
 * Flow collections (`{a: 1, b: [x, y]}`) for the fast reader, on one line or several. Flow
 * keys must be one-line scalars followed by `:`; a key without a value, an empty value, a
 * pair inside `[…]`, a plain scalar over lines and anything else unusual declines.
 */
import { type PosMap, type PosNode, type PosSeq, posEntry, posMap } from './positions.js';
import type { Reader } from './reader.js';
import { checkName, decline, keyName } from './scalar.js';

const NL = 10;
const SP = 32;
const HASH = 35;

/** The flow collection at `p` (`[` or `{`), inside a block node indented `parent`. */
export function readFlow(r: Reader, t: string, p: number, parent: number): unknown {
  r.flowEnter();
  const keep = r.keepPositions;
  const isMap = t.charCodeAt(p) === 123;
  const close = isMap ? 125 : 93;
  const obj: Record<string, unknown> = {};
  const list: unknown[] = [];
  const pm: PosMap | undefined = keep && isMap ? posMap(p) : undefined;
  const ps: PosSeq | undefined = keep && !isMap ? { start: p, items: [] } : undefined;
  let i = gap(t, p + 1, parent);
  for (;;) {
    if (t.charCodeAt(i) === close) break;
    if (isMap) {
      const keyStart = i;
      const c = t.charCodeAt(i);
      const quoted = c === 34 || c === 39;
      const name = keyName(r.scalar(i, true));
      const colon = r.se;
      if (t.charCodeAt(colon) !== 58) decline('flow key without value');
      if (colon - keyStart > 1000) decline('long key');
      const after = t.charCodeAt(colon + 1);
      if (!quoted && after !== SP && after !== NL) decline('flow key');
      if (Object.hasOwn(obj, name)) decline('repeated key');
      i = gap(t, colon + 1, parent);
      const v = value(r, t, i, parent);
      checkName(name, v);
      obj[name] = v;
      if (pm !== undefined) posEntry(pm, name, keyStart, r.pos as PosNode);
    } else {
      list.push(value(r, t, i, parent));
      ps?.items.push(r.pos as PosNode);
    }
    i = gap(t, r.se, parent);
    const d = t.charCodeAt(i);
    if (d === 44) i = gap(t, i + 1, parent);
    else if (d !== close) decline('flow separator');
  }
  r.flowEnd = i + 1;
  r.flowLeave();
  if (keep) r.pos = pm ?? ps;
  return isMap ? obj : list;
}

/** A flow value at `i`; leaves its end in `r.se`. */
function value(r: Reader, t: string, i: number, parent: number): unknown {
  const c = t.charCodeAt(i);
  if (c === 44 || c === 93 || c === 125) decline('empty flow value');
  if (c === 91 || c === 123) {
    const v = readFlow(r, t, i, parent);
    r.se = r.flowEnd;
    return v;
  }
  const v = r.scalar(i, true);
  if (r.keepPositions) r.pos = i;
  return v;
}

/**
 * Skips spaces, line breaks and comments between flow tokens; a continuation line must be
 * indented more than the enclosing block collection and cannot be a document marker.
 */
function gap(t: string, i: number, parent: number): number {
  const n = t.length;
  for (;;) {
    const c = t.charCodeAt(i);
    if (c === SP) i++;
    else if (c === HASH) {
      const prev = t.charCodeAt(i - 1);
      if (prev !== SP && prev !== NL) decline('comment');
      const e = t.indexOf('\n', i);
      if (e < 0) decline('unclosed flow');
      i = e;
    } else if (c === NL) {
      const ls = i + 1;
      let j = ls;
      while (t.charCodeAt(j) === SP) j++;
      const d = t.charCodeAt(j);
      if (j >= n) decline('unclosed flow');
      if (d !== NL && d !== HASH && j - ls <= parent) decline('flow indentation');
      if (j === ls && (d === 45 || d === 46) && t.charCodeAt(j + 1) === d && t.charCodeAt(j + 2) === d) decline('marker in flow');
      i = j;
    } else if (i >= n) decline('unclosed flow');
    else return i;
  }
}

