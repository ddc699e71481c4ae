/**
 * The names the workload controllers give: a Deployment's ReplicaSet `<deployment>-<hash>`
 * (pkg/controller/deployment/sync.go `getNewReplicaSet`, the hash from
 * pkg/controller/controller_utils.go `ComputeHash`), a ReplicaSet's or DaemonSet's pods
 * `<owner>-<5 characters>` (the API server's generateName: `rand.String(5)`), a StatefulSet's
 * pods `<name>-<ordinal>` (pkg/controller/statefulset/stateful_set_utils.go `getPodName`).
 *
 * Upstream the 5 characters are random. netsim draws them from a generator seeded with the
 * owner's `namespace/name` (FNV-1a), so a pod keeps its name when other workloads are added
 * or the trace seed changes, and the same scenario always gives the same names.
 */
import { SAFE_ALPHANUMS, fnv32a, fnv32aText, safeEncodeString } from '../../hash/index.js';
import { type Rng, seededRng } from '../../sim/context.js';

/** How many random characters generateName appends (apiserver's `randomLength`). */
export const GENERATED_SUFFIX_LENGTH = 5;

/** The label the Deployment controller adds to its ReplicaSet's selector, template and pods. */
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

/**
 * `ComputeHash`: FNV-1a 32 over the pod template, `collisionCount` appended as 8 little-endian
 * bytes when set, the decimal sum encoded by `SafeEncodeString` (so only `4-9`, `b`, `c`, `d`,
 * `f` appear). Upstream hashes spew's dump of the defaulted Go struct; netsim hashes the
 * template's canonical text (templateText), so the names have upstream's form but not its values.
 */
export function computeHash(templateText: string, collisionCount?: number): string {
  let h = fnv32aText(templateText);
  if (collisionCount !== undefined) {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(bytes, h);
  }
  return safeEncodeString(String(h));
}

/**
 * A value's canonical text: JSON with every mapping's keys sorted (what the template hash is
 * taken over). Written straight from the value, in the order `JSON.stringify` of a copy with
 * sorted keys gives ({@link templateTextByCopy}, which workload-names.test.ts holds it equal
 * to): a copy of every mapping of 10,000 templates was most of the hash's time.
 */
export function templateText(value: unknown): string {
  const out: string[] = [];
  return writeCanonical(value, { add: (piece) => void out.push(piece) }) ? out.join('') : templateTextByCopy(value);
}

/**
 * `computeHash(templateText(value))`, the text hashed piece by piece as it is written instead
 * of kept and joined (10,000 Deployments' templates in large.yaml: the pieces, their array and
 * the quoted strings were a tenth of what reading them allocated). FNV-1a runs through its
 * input in order, and no piece ends inside a surrogate pair (strings are written whole), so the
 * pieces hash as their join does; workload-names.test.ts holds the two equal.
 */
export function templateHash(value: unknown): string {
  const sink = new HashSink();
  if (!writeCanonical(value, sink)) return computeHash(templateTextByCopy(value));
  return safeEncodeString(String(sink.h));
}

/** Where the canonical text goes, piece by piece. */
interface Sink {
  add(piece: string): void;
}

/** FNV-1a's offset basis (the state after hashing nothing) and prime. */
const FNV_OFFSET = fnv32aText('');
const FNV_PRIME = 0x01000193;
const QUOTE = 34;

class HashSink implements Sink {
  h = FNV_OFFSET;
  add(piece: string): void {
    this.h = fnv32aText(piece, this.h);
  }
  /** `"s"`, its quotes hashed as their byte: the quoted string is never made. */
  quoted(s: string): void {
    let h = Math.imul(this.h ^ QUOTE, FNV_PRIME) >>> 0;
    h = fnv32aText(s, h);
    this.h = Math.imul(h ^ QUOTE, FNV_PRIME) >>> 0;
  }
}

/** The reference for {@link templateText}: a sorted copy given to `JSON.stringify`. */
export function templateTextByCopy(value: unknown): string {
  return JSON.stringify(sortedKeys(value));
}

function sortedKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedKeys);
  if (v === null || typeof v !== 'object' || v instanceof Date) return v;
  const o = v as Record<string, unknown>;
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, sortedKeys(o[k])]));
}

/**
 * True when JSON.stringify writes an escape in `s`: `"`, `\\`, controls, or a surrogate (a
 * lone one is escaped; for a pair, JSON.stringify is asked all the same). A loop, not a regex:
 * every key and string of 10,000 templates is tested.
 */
function needsEscape(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === QUOTE || c === 92 || (c >= 0xd800 && c <= 0xdfff)) return true;
  }
  return false;
}

