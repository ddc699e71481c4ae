/**
 * Reading and writing user files with one-line located errors instead of Node exceptions:
 * `FILE_UNREADABLE`, `FILE_NOT_UTF8` and `FILE_UNWRITABLE` (docs/errors.md).
 */
import { type Diagnostic, error } from '../diag/diagnostic.js';
import type { CliIo } from './io.js';

/** Why a file cannot be read, by Node's error code. */
const READ_REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'is a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ELOOP: 'too many levels of symbolic links',
  ENOTDIR: 'a part of the path is not a directory',
};

/** Why a file cannot be written, by Node's error code. */
const WRITE_REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'the folder does not exist',
  EISDIR: 'is a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a part of the path is not a directory',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
};

/** The Node error code of a thrown value (`ENOENT`, …), if any. */
export function errnoCode(e: unknown): string | undefined {
  const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/** A file's text, or why it cannot be had (with Node's error code when there was one). */
export type ReadResult = { readonly text: string } | { readonly diagnostic: Diagnostic; readonly errno: string | undefined };

/**
 * Reads a file as UTF-8 text, or returns `FILE_UNREADABLE` (naming the reason) or
 * `FILE_NOT_UTF8` (at the first byte that is not UTF-8). `hint` is added to the reason, for
 * example to say that an entry of a folder is a dangling symbolic link.
 */
export function readUserFile(io: CliIo, path: string, hint?: (code: string | undefined) => string | undefined): ReadResult {
  let data: string | Uint8Array;
  try {
    data = io.readFile(path);
  } catch (e) {
    const code = errnoCode(e);
    const why = (code === undefined ? undefined : READ_REASONS[code]) ?? 'cannot be read';
    const more = hint?.(code);
    return { diagnostic: error('FILE_UNREADABLE', `${path}: ${why}${more === undefined ? '' : ` (${more})`}`), errno: code };
  }
  if (typeof data === 'string') return { text: data };
  const decoded = decodeUtf8(path, data);
  return 'text' in decoded ? decoded : { ...decoded, errno: undefined };
}

/** The name diagnostics give standard input. */
export const STDIN_NAME = '<stdin>';

/**
 * Reads a file argument, where `-` means standard input (as `iptables-restore` and `ipset
 * restore` read it): the text and the name to use in diagnostics.
 */
export function readUserInput(io: CliIo, path: string): { readonly text: string; readonly name: string } | { readonly diagnostic: Diagnostic } {
  if (path !== '-') {
    const r = readUserFile(io, path);
    return 'text' in r ? { text: r.text, name: path } : r;
  }
  if (io.readStdin === undefined) return { diagnostic: error('FILE_UNREADABLE', `${STDIN_NAME}: there is no standard input here`) };
  let data: string | Uint8Array;
  try {
    data = io.readStdin();
  } catch (e) {
    return { diagnostic: error('FILE_UNREADABLE', `${STDIN_NAME}: cannot be read (${errnoCode(e) ?? 'unknown error'})`) };
  }
  if (typeof data === 'string') return { text: data, name: STDIN_NAME };
  const decoded = decodeUtf8(STDIN_NAME, data);
  return 'text' in decoded ? { text: decoded.text, name: STDIN_NAME } : decoded;
}

/** Writes `data` to `path` through the io (atomically there), or returns `FILE_UNWRITABLE`. */
export function writeUserFile(io: CliIo, path: string, data: string | Uint8Array): Diagnostic | undefined {
  if (io.writeFile === undefined) return error('FILE_UNWRITABLE', `${path}: cannot write files here`);
  try {
    io.writeFile(path, data);
    return undefined;
  } catch (e) {
    const code = errnoCode(e);
    return error('FILE_UNWRITABLE', `${path}: ${(code === undefined ? undefined : WRITE_REASONS[code]) ?? 'cannot be written'}`);
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes UTF-8 strictly (a leading BOM is dropped); on failure, locates the first bad byte. */
export function decodeUtf8(path: string, bytes: Uint8Array): { text: string } | { diagnostic: Diagnostic } {
  try {
    return { text: UTF8.decode(bytes) };
  } catch {
    const bad = firstInvalidUtf8(bytes);
    const lineStart = bad === 0 ? 0 : bytes.lastIndexOf(0x0a, bad - 1) + 1;
    let line = 1;
    for (let i = bytes.indexOf(0x0a); i >= 0 && i < bad; i = bytes.indexOf(0x0a, i + 1)) line++;
    const col = new TextDecoder('utf-8').decode(bytes.subarray(lineStart, bad)).length + 1;
    const hex = (bytes[bad] ?? 0).toString(16).toUpperCase().padStart(2, '0');
    return { diagnostic: error('FILE_NOT_UTF8', `byte 0x${hex} is not UTF-8: scenario and rules files must be UTF-8 text`, { file: path, line, col }) };
  }
}

/**
 * The offset of the first byte that does not belong to a well-formed UTF-8 sequence (RFC 3629:
 * no overlong forms, no surrogates, nothing past U+10FFFF), or the length when all are.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    const [len, lo, hi] = b < 0x80 ? [1, 0, 0] : b >= 0xc2 && b <= 0xdf ? [2, 0x80, 0xbf] : b === 0xe0 ? [3, 0xa0, 0xbf] : b === 0xed ? [3, 0x80, 0x9f] : b >= 0xe1 && b <= 0xef ? [3, 0x80, 0xbf] : b === 0xf0 ? [4, 0x90, 0xbf] : b === 0xf4 ? [4, 0x80, 0x8f] : b >= 0xf1 && b <= 0xf3 ? [4, 0x80, 0xbf] : [0, 0, 0];
    if (len === 0) return i;
    for (let k = 1; k < len; k++) {
      const c = bytes[i + k];
      // The second byte has a narrower range for some lead bytes; the others are 80–BF.
      const [min, max] = k === 1 ? [lo, hi] : [0x80, 0xbf];
      if (c === undefined || c < min || c > max) return i;
    }
    i += len;
  }
  return i;
}
