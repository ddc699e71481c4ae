/**
 * A static file server for the playground (`netsim serve`): GET and HEAD of the files of one
 * folder, nothing else. The page computes everything in the browser, so the server only hands
 * out files; it listens on loopback unless told otherwise.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The built playground, found from where this code runs: the bundled CLI (`dist/cli/` →
 * `dist/web/`), the compiled one (`dist/src/cli/` → `dist/web/`), or the sources (`src/cli/` →
 * the `dist/web/` that `npm run build:web` writes). A folder counts when it holds the built
 * `app.js`, so the page's sources in `web/` are never served by mistake.
 */
export function defaultWebRoot(): string {
  const candidates = ['../web/', '../../web/', '../../dist/web/'].map((rel) => fileURLToPath(new URL(rel, import.meta.url)));
  return candidates.find((dir) => existsSync(join(dir, 'app.js'))) ?? (candidates[0] as string);
}

/** A running server: its URL, and how to stop it. */
export interface RunningServer {
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

/** Serves `root` on `host:port` (port 0: any free port). */
export function serveStatic(root: string, host: string, port: number): Promise<RunningServer> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    const file = fileFor(root, req.url ?? '/');
    if (file === undefined) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    const body = readFileSync(file);
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Length': body.length, 'Cache-Control': 'no-cache' });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const addr = server.address();
      const bound = typeof addr === 'object' && addr !== null ? addr.port : port;
      const shown = host.includes(':') ? `[${host}]` : host;
      resolve({ url: `http://${shown}:${bound}/`, server, close: () => new Promise((done) => server.close(() => done())) });
    });
  });
}

/** The file a request path names inside `root`, or undefined (outside it, or absent). */
function fileFor(root: string, url: string): string | undefined {
  let path: string;
  try {
    path = decodeURIComponent(new URL(url, 'http://x').pathname);
  } catch {
    return undefined;
  }
  const base = normalize(root.endsWith(sep) ? root : root + sep);
  const file = normalize(join(base, path.endsWith('/') ? `${path}index.html` : path));
  if (!file.startsWith(base)) return undefined;
  return existsSync(file) && statSync(file).isFile() ? file : undefined;
}
