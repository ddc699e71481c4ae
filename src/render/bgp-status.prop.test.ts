/** Properties of calicoctl's view: it reads back what BIRD's rows say, and tablewriter's tables stay rectangular. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIp, ipFromValue } from '../addr/ip.js';
import { session, speakerView } from '../../test/helpers/bgp-views.js';
import { calicoPeerRows } from './bgp-status.js';
import { goTable } from './go-tablewriter.js';

const PREFIX = { Mesh: 'node-to-node mesh', Node: 'node specific', Global: 'global' } as const;

const arbSession = fc.record({
  family: fc.constantFrom(4 as const, 6 as const),
  value: fc.bigInt({ min: 1n, max: (1n << 128n) - 1n }),
  kind: fc.constantFrom('Mesh' as const, 'Node' as const, 'Global' as const),
  state: fc.constantFrom('up' as const, 'start' as const),
  error: fc.constantFrom('', 'Socket: Connection refused', 'BGP Error: Hold timer expired', 'Socket: Host is unreachable'),
  fsmWord: fc.constantFrom('Active', 'Connect', 'Passive', 'Idle', 'OpenSent'),
  since: fc.integer({ min: 0, max: 200_000 }),
});

describe('calicoctl node status, properties', () => {
  it('reads back each session from the show protocols row: address from the name, type, state, info with spacing collapsed', () => {
    fc.assert(
      fc.property(arbSession, (a) => {
        const addr = ipFromValue(a.family, a.value);
        const text = formatIp(addr);
        const protocol = `${a.kind}_${text.replace(/[.:]/g, '_')}`;
        const info = a.state === 'up' ? 'Established' : `${a.fsmWord}${a.error === '' ? '' : ` ${a.error}`}`;
        const view = speakerView('node-1', '192.168.1.11', [session(protocol, text, a.state, a.since, { info })], []);
        const rows = calicoPeerRows({ view, now: 200_000 }, a.family);
        expect(rows).toHaveLength(1);
        const [ip, type, state, , shown] = rows[0] ?? [];
        expect(ip).toBe(text);
        expect(type).toBe(PREFIX[a.kind]);
        expect(state).toBe(a.state);
        expect(shown).toBe(info);
        expect(calicoPeerRows({ view, now: 200_000 }, a.family === 4 ? 6 : 4)).toEqual([]);
      }),
    );
  });

  it("tablewriter's tables are rectangular and keep every word of every cell, in order", () => {
    const word = fc.stringMatching(/^[A-Za-z0-9:.]{1,12}$/);
    const cell = fc.array(word, { minLength: 1, maxLength: 8 }).map((ws) => ws.join(' '));
    fc.assert(
      fc.property(fc.array(fc.tuple(cell, cell, cell), { minLength: 1, maxLength: 6 }), (rows) => {
        const table = goTable(['Peer address', 'Info', 'x'], rows);
        const lines = table.trimEnd().split('\n');
        expect(new Set(lines.map((l) => l.length)).size).toBe(1);
        const body = lines.slice(3, -1).map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));
        for (let col = 0; col < 3; col++) {
          const words = body.map((r) => r[col] ?? '').filter((c) => c !== '').join(' ').split(' ');
          expect(words).toEqual(rows.flatMap((r) => r[col]?.split(' ') ?? []));
        }
      }),
    );
  });
});
