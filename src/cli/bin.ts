#!/usr/bin/env node
/**
 * The entry of the bundled `netsim` (dist/cli/netsim.js). Under NETSIM_DEBUG, internal errors
 * print their stack (run.ts): source maps are switched on first, so its frames name src/ files
 * and lines rather than the bundle's. Node reads the maps of modules loaded after that switch,
 * so the CLI itself is imported dynamically; without NETSIM_DEBUG no map is ever read.
 */
if (process.env['NETSIM_DEBUG'] !== undefined) process.setSourceMapsEnabled(true);
await import('./main.js');
