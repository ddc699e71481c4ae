// Bundles the CLI into dist/cli/ with esbuild: `netsim.js` (package.json's bin), the worker of
// `trace --batch --jobs N` (`batch-worker.js`) and the chunks they share. Why a bundler: Node
// loads an ES module graph file by file (resolve, realpath, read, compile each of ~570 files),
// and that alone cost about half a second of CPU on every start, `netsim --version` included;
// one graph in a few files costs a small fraction of it. Code only some commands need (Graphviz's
// wasm) sits behind a dynamic import and becomes a chunk of its own, read when first used.
//
// All files land in one folder, so every `new URL(…, import.meta.url)` in src/cli resolves the
// same from any chunk: `./batch-worker.js` and `../web/` (the playground, dist/web/).
// `node scripts/build-cli.mjs [DIR]` writes to DIR instead (test/cli/bundle.test.ts).
// Source maps are written beside them without the sources' text (the paths and lines under src/
// are what a bug report needs); the CLI reads them only under NETSIM_DEBUG (src/cli/bin.ts).
import { readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

/**
 * Two lines of dependencies changed as they are bundled; the build fails if either is missing,
 * so that an upgrade that moves one is noticed.
 * - string-width (yargs and cliui each bring a version) makes an `Intl.Segmenter` when its
 *   module loads: about 11 ms of CPU each, three times, on every start, for text that yargs
 *   measures only when it prints help (and its ASCII fast path needs none). Made on first use.
 * - yargs looks for a package.json (whose `yargs` key would change how arguments parse) upward
 *   from the folder above its own `node_modules`, or from the working directory when its path
 *   has none, as in the bundle: a user's package.json would then steer netsim's parser. Bundled,
 *   it starts from the bundle's own folder, so it finds netsim's package.json, as before.
 */
const PATCHES = [
  {
    file: /[\\/]string-width[\\/]index\.js$/,
    from: 'const segmenter = new Intl.Segmenter();',
    to: 'let segmenterMade; const segmenter = { segment: (s) => (segmenterMade ??= new Intl.Segmenter()).segment(s) };',
  },
  {
    file: /[\\/]yargs[\\/]lib[\\/]platform-shims[\\/]esm\.mjs$/,
    from: "const mainFilename = __dirname.substring(0, __dirname.lastIndexOf('node_modules'));",
    to: 'const mainFilename = __dirname;',
  },
];
const patchDependencies = {
  name: 'patch-dependencies',
  setup(b) {
    for (const { file, from, to } of PATCHES) {
      b.onLoad({ filter: file }, ({ path }) => {
        const text = readFileSync(path, 'utf8');
        if (!text.includes(from)) throw new Error(`${path}: no '${from}' to change; see scripts/build-cli.mjs`);
        return { contents: text.replace(from, to), loader: 'js' };
      });
    }
  },
};

const out = process.argv[2] === undefined ? new URL('../dist/cli/', import.meta.url) : pathToFileURL(`${resolve(process.argv[2])}/`);
rmSync(out, { recursive: true, force: true });
await build({
  entryPoints: { netsim: 'src/cli/bin.ts', 'batch-worker': 'src/cli/batch-worker.ts' },
  absWorkingDir: new URL('..', import.meta.url).pathname,
  outdir: out.pathname,
  chunkNames: '[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'esnext',
  sourcemap: 'linked',
  sourcesContent: false,
  legalComments: 'linked',
  // CommonJS dependencies (ip-num, yaml's CommonJS parts) call require() for Node's modules.
  banner: { js: "import { createRequire as netsimCreateRequire } from 'node:module'; const require = netsimCreateRequire(import.meta.url);" },
  plugins: [patchDependencies],
  logLevel: 'warning',
});
const files = readdirSync(out);
const kib = (pred) => (files.filter(pred).reduce((n, f) => n + statSync(new URL(f, out)).size, 0) / 1024).toFixed(0);
console.log(`${process.argv[2] ?? 'dist/cli'}: ${files.filter((f) => f.endsWith('.js')).length} files, ${kib((f) => f.endsWith('.js'))} KiB of JavaScript, ${kib((f) => f.endsWith('.map'))} KiB of source maps`);
