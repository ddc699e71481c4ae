import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

/** Each is refused before any work, with exit 2 and a message that names the problem. */
const REFUSED: readonly (readonly [string, readonly string[], RegExp])[] = [
  ['--port 65536', ['trace', 'pod-a', 'service-b', '--port', '65536'], /--port 65536 is not a port: ports are 1–65535/],
  ['--port 0', ['trace', 'pod-a', 'pod-b', '--port', '0'], /--port 0 is not a port/],
  ['--port with a bad name', ['trace', 'pod-a', 'service-b', '--port', 'HTTP_1'], /neither a port number .* nor a port name/],
  ['IP:0', ['trace', 'pod-a', '10.244.1.2:0'], /10\.244\.1\.2:0: port 0 is not a port/],
  ['IP:70000', ['trace', 'pod-a', '10.244.1.2:70000'], /port 70000 is not a port/],
  ['[IPv6]:0', ['trace', 'pod-a', '[fd00::1]:0'], /port 0 is not a port/],
  ['--seed abc', ['trace', 'pod-a', 'service-b', '--seed', 'abc'], /--seed must be a whole number from 0 to 4294967295, got NaN/],
  ['--seed 1.5', ['trace', 'pod-a', 'service-b', '--seed', '1.5'], /--seed must be a whole number/],
  ['--protocol icmp --port 80', ['trace', 'pod-a', 'pod-b', '--protocol', 'icmp', '--port', '80'], /--protocol icmp has no ports/],
  ['--protocol icmp to IP:PORT', ['trace', 'pod-a', '10.244.1.2:80', '--protocol', 'icmp'], /--protocol icmp has no ports/],
  ['-o json -o text', ['trace', 'pod-a', 'service-b', '-o', 'json', '-o', 'text'], /--output was given 2 times \(json, text\); give it once/],
  ['--port twice on trace', ['trace', 'pod-a', 'service-b', '--port', '80', '--port', '81'], /--port was given 2 times/],
  ['diagram --port 0', ['diagram', '--trace', 'pod-a', 'service-b', '--port', '0'], /--port 0 is not a port/],
  ['diagram --seed x', ['diagram', '--seed', 'x'], /--seed must be a whole number/],
  ['diagram --trace to IP:0', ['diagram', '--trace', 'pod-a', '10.244.1.2:0'], /port 0 is not a port/],
  ['iptables --in of 20 characters', ['iptables', 'trace', '--rules', 'r', '--src', '10.0.0.1', '--dst', '10.0.0.2', '--in', 'a'.repeat(20)], /--in: interface name "a{20}" is 20 bytes long; Linux allows at most 15/],
  ['iptables --out with a slash', ['iptables', 'trace', '--rules', 'r', '--src', '10.0.0.1', '--dst', '10.0.0.2', '--out', 'eth/0'], /--out: interface name "eth\/0" contains "\/", ":" or whitespace/],
  ['iptables --proto icmp --dport 80', ['iptables', 'trace', '--rules', 'r', '--src', '10.0.0.1', '--dst', '10.0.0.2', '--proto', 'icmp', '--dport', '80'], /--dport 80: ICMP has no ports/],
];

describe('command-line values netsim refuses', () => {
  it.each(REFUSED)('%s', async (_what, argv, message) => {
    const r = await cli(argv, { r: '*filter\nCOMMIT\n' });
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('still takes ports 1 and 65535, a port name and a seed of 0', async () => {
    for (const argv of [['--port', '1'], ['--port', '65535'], ['--port', 'http'], ['--seed', '0']]) {
      const r = await cli(['trace', 'pod-a', 'pod-b', '--no-reply', ...argv]);
      expect(r.stderr, argv.join(' ')).not.toMatch(/is not a port|--seed/);
    }
    expect((await cli(['trace', 'pod-a', '10.244.1.2:8080', '--no-reply'])).code).toBe(0);
  });

  it('--view and --trace still take several words', async () => {
    expect((await cli(['diagram', '--view', 'node', 'node-1', '--format', 'dot'])).code).toBe(0);
  });
});

describe('COLUMNS', () => {
  // The help width is COLUMNS clamped to 40–100, and 100 when COLUMNS is not a positive whole number.
  it.each([['-5', '100'], ['0', '100'], ['abc', '100'], ['3', '40']])('COLUMNS=%s keeps help readable: laid out at %s columns', async (columns, width) => {
    const r = await cli(['trace', '--help'], {}, { COLUMNS: columns });
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n').filter((l) => l.trim() !== '');
    expect(lines.filter((l) => l.trim().length <= 2)).toEqual([]);
    expect(r.stdout).toBe((await cli(['trace', '--help'], {}, { COLUMNS: width })).stdout);
  });
});
