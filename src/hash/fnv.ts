/**
 * FNV-1a (32 bits) and apimachinery's safe encoding: what the Deployment controller names its
 * ReplicaSets with (kubernetes pkg/controller/controller_utils.go `ComputeHash`: `fnv.New32a()`
 * over the pod template, then `rand.SafeEncodeString(fmt.Sprint(hasher.Sum32()))`).
 */

/** The characters of `rand.String` and `rand.SafeEncodeString` (k8s.io/apimachinery/pkg/util/rand): no vowels, no 0/1/3. */
export const SAFE_ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

const FNV32_OFFSET = 0x811c9dc5;
const FNV32_PRIME = 0x01000193;

/** Go's `hash/fnv` New32a over `bytes`, continuing from `state` (the offset basis by default). */
export function fnv32a(bytes: Uint8Array, state = FNV32_OFFSET): number {
  let h = state >>> 0;
  for (const b of bytes) h = Math.imul(h ^ b, FNV32_PRIME) >>> 0;
  return h;
}

/**
 * {@link fnv32a} over the UTF-8 bytes of `text` (Go's `[]byte(text)`; a lone surrogate is
 * U+FFFD's three bytes, as TextEncoder writes it), encoded on the fly: the bytes of a
 * Deployment's template text were an array allocated per template for nothing else.
 */
export function fnv32aText(text: string, state = FNV32_OFFSET): number {
  let h = state >>> 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      h = Math.imul(h ^ c, FNV32_PRIME) >>> 0;
      continue;
    }
    if (c < 0x800) {
      h = Math.imul(h ^ (0xc0 | (c >> 6)), FNV32_PRIME) >>> 0;
      h = Math.imul(h ^ (0x80 | (c & 63)), FNV32_PRIME) >>> 0;
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < n ? text.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        i++;
        h = Math.imul(h ^ (0xf0 | (c >> 18)), FNV32_PRIME) >>> 0;
        h = Math.imul(h ^ (0x80 | ((c >> 12) & 63)), FNV32_PRIME) >>> 0;
        h = Math.imul(h ^ (0x80 | ((c >> 6) & 63)), FNV32_PRIME) >>> 0;
        h = Math.imul(h ^ (0x80 | (c & 63)), FNV32_PRIME) >>> 0;
        continue;
      }
      c = 0xfffd;
    }
    h = Math.imul(h ^ (0xe0 | (c >> 12)), FNV32_PRIME) >>> 0;
    h = Math.imul(h ^ (0x80 | ((c >> 6) & 63)), FNV32_PRIME) >>> 0;
    h = Math.imul(h ^ (0x80 | (c & 63)), FNV32_PRIME) >>> 0;
  }
  return h;
}

/** `rand.SafeEncodeString`: each character of `s` → `SAFE_ALPHANUMS[code % 27]`. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (const ch of s) out += SAFE_ALPHANUMS[(ch.codePointAt(0) ?? 0) % SAFE_ALPHANUMS.length];
  return out;
}
