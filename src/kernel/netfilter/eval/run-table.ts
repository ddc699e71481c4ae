/** One iptables table at one hook: build the context, traverse, take back the effects. */
import { outerIp } from '../../../packet/packet.js';
import type { Hook, TableName } from '../../events.js';
import type { HookEnv } from '../api.js';
import { formatTuple, tupleOf } from '../conntrack/tuple.js';
import { findTable, type NetfilterState } from '../state.js';
import { check, type TableVerdict } from './check.js';
import { absorb, evalCtx, type Flight } from './flight.js';

/**
 * Runs `table` at `hook` when the namespace has it (undefined otherwise: no table, no hook).
 * A NOTRACK in the raw table leaves the packet untracked for conntrack and NAT.
 */
export function runTable(state: NetfilterState, hook: Hook, table: TableName, f: Flight, env: HookEnv): TableVerdict | undefined {
  const t = findTable(state, outerIp(f.packet).family, table);
  if (t === undefined) return undefined;
  const c = evalCtx(state, hook, table, f, env);
  const wasTracked = f.ct.kind !== 'invalid';
  const v = check(t, c);
  absorb(state, f, c);
  if (!wasTracked && f.ct.kind === 'untracked') {
    env.emit({ kind: 'conntrack', ns: env.ns, action: 'untracked', entry: formatTuple(tupleOf(f.packet)) });
  }
  return v;
}
