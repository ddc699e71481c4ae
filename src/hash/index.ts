/**
 * Layer `hash`: the digests that Kubernetes components put into names (kube-proxy's chain
 * names, the CNI plugins' chain names, Calico's interface names), from `@noble/hashes`: pure,
 * synchronous and browser-safe, where `node:crypto` is none of these for the core.
 *
 * Imports nothing of netsim; every layer may import it. Input strings are hashed as UTF-8, as Go
 * hashes a `string` converted to `[]byte`.
 */
import { sha1 } from '@noble/hashes/legacy.js';
import { sha224, sha256, sha512 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/** SHA-256 of the UTF-8 bytes of `text` (Go's `sha256.Sum256([]byte(text))`). */
export function sha256Bytes(text: string): Uint8Array {
  return sha256(utf8ToBytes(text));
}

/** SHA-512 of `text`, as 128 lowercase hex digits (Go's `fmt.Sprintf("%x", sha512.Sum512(b))`). */
export function sha512Hex(text: string): string {
  return bytesToHex(sha512(utf8ToBytes(text)));
}

/** SHA-1 of `text`, as 40 lowercase hex digits (Go's `fmt.Sprintf("%x", sha1.Sum(b))`). */
export function sha1Hex(text: string): string {
  return bytesToHex(sha1(utf8ToBytes(text)));
}

/** SHA-224 of raw bytes (Go's `sha256.New224()` fed `bytes`), as Felix chains its rule hashes. */
export function sha224Bytes(bytes: Uint8Array): Uint8Array {
  return sha224(bytes);
}

/** The UTF-8 bytes of `text` (Go's `[]byte(text)`). */
export function utf8Bytes(text: string): Uint8Array {
  return utf8ToBytes(text);
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Go's `base64.RawURLEncoding.EncodeToString(bytes)`: URL-safe alphabet, no padding. */
export function base64RawUrl(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let k = 0; k < chars; k++) out += B64URL[(n >> (18 - 6 * k)) & 63];
  }
  return out;
}
