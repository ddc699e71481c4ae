// Builds the playground (web/) into dist/web/: one ES module bundle of the core, CodeMirror and
// Graphviz-wasm, plus the page and its stylesheet. Plain static files: `netsim serve` serves
// them, and any static host (GitHub Pages) can. The bundle's size is printed for
// docs/performance.md.
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { build } from 'esbuild';

const out = new URL('../dist/web/', import.meta.url);
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [new URL('../web/main.ts', import.meta.url).pathname],
  outfile: new URL('app.js', out).pathname,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  legalComments: 'linked',
  loader: { '.yaml': 'text' },
  logLevel: 'warning',
});
for (const f of ['index.html', 'style.css']) copyFileSync(new URL(`../web/${f}`, import.meta.url), new URL(f, out));
const kib = (f) => `${(statSync(new URL(f, out)).size / 1024).toFixed(0)} KiB`;
console.log(`dist/web: app.js ${kib('app.js')}, index.html ${kib('index.html')}, style.css ${kib('style.css')}`);
