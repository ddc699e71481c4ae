/** Reading user files with clear errors instead of Node exceptions. */
import { type Diagnostic, error } from '../diag/diagnostic.js';
import type { CliIo } from './io.js';

/** Reads a file, or returns a `FILE_UNREADABLE` diagnostic naming the reason. */
export function readUserFile(io: CliIo, path: string): { text: string } | { diagnostic: Diagnostic } {
  try {
    return { text: io.readFile(path) };
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : 'cannot be read';
    return { diagnostic: error('FILE_UNREADABLE', `${path}: ${why}`) };
  }
}