/** `JSON.stringify(s)`, quoted by hand when nothing in it is escaped (names and images are plain): no quoted copy is made. */
function writeString(s: string, out: Sink): void {
  if (needsEscape(s)) out.add(JSON.stringify(s));
  else if (out instanceof HashSink) out.quoted(s);
  else {
    out.add('"');
    out.add(s);
    out.add('"');
  }
}

/** An array index as a property key (which an object lists first, in numeric order). */
const INDEX_KEY = /^(?:0|[1-9][0-9]{0,9})$/;
/** Only a key starting with a digit is tried with the pattern. */
const isIndexKey = (k: string): boolean => {
  const c = k.charCodeAt(0);
  return c >= 48 && c <= 57 && INDEX_KEY.test(k) && Number(k) < 4294967295;
};

const INSERTION_MAX = 16;

/**
 * Sorts `keys` from `from` on, in place, as `Array.prototype.sort` without a comparator orders
 * strings (by UTF-16 code units, which `<` compares): a template's mappings have a handful of
 * keys, and `slice().sort()` allocated a copy and the sort's work array for each of them.
 * Past {@link INSERTION_MAX} keys (a hostile template) the built-in sort does it.
 */
function sortFrom(keys: string[], from: number): void {
  if (keys.length - from > INSERTION_MAX) {
    const sorted = keys.slice(from).sort();
    for (let i = 0; i < sorted.length; i++) keys[from + i] = sorted[i] ?? '';
    return;
  }
  for (let i = from + 1; i < keys.length; i++) {
    const k = keys[i] ?? '';
    let j = i - 1;
    while (j >= from && (keys[j] ?? '') > k) {
      keys[j + 1] = keys[j] ?? '';
      j--;
    }
    keys[j + 1] = k;
  }
}

/**
 * Writes `v`'s canonical JSON to `out`; false for anything but plain data (strings, finite
 * and other numbers, booleans, null, arrays, plain objects), which the copy then writes.
 */
function writeCanonical(v: unknown, out: Sink): boolean {
  if (typeof v === 'string') {
    writeString(v, out);
    return true;
  }
  if (v === null || typeof v === 'number' || typeof v === 'boolean') {
    out.add(JSON.stringify(v));
    return true;
  }
  if (typeof v !== 'object') return false;
  if (Array.isArray(v)) {
    out.add('[');
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out.add(',');
      const item: unknown = v[i];
      if (item === undefined) out.add('null');
      else if (!writeCanonical(item, out)) return false;
    }
    out.add(']');
    return true;
  }
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return false;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  // Object.keys lists index keys first, in numeric order; a copy keeps them there and puts the others in sorted order.
  let n = 0;
  while (n < keys.length && isIndexKey(keys[n] ?? '')) n++;
  sortFrom(keys, n);
  out.add('{');
  let first = true;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] ?? '';
    const item = o[k];
    if (item === undefined) continue;
    if (!first) out.add(',');
    first = false;
    writeString(k, out);
    out.add(':');
    if (!writeCanonical(item, out)) return false;
  }
  out.add('}');
  return true;
}

/** `rand.String(n)`: n characters of the safe alphabet, from `rng`. */
export function randomString(rng: Rng, n = GENERATED_SUFFIX_LENGTH): string {
  if (n === GENERATED_SUFFIX_LENGTH) return randomSuffix(rng);
  let out = '';
  for (let i = 0; i < n; i++) out += SAFE_ALPHANUMS[Math.floor(rng.next() * SAFE_ALPHANUMS.length)];
  return out;
}

const SAFE_CODES = Array.from(SAFE_ALPHANUMS, (c) => c.charCodeAt(0));
const safeCode = (rng: Rng): number => SAFE_CODES[Math.floor(rng.next() * SAFE_CODES.length)] ?? 0;

/** {@link randomString} of 5: one string made at once, not five concatenations (150,000 pod names in large.yaml). */
function randomSuffix(rng: Rng): string {
  // Arguments are evaluated left to right: the draws come in the order of the loop above.
  return String.fromCharCode(safeCode(rng), safeCode(rng), safeCode(rng), safeCode(rng), safeCode(rng));
}

/** The generator of an owner's pod names: seeded with FNV-1a of `namespace/name`. */
export function ownerRng(namespace: string, name: string): Rng {
  return seededRng(fnv32aText(`${namespace}/${name}`));
}

/** The names already used in a namespace. */
export interface TakenNames {
  has(name: string): boolean;
  add(name: string): void;
}

/** `<prefix>-<5 characters>` names not in `taken` (a clash is drawn again, as the controller retries on AlreadyExists). */
export function generatedNames(prefix: string, count: number, rng: Rng, taken: TakenNames): string[] {
  const out: string[] = [];
  const head = `${prefix}-`;
  while (out.length < count) {
    const name = head + randomSuffix(rng);
    if (taken.has(name)) continue;
    taken.add(name);
    out.push(name);
  }
  return out;
}
