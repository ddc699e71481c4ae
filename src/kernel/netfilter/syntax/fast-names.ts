/**
 * What the fast rule reader (fast-rule.ts) asks of a word in place, with no string made: could it
 * name a verdict or target extension, and which option of an extension does it name.
 */
import type { ExtensionDef, OptSpec } from './extension.js';
import type { LineCursor } from './fast-words.js';
import { KNOWN_UNSUPPORTED, TARGETS, VERDICTS } from './registry.js';

/** Names `-j` treats before user chains: verdicts, target extensions, the unmodelled ones. */
const SPECIAL_NAMES = [...VERDICTS, ...TARGETS.keys(), ...KNOWN_UNSUPPORTED];
const SPECIAL_MAX = Math.max(...SPECIAL_NAMES.map((n) => n.length));
const SPECIAL_DASH = SPECIAL_NAMES.some((n) => n.includes('-'));

/** False when the cursor's word is no verdict or extension name (too long, or with a `-` none has). */
export function mayNameExtension(cur: LineCursor): boolean {
  if (cur.to - cur.from > SPECIAL_MAX) return false;
  if (SPECIAL_DASH) return true;
  for (let i = cur.from; i < cur.to; i++) if (cur.text.charCodeAt(i) === 45) return false;
  return true;
}

/** The option of `def` the cursor's word names exactly. */
export function specOf(def: ExtensionDef, cur: LineCursor): OptSpec | undefined {
  // Indexed loops: this runs for every option word of the dump.
  const specs = def.options;
  for (let k = 0; k < specs.length; k++) {
    const spec = specs[k] as OptSpec;
    for (let j = 0; j < spec.names.length; j++) if (cur.is(spec.names[j] as string)) return spec;
  }
  return undefined;
}
