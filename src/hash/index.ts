/**
 * Layer `hash`: the digests that Kubernetes components put into names (kube-proxy's chain
 * names, the CNI plugins' chain names, Calico's interface names), from `@noble/hashes`: pure,
 * synchronous and browser-safe, where `node:crypto` is none of these for the core.
 * SHA-512 of ASCII text, which every CNI ADD asks for, is sha512.ts's, which allocates nothing;
 * SHA-256, which kube-proxy asks for per endpoint, is sha256.ts's, in one call.
 *
 * Imports nothing of netsim; every layer may import it. Input strings are hashed as UTF-8, as Go
 * hashes a `string` converted to `[]byte`.
 */
import { sha1 } from '@noble/hashes/legacy.js';
import { sha224, sha512 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { sha256Once } from './sha256.js';
import { isAscii, sha512AsciiFirstWord, sha512AsciiHex } from './sha512.js';

/**
 * The UTF-8 bytes of `text`: an ASCII string (every name netsim hashes in practice) copied code
 * unit by code unit, anything else through `utf8ToBytes` (TextEncoder). The encoder's call cost
 * was half of hashing a veth name.
 */
function encode(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) return utf8ToBytes(text);
    out[i] = c;
  }
  return out;
}

/**
 * SHA-256 of the UTF-8 bytes of `text` (Go's `sha256.Sum256([]byte(text))`), through the one-call
 * sha256.ts (kube-proxy names a chain per endpoint with it; noble's is checked against it).
 */
export function sha256Bytes(text: string): Uint8Array {
  return sha256Once(encode(text));
}

/** SHA-512 of `text`, as 128 lowercase hex digits (Go's `fmt.Sprintf("%x", sha512.Sum512(b))`). */
export function sha512Hex(text: string): string {
  if (isAscii(text)) return sha512AsciiHex(text);
  return bytesToHex(sha512(encode(text)));
}

/** The first `digits` lowercase hex digits of SHA-512 of `text` (`sha512Hex(text).slice(0, digits)`, without the other 120-odd). */
export function sha512HexPrefix(text: string, digits: number): string {
  if (digits <= 128 && isAscii(text)) return sha512AsciiHex(text, digits);
  // Non-ASCII names are rare: the whole digest, cut.
  return sha512Hex(text).slice(0, digits);
}

/**
 * The first 8 hex digits of SHA-512 of `a + b + c` (`sha512HexPrefix(a + b + c, 8)`), the
 * parts hashed as they are and the digits made one string (every pod's veth name asks).
 */
export function sha512Hex8(a: string, b: string, c: string): string {
  const w = sha512AsciiFirstWord(a, b, c);
  if (w === undefined) return sha512HexPrefix(a + b + c, 8);
  const d = HEX_DIGIT;
  return String.fromCharCode(d[w >>> 28]!, d[(w >>> 24) & 15]!, d[(w >>> 20) & 15]!, d[(w >>> 16) & 15]!, d[(w >>> 12) & 15]!, d[(w >>> 8) & 15]!, d[(w >>> 4) & 15]!, d[w & 15]!);
}

/** The character codes of the lowercase hex digits. */
const HEX_DIGIT = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

/** SHA-1 of `text`, as 40 lowercase hex digits (Go's `fmt.Sprintf("%x", sha1.Sum(b))`). */
export function sha1Hex(text: string): string {
  return bytesToHex(sha1(encode(text)));
}

/** SHA-224 of raw bytes (Go's `sha256.New224()` fed `bytes`), as Felix chains its rule hashes. */
export function sha224Bytes(bytes: Uint8Array): Uint8Array {
  return sha224(bytes);
}

/** The UTF-8 bytes of `text` (Go's `[]byte(text)`). */
export function utf8Bytes(text: string): Uint8Array {
  return encode(text);
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

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * The first `chars` characters of {@link base32Std}(bytes) (at most the unpadded length), without
 * encoding the rest: kube-proxy keeps 16 of a digest's 56.
 */
export function base32StdPrefix(bytes: Uint8Array, chars: number): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (let i = 0; i < bytes.length && out.length < chars; i++) {
    buffer = (buffer << 8) | (bytes[i] as number);
    bits += 8;
    while (bits >= 5 && out.length < chars) {
      out += BASE32_ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0 && out.length < chars) out += BASE32_ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/** RFC 4648 base32 (standard alphabet, `=` padding), as Go's base32.StdEncoding (kube-proxy's and kube-router's chain names). */
export function base32Std(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32_ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32_ALPHABET[(buffer << (5 - bits)) & 31];
  while (out.length % 8 !== 0) out += '=';
  return out;
}
export { SAFE_ALPHANUMS, fnv32a, fnv32aText, safeEncodeString } from './fnv.js';
