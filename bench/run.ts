/**
 * `npm run bench`: speed and memory figures, printed as a Markdown table to paste into
 * docs/performance.md. Never part of `npm test`: timings depend on the machine.
 */
import { benchIptables } from './iptables.js';
import { table } from './measure.js';
import { benchRoutes } from './route.js';

const rows = [...benchRoutes(), ...benchIptables()];
const heapMb = process.memoryUsage().rss / 2 ** 20;
rows.push({ name: 'peak resident memory of the benchmark process', value: heapMb, unit: 'MiB' });
process.stdout.write(`${table(rows)}\n`);
