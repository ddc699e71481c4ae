/**
 * DOT → SVG with Graphviz compiled to WebAssembly (`@hpcc-js/wasm-graphviz`). No process, no
 * file: the wasm ships inside the package's JavaScript, so this runs in Node and in a browser
 * alike. The module is loaded and instantiated once, on first use.
 */
import type { Graphviz } from '@hpcc-js/wasm-graphviz';

let graphviz: Promise<Graphviz> | undefined;

/** Lays out `dot` with the `dot` engine and returns the SVG text. */
export async function dotToSvg(dot: string): Promise<string> {
  // Imported on first use: the module is most of a megabyte (the wasm, base64 in its JavaScript)
  // that every other command of the bundled CLI would otherwise parse at start-up.
  graphviz ??= import('@hpcc-js/wasm-graphviz').then((m) => m.Graphviz.load());
  const g = await graphviz;
  return g.dot(dot, 'svg');
}
