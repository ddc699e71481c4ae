/**
 * DOT → SVG with Graphviz compiled to WebAssembly (`@hpcc-js/wasm-graphviz`). No process, no
 * file: the wasm ships inside the package's JavaScript, so this runs in Node and in a browser
 * alike. The module is instantiated once, on first use.
 */
import { Graphviz } from '@hpcc-js/wasm-graphviz';

let graphviz: Promise<Graphviz> | undefined;

/** Lays out `dot` with the `dot` engine and returns the SVG text. */
export async function dotToSvg(dot: string): Promise<string> {
  graphviz ??= Graphviz.load();
  const g = await graphviz;
  return g.dot(dot, 'svg');
}
