/**
 * The generateName draws of one namespace (the API server's `rand.String(5)` after
 * `<prefix>-`, drawn again on AlreadyExists), checked as numbers. A name `<prefix>-<5 safe
 * characters>` is its prefix and the index of its 5 characters in the alphabet (27^5 < 2^24),
 * and such names are equal exactly when both parts are; a name of any other form never equals
 * a drawn one. So each prefix keeps a set of small integers, seeded from the names already
 * taken, instead of one set of every name in the namespace: 150,000 names were each made,
 * hashed and kept a second time to be looked up (large.yaml). workload-names.test.ts holds the
 * draws equal to {@link generatedNames} over a set of names.
 */
import { SAFE_ALPHANUMS } from '../../hash/index.js';
import type { Rng } from '../../sim/context.js';

const N = SAFE_ALPHANUMS.length;
const CODES = Array.from(SAFE_ALPHANUMS, (c) => c.charCodeAt(0));
const INDEX = new Map(Array.from(SAFE_ALPHANUMS, (c, i) => [c.charCodeAt(0), i]));
const DASH = 45;
/** Prefixes up to this length are written with one `fromCharCode` (its arguments go on the stack). */
const MAX_APPLIED = 1024;
/** `-` and the 5 characters. */
const TAIL = 6;

/** A namespace's drawn names, given the names already taken in it. */
export class NameDraws {
  private readonly used = new Map<string, Set<number>>();

  constructor(taken: Iterable<string>) {
    for (const name of taken) {
      const code = suffixCode(name);
      if (code !== undefined) this.usedBy(name.slice(0, name.length - TAIL)).add(code);
    }
  }

  /** `count` names `<prefix>-<5 characters>`, each new in the namespace (taken from then on). */
  names(prefix: string, count: number, rng: Rng): string[] {
    const used = this.usedBy(prefix);
    const head = `${prefix}-`;
    const codes = head.length <= MAX_APPLIED ? codeUnits(`${head}\0\0\0\0\0`) : undefined;
    const k = head.length;
    const out: string[] = [];
    while (out.length < count) {
      // randomString's draws, in its order: one character index each.
      const a = draw(rng);
      const b = draw(rng);
      const c = draw(rng);
      const d = draw(rng);
      const e = draw(rng);
      const code = (((a * N + b) * N + c) * N + d) * N + e;
      if (used.has(code)) continue;
      used.add(code);
      if (codes === undefined) {
        out.push(head + String.fromCharCode(CODES[a] ?? 0, CODES[b] ?? 0, CODES[c] ?? 0, CODES[d] ?? 0, CODES[e] ?? 0));
        continue;
      }
      // The name made flat at once: `head + suffix` is a cons string that the first lookup by
      // name flattens into a third string (three strings a pod instead of one).
      codes[k] = CODES[a] ?? 0;
      codes[k + 1] = CODES[b] ?? 0;
      codes[k + 2] = CODES[c] ?? 0;
      codes[k + 3] = CODES[d] ?? 0;
      codes[k + 4] = CODES[e] ?? 0;
      out.push(String.fromCharCode.apply(null, codes));
    }
    return out;
  }

  private usedBy(prefix: string): Set<number> {
    let set = this.used.get(prefix);
    if (set === undefined) this.used.set(prefix, (set = new Set()));
    return set;
  }
}

/** The UTF-16 code units of `s` (Array.from would give code points). */
function codeUnits(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) out.push(s.charCodeAt(i));
  return out;
}

function draw(rng: Rng): number {
  return Math.floor(rng.next() * N);
}

/** The suffix's number when `name` ends in `-` and 5 characters of the alphabet. */
function suffixCode(name: string): number | undefined {
  const n = name.length;
  if (n < TAIL || name.charCodeAt(n - TAIL) !== DASH) return undefined;
  let code = 0;
  for (let i = n - TAIL + 1; i < n; i++) {
    const k = INDEX.get(name.charCodeAt(i));
    if (k === undefined) return undefined;
    code = code * N + k;
  }
  return code;
}
