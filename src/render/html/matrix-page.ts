/**
 * `netsim policy matrix -o html`: one self-contained page (inline CSS and script, nothing
 * fetched) with the reachability grid — sources as rows, destinations as columns, green `.`
 * and red `X` as in the text table — and beside it the trace of the selected cell. Cells that
 * share a policy situation share one trace (the pair actually traced is named above it), so the
 * page holds each trace once and each cell points at its trace by number.
 */
import { escapeHtml } from './trace-report.js';

/** One trace of the page: which pair was traced, and the trace as `netsim trace` prints it. */
export interface MatrixPageTrace {
  readonly header: string;
  readonly text: string;
}

/** What the page shows. */
export interface MatrixPageInput {
  readonly title: string;
  readonly pods: readonly string[];
  /** `[from][to]`: allowed, the trace's number in `traces`, and the deciding policy. */
  readonly cell: (from: number, to: number) => { readonly allowed: boolean; readonly trace: number; readonly policy: string | null; readonly disagrees: boolean };
  readonly traces: readonly MatrixPageTrace[];
  /** Lines shown above the grid (disagreements, warnings). */
  readonly notes: readonly string[];
}

const CSS = `
body { margin: 0; font: 13px/1.4 Helvetica, Arial, sans-serif; color: #222; }
header { padding: 8px 16px; border-bottom: 1px solid #ddd; }
header h1 { font-size: 16px; margin: 0 0 4px; font-family: monospace; }
header p { margin: 2px 0; color: #666; font-size: 12px; }
header p.bad { color: #a00; }
main { display: flex; height: calc(100vh - 72px); }
#grid { flex: 3; overflow: auto; padding: 8px; }
#trace { flex: 2; overflow: auto; padding: 8px 12px; border-left: 1px solid #ddd; }
#trace pre { font-size: 11px; white-space: pre-wrap; }
table { border-collapse: collapse; font-family: monospace; }
th { font-weight: normal; padding: 2px 4px; white-space: nowrap; }
thead th { writing-mode: vertical-rl; transform: rotate(180deg); }
td { width: 16px; height: 16px; text-align: center; cursor: pointer; border: 1px solid #fff; }
td.y { background: #cfeccf; }
td.n { background: #f6c6c6; }
td.d { outline: 2px solid #a00; }
td.sel { outline: 2px solid #e0b000; }
`;

const SCRIPT = `
(function () {
  var traces = JSON.parse(document.getElementById('traces').textContent);
  var last = null;
  document.getElementById('grid').addEventListener('click', function (e) {
    var td = e.target.closest('td[data-t]');
    if (!td) return;
    if (last) last.classList.remove('sel');
    td.classList.add('sel');
    last = td;
    var t = traces[Number(td.getAttribute('data-t'))];
    document.getElementById('cell').textContent = td.getAttribute('title');
    document.getElementById('header').textContent = t.header;
    document.getElementById('text').textContent = t.text;
  });
})();
`;

/** The page as one HTML document. */
export function matrixPageHtml(input: MatrixPageInput): string {
  const head = `<tr><th></th>${input.pods.map((p) => `<th>${escapeHtml(p)}</th>`).join('')}</tr>`;
  const rows = input.pods.map((from, i) => {
    const tds = input.pods.map((to, j) => {
      const c = input.cell(i, j);
      const title = `${from} → ${to}: ${c.allowed ? 'allowed' : 'blocked'}${c.policy === null ? '' : ` (${c.policy})`}${c.disagrees ? ' — the evaluator disagrees' : ''}`;
      return `<td class="${c.allowed ? 'y' : 'n'}${c.disagrees ? ' d' : ''}" data-t="${c.trace}" title="${escapeHtml(title)}">${c.allowed ? '.' : 'X'}</td>`;
    });
    return `<tr><th>${escapeHtml(from)}</th>${tds.join('')}</tr>`;
  });
  // Inside <script type="application/json">, only "</" could end the element early.
  const traces = JSON.stringify(input.traces).replace(/<\//g, '<\\/');
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<title>${escapeHtml(input.title)}</title>`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    `<header><h1>${escapeHtml(input.title)}</h1><p>Rows are sources, columns destinations. Select a cell to see its trace.</p>${input.notes.map((n) => `<p class="bad">${escapeHtml(n)}</p>`).join('')}</header>`,
    '<main>',
    `<section id="grid"><table><thead>${head}</thead><tbody>${rows.join('')}</tbody></table></section>`,
    '<section id="trace"><p id="cell">No cell selected.</p><h2 id="header"></h2><pre id="text"></pre></section>',
    '</main>',
    `<script type="application/json" id="traces">${traces}</script>`,
    `<script>${SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
