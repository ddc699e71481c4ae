/**
 * The HTML trace report: one self-contained page (inline SVG, CSS and script; nothing fetched)
 * with the trace picture on the left and the hop-by-hop steps on the right. Selecting a hop in
 * the list highlights its edges in the picture; clicking an edge of the path selects its hop.
 *
 * The link between the two is the class the DOT overlay puts on path edges (`hop-f3`, `hop-r2`)
 * and the `data-hop` of each list entry; see render/dot/trace-overlay.ts.
 */
import type { Trace } from '../../trace/types.js';
import { traceText } from '../trace-text.js';
import { REPORT_CSS, REPORT_SCRIPT } from './assets.js';

/** What the page shows. */
export interface TraceReportInput {
  /** The first line of `netsim trace` (`trace pod default/pod-a → … : tcp …`). */
  readonly header: string;
  /** The picture, as Graphviz printed it (the XML prolog is dropped to inline it). */
  readonly svg: string;
  readonly forward: Trace;
  readonly reply?: Trace;
  /** A session's later steps as text (`netsim trace … --then …`), shown below the hops of its first connection. */
  readonly session?: string;
}

/** The report as one HTML document. */
export function traceReportHtml(input: TraceReportInput): string {
  const sections = [directionSection('forward', 'f', input.forward)];
  if (input.reply !== undefined) sections.push(directionSection('reply', 'r', input.reply));
  if (input.session !== undefined) sections.push(`<section class="session"><h2>then</h2><pre>${escapeHtml(input.session)}</pre></section>`);
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<title>${escapeHtml(input.header)}</title>`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body>',
    `<header><h1>${escapeHtml(input.header)}</h1><p>Select a hop to highlight it in the picture; click a numbered edge to find its hop.</p></header>`,
    '<main>',
    `<figure id="picture">${inlineSvg(input.svg)}</figure>`,
    `<nav id="hops">${sections.join('')}</nav>`,
    '</main>',
    `<script>${REPORT_SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** One direction: an ordered list of hops (each selectable), then its result lines. */
function directionSection(title: string, dir: 'f' | 'r', t: Trace): string {
  // traceText separates hops by a blank line and ends with the result block; reuse its wording.
  const blocks = traceText(t).split('\n\n');
  const result = blocks.pop() ?? '';
  const items = blocks.map((block, i) => {
    const [head = '', ...steps] = block.split('\n');
    const ok = i === blocks.length - 1 ? ` ${t.ending.disposition === 'DELIVERED' ? 'ok' : 'end'}` : '';
    return `<li class="hop${ok}" data-hop="${dir}${i + 1}" tabindex="0"><div class="hop-head">${escapeHtml(head)}</div><pre>${escapeHtml(steps.map((s) => s.slice(4)).join('\n'))}</pre></li>`;
  });
  const cls = t.ending.disposition === 'DELIVERED' || t.ending.disposition === 'EXITS_NETWORK' ? 'result good' : 'result bad';
  return `<section class="dir-${dir}"><h2>${title}</h2><ol>${items.join('')}</ol><pre class="${cls}">${escapeHtml(result)}</pre></section>`;
}

/** The `<svg>` element alone: the XML declaration, DOCTYPE and comments cannot sit inside HTML. */
function inlineSvg(svg: string): string {
  const start = svg.indexOf('<svg');
  return start < 0 ? '' : svg.slice(start).replace(/<!--[\s\S]*?-->/g, '');
}

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
