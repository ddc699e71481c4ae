/**
 * The batch line parser's fast path (flow-line-fast.ts) against the full one (yargs-parser and
 * every check): on random lines and command defaults, parseFlowLine gives exactly what the full
 * parser gives — the same flow, or the same diagnostic at the same column.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fastFlowLine } from './flow-line-fast.js';
import { type FlowDefaults, fullFlowLine, lineWords, parseFlowLine } from './flow-line.js';
import { FLOW_OPTIONS, FLOW_OPTION_NAMES } from './trace-flow-options.js';

const TABLE: FlowDefaults = Object.fromEntries(FLOW_OPTION_NAMES.flatMap((n) => ('default' in FLOW_OPTIONS[n] ? [[n, FLOW_OPTIONS[n].default]] : [])));
const AT = { file: 'flows.txt', line: 7 };

const WORDS = ['pod-a', 'default/pod-b', 'svc-1', 'web.shop.svc.cluster.local', '10.0.0.1', '10.0.0.1:80', '10.0.0.1:0', '[fd00::1]:443', 'http', 'dns', '80', '080', '0', '65535', '65536', '1e3', '-1', 'true', 'false', 'tcp', 'udp', 'sctp', 'icmp', 'TCP', 'a=b', '__proto__', 'constructor', '#c', '--', '-p', '--port', '--port', '--protocol', '--protocol', '--port=80', '--protocol=udp', '--seed', '--no-reply', '--reply', '--dns', '--no-dns', '--size', '--family', '--all-paths', '--allPaths', '--df', '--bogus'];
const word = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...WORDS) }, { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 6 }).filter((s) => !/\s/.test(s)) });
/** Mostly the fast path's shapes (SRC DST, then --port/--protocol pairs), sometimes anything. */
const line = fc.oneof(
  fc.tuple(word, word, fc.array(fc.tuple(fc.constantFrom('--port', '--protocol', '--seed', '--port'), word), { maxLength: 3 })).map(([s, d, opts]) => [s, d, ...opts.flat()].join(' ')),
  fc.tuple(fc.array(word, { maxLength: 7 }), fc.constantFrom(' ', '  ', '\t')).map(([ws, sep]) => ws.join(sep)),
);
const defaults = fc.constantFrom<FlowDefaults>({}, { port: '8080' }, { port: 'http' }, { protocol: 'udp' }, { protocol: 'icmp' }, { reply: false }, { seed: 3 }, { seed: 2.5 }, { dns: true }, { dns: false }, { family: 6 }, { 'all-paths': true }, { size: 100 }, { df: false, port: '53', protocol: 'udp' });

describe('flow-line-fast', () => {
  it('gives what the full parser gives, on random lines and command defaults', () => {
    let fast = 0;
    fc.assert(
      fc.property(line, defaults, (text, d) => {
        const words = lineWords(text);
        fc.pre(words.length > 0);
        const all = { ...TABLE, ...d };
        if (fastFlowLine(words, all) !== undefined) fast++;
        expect(parseFlowLine(text, AT, d)).toStrictEqual(fullFlowLine(words, AT, all));
      }),
      { numRuns: 3000 },
    );
    // The property must have met the fast path, not only the fallback.
    expect(fast).toBeGreaterThan(100);
  });

  it('takes the common shapes', () => {
    for (const text of ['pod-1 svc-2', 'pod-1 svc-2 --port 80', 'pod-1 svc-2 --protocol udp --port dns', 'a b --port 80 --protocol tcp']) {
      expect(fastFlowLine(lineWords(text), TABLE), text).toBeDefined();
    }
  });
});
