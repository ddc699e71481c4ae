import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBatchLine } from './batch-line.js';

describe('a line of trace --batch', () => {
  it.each([
    ['pod-a service-b', { query: { src: 'pod-a', dst: 'service-b', seed: 1 } }],
    ['  pod-a   10.244.1.2:8080 --protocol udp --no-reply # why', { query: { src: 'pod-a', dst: '10.244.1.2:8080', seed: 1, protocol: 'udp', reply: false } }],
    ['pod-a svc --port=http --seed 7 --all-paths --size 1500 --no-df', { query: { src: 'pod-a', dst: 'svc', seed: 7, port: 'http', allPaths: true, size: 1500, df: false } }],
    ['# only a comment', { empty: true }],
    ['', { empty: true }],
    ['pod-a', { problem: 'want SRC DST, then options' }],
    ['pod-a b c', { problem: 'unexpected word c: a line is SRC DST, then options' }],
    ['pod-a b --port', { problem: '--port needs a value' }],
    ['pod-a b --port 0', { problem: '--port 0 is not a port: ports are 1–65535' }],
    ['pod-a 10.0.0.1:70000', { problem: '10.0.0.1:70000: port 70000 is not a port: ports are 1–65535' }],
    ['pod-a b --protocol icmp --port 80', { problem: '--protocol icmp has no ports: drop --port (and the :PORT of the destination)' }],
    ['pod-a b --protocol gre', { problem: '--protocol must be one of tcp, udp, sctp, icmp, not gre' }],
    ['pod-a b --seed -1', { problem: '--seed must be a whole number from 0 to 4294967295, got -1' }],
    ['pod-a b --size 1.5', { problem: '--size must be a whole number of bytes, got 1.5' }],
    ['pod-a b -o json', { problem: 'unknown option -o (a line takes SRC DST and --port, --protocol, --size, --seed, --all-paths, --no-reply, --no-df)' }],
  ])('%j', (line, want) => {
    expect(parseBatchLine(line, 1)).toEqual(want);
  });

  it('never throws, and gives exactly one of a query, nothing or a problem', () => {
    fc.assert(fc.property(fc.array(fc.oneof(fc.string(), fc.constantFrom('--port', '--seed', '--no-reply', '#', 'a', '80', '--size=3')), { maxLength: 8 }), (words) => {
      const r = parseBatchLine(words.join(' '), 1);
      expect(Object.keys(r)).toHaveLength(1);
    }));
  });
});
