// Makes the bundled CLI executable, so `npx netsim` works right after `npm install`.
import { chmodSync, existsSync } from 'node:fs';

const bin = new URL('../dist/cli/netsim.js', import.meta.url);
if (existsSync(bin)) chmodSync(bin, 0o755);
