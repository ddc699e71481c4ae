/** Targets by name, and the built-in verdicts, jumps and gotos. */
import { assertNever, InternalError } from '../../../../diag/diagnostic.js';
import type { TargetSpec } from '../../rule.js';
import { connmarkTarget, markTarget } from './mark.js';
import { notrackTarget, observeTarget, rejectTarget } from './misc.js';
import { masqueradeTarget, natTarget, redirectTarget } from './nat.js';
import { annotateTarget, dscpTarget, tosTarget } from './qos.js';
import { ACCEPT, type CompiledTarget, CONTINUE, DROP } from './types.js';

/** A rule without `-j`: counts and continues. */
export const NO_TARGET: CompiledTarget = { label: 'CONTINUE', run: () => CONTINUE };

function verdict(name: string): CompiledTarget {
  switch (name) {
    case 'ACCEPT':
      return { label: 'ACCEPT', run: () => ACCEPT };
    case 'DROP':
      return { label: 'DROP', run: () => DROP };
    case 'RETURN':
      return { label: 'RETURN', run: () => ({ kind: 'return' }) };
    case 'QUEUE':
      // No userspace queue reader is modelled; without one the kernel drops the packet.
      return { label: 'QUEUE', run: () => DROP };
    default:
      throw new InternalError(`-j ${name}: not a built-in verdict`);
  }
}

function extension(t: TargetSpec): CompiledTarget {
  switch (t.name) {
    case 'DNAT':
    case 'SNAT':
      return natTarget(t.name, t.opts);
    case 'MASQUERADE':
      return masqueradeTarget(t.opts);
    case 'REDIRECT':
      return redirectTarget(t.opts);
    case 'MARK':
      return markTarget(t.opts);
    case 'CONNMARK':
      return connmarkTarget(t.opts);
    case 'REJECT':
      return rejectTarget(t.opts);
    case 'LOG':
      return observeTarget('LOG');
    case 'NFLOG':
      return observeTarget('NFLOG');
    case 'TRACE':
      return observeTarget('TRACE');
    case 'TOS':
      return tosTarget(t.opts);
    case 'DSCP':
      return dscpTarget(t.opts);
    case 'TCPMSS':
    case 'CLASSIFY':
      return annotateTarget(t.name);
    case 'CT':
    case 'NOTRACK':
      return notrackTarget(t.name, t.opts);
    case 'ACCEPT':
    case 'DROP':
    case 'RETURN':
    case 'QUEUE':
      return verdict(t.name);
    default:
      throw new InternalError(`-j ${t.name}: target not supported by the engine`);
  }
}

/** Compiles a rule's target. */
export function compileTarget(t: TargetSpec | undefined): CompiledTarget {
  if (t === undefined) return NO_TARGET;
  switch (t.kind) {
    case 'verdict':
      return verdict(t.name);
    case 'extension':
      return extension(t);
    case 'jump': {
      const out = { kind: 'jump', chain: t.name } as const;
      return { label: `JUMP:${t.name}`, run: () => out };
    }
    case 'goto': {
      const out = { kind: 'goto', chain: t.name } as const;
      return { label: `GOTO:${t.name}`, run: () => out };
    }
    default:
      return assertNever(t.kind, 'target kind');
  }
}
