/**
 * A rule while its words are being read: everything as written, nothing canonical yet.
 * `parse-rule.ts` fills it word by word; `finish-rule.ts` turns it into canonical {@link Rule}s.
 */
import type { Opt } from '../rule.js';
import type { ExtensionDef } from './extension.js';

/** A base option value as written, with its `!`. */
export interface RawValue {
  readonly text: string;
  readonly neg: boolean;
}

/** A match being collected: its definition and options in the order given. */
export interface DraftMatch {
  readonly def: ExtensionDef;
  /** Replaced by a longer copy for each option (see parse-rule.ts `append`). */
  opts: readonly Opt[];
}

/** The target being collected. `def` is set for extension targets. */
export interface DraftTarget {
  readonly kind: 'verdict' | 'extension' | 'jump' | 'goto';
  readonly name: string;
  readonly def?: ExtensionDef;
  opts: readonly Opt[];
}

/** Everything one `-A …` line said. */
export interface Draft {
  chain?: string;
  src?: RawValue;
  dst?: RawValue;
  inIface?: RawValue;
  outIface?: RawValue;
  proto?: RawValue;
  fragment?: { readonly neg: boolean };
  counters?: { readonly packets: bigint; readonly bytes: bigint };
  readonly matches: DraftMatch[];
  target?: DraftTarget;
}
