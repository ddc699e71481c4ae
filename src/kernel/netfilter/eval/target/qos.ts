/**
 * Targets that change a header field or annotate the skb and let the traversal continue:
 * `-j TOS` (xt_DSCP.c tos_tg: `tos = (tos & ~mask) ^ value`), `-j DSCP` (dscp_tg: the six DSCP
 * bits replaced, ECN kept), `-j TCPMSS` (the MSS option of a SYN; netsim's packets carry no TCP
 * options, so the step records what would be written) and `-j CLASSIFY` (skb->priority, which
 * only a qdisc reads: no effect on the path).
 */
import type { Opt } from '../../rule.js';
import { arg, eachOpt, u32 } from '../opts.js';
import { CONTINUE, type CompiledTarget } from './types.js';

/** `-j TOS --set-tos V/M` */
export function tosTarget(opts: readonly Opt[]): CompiledTarget {
  let value = 0;
  let mask = 0xff;
  eachOpt(opts, '-j TOS', {
    '--set-tos': (o) => {
      const [v = '0', m = '0xff'] = arg(o, '-j TOS').split('/');
      value = u32(v, '-j TOS');
      mask = u32(m, '-j TOS');
    },
  });
  return {
    label: 'TOS',
    run: (c) => {
      c.tos = ((c.tos & ~mask) ^ value) & 0xff;
      return CONTINUE;
    },
  };
}

/** `-j DSCP --set-dscp N` */
export function dscpTarget(opts: readonly Opt[]): CompiledTarget {
  let dscp = 0;
  eachOpt(opts, '-j DSCP', { '--set-dscp': (o) => (dscp = u32(arg(o, '-j DSCP'), '-j DSCP')) });
  return {
    label: 'DSCP',
    run: (c) => {
      c.tos = (c.tos & 0x03) | (dscp << 2);
      return CONTINUE;
    },
  };
}

/** `-j TCPMSS` and `-j CLASSIFY`: recorded in the trace, no change netsim's packet can show. */
export function annotateTarget(name: 'TCPMSS' | 'CLASSIFY'): CompiledTarget {
  return { label: name, run: () => CONTINUE };
}
