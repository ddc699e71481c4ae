/**
 * The HookEnv remembers the address types it was last asked (hooks.ts): every answer equals the
 * namespace's `addrType`, whatever the order of questions, with the same address value asked
 * again or an equal one, with or without a device.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cidr } from '../../addr/cidr.js';
import { ip } from '../../addr/ip.js';
import { addrType } from '../addr.js';
import { addDummy, setLinkUp } from '../link/link.js';
import { addRoute } from '../route/table.js';
import { TABLE_LOCAL } from '../route/types.js';
import { silent } from '../events.js';
import { simContext } from '../../sim/context.js';
import { addr, worldWith } from '../../../test/helpers/kernel.js';
import { getNetns } from '../world.js';
import { hookEnv } from './hooks.js';

function world() {
  const w = worldWith('n');
  const ns = getNetns(w, 'n');
  addDummy(ns, 'd1');
  addDummy(ns, 'd2');
  setLinkUp(w, 'n', 'd1');
  setLinkUp(w, 'n', 'd2');
  addr(w, 'n', 'd1', '10.0.0.1/24');
  addr(w, 'n', 'd2', '10.0.1.1/24');
  addr(w, 'n', 'd2', '2001:db8::1/64');
  addRoute(ns, { type: 'local', dst: cidr('10.9.0.0/16'), dev: 'd1', table: TABLE_LOCAL });
  return { w, ns };
}

const TEXTS = ['10.0.0.1', '10.0.1.1', '10.0.0.255', '10.0.0.7', '10.9.3.4', '127.0.0.1', '0.0.0.1', '224.0.0.5', '255.255.255.255', '2001:db8::1', '2001:db8::2', 'ff02::1', '::1'];

describe('hookEnv addrType', () => {
  it('answers as addrType does, for any sequence of questions', () => {
    const { w, ns } = world();
    // A pool of address values: a question may reuse one (the memo's hit) or bring an equal copy.
    const pool = TEXTS.map((t) => ip(t));
    const question = fc.record({ i: fc.nat(TEXTS.length - 1), fresh: fc.boolean(), dev: fc.constantFrom(undefined, 'd1', 'd2', 'lo') });
    fc.assert(
      fc.property(fc.array(question, { minLength: 1, maxLength: 40 }), (qs) => {
        const env = hookEnv({ world: w, ns, ctx: simContext(1), emit: silent }, {});
        for (const q of qs) {
          const a = q.fresh ? ip(TEXTS[q.i]!) : pool[q.i]!;
          expect(env.addrType(a, q.dev)).toBe(addrType(ns, a, q.dev));
        }
      }),
      { numRuns: 300 },
    );
  });
});
