/**
 * Targets that only observe or tag: `-j LOG` and `-j TRACE` (continue; netsim emits the rule
 * event, not a kernel log line), `-j CT --notrack` / `-j NOTRACK` (raw table: the packet stays
 * untracked, so conntrack and NAT skip it) and `-j REJECT [--reject-with TYPE]`.
 */
import { InternalError } from '../../../../diag/diagnostic.js';
import type { Opt } from '../../rule.js';
import { arg, eachOpt } from '../opts.js';
import { type CompiledTarget, CONTINUE } from './types.js';

/**
 * `-j LOG …`, `-j TRACE`, `-j NFLOG …`: the options only shape the log line. The verdict is
 * named after the target, as the kernel's trace (`xtables-monitor --trace`) names it.
 */
export function observeTarget(label: 'LOG' | 'NFLOG' | 'TRACE'): CompiledTarget {
  return { label, run: () => CONTINUE };
}

/** `-j CT --notrack`, `-j NOTRACK`. Other CT options (zones, helpers) are not modelled. */
export function notrackTarget(name: string, opts: readonly Opt[]): CompiledTarget {
  const where = `-j ${name}`;
  eachOpt(opts, where, { '--notrack': () => undefined });
  if (name === 'CT' && !opts.some((o) => o.name === '--notrack')) throw new InternalError(`${where}: only --notrack is supported`);
  return {
    label: 'NOTRACK',
    run: (c) => {
      c.notrack = true;
      // The kernel attaches the untracked state at once: later raw rules see UNTRACKED.
      if (c.ct.kind === 'invalid') c.ct = { kind: 'untracked' };
      return CONTINUE;
    },
  };
}

/** `-j REJECT` (`icmp-port-unreachable` by default, as iptables-save prints it). */
export function rejectTarget(opts: readonly Opt[]): CompiledTarget {
  const where = '-j REJECT';
  let type = 'icmp-port-unreachable';
  eachOpt(opts, where, { '--reject-with': (o) => (type = arg(o, where)) });
  const outcome = { kind: 'reject', with: type } as const;
  return { label: 'REJECT', run: () => outcome };
}
