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

/** `rand.SafeEncodeString`: each character of `s` → `SAFE_ALPHANUMS[code % 27]`. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (const ch of s) out += SAFE_ALPHANUMS[(ch.codePointAt(0) ?? 0) % SAFE_ALPHANUMS.length];
  return out;
}
