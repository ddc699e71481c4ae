/**
 * The report's inline CSS and script, kept apart from the markup. Plain ES2015 in the script so
 * any browser runs it; no network access, no libraries.
 */

/** Two columns: the picture scrolls on the left, the hops list on the right. */
export const REPORT_CSS = `
body { margin: 0; font: 14px/1.4 Helvetica, Arial, sans-serif; color: #222; }
header { padding: 8px 16px; border-bottom: 1px solid #ddd; }
header h1 { font-size: 16px; margin: 0 0 4px; font-family: monospace; }
header p { margin: 0; color: #666; font-size: 12px; }
main { display: flex; height: calc(100vh - 64px); }
#picture { flex: 3; margin: 0; overflow: auto; border-right: 1px solid #ddd; }
#picture svg { width: 100%; height: auto; }
#hops { flex: 2; overflow: auto; padding: 0 12px; }
#hops h2 { font-size: 14px; margin: 12px 0 4px; }
#hops ol { padding-left: 0; list-style: none; margin: 0; }
li.hop { border: 1px solid #ddd; border-radius: 4px; margin: 4px 0; padding: 4px 6px; cursor: pointer; }
li.hop:hover { background: #f6f6f6; }
li.hop.selected { background: #fff4c2; border-color: #e0b000; }
.hop-head { font-weight: bold; }
li.hop pre { margin: 2px 0 0; font-size: 11px; white-space: pre-wrap; display: none; }
li.hop.selected pre { display: block; }
pre.result { font-size: 12px; padding: 4px 6px; border-radius: 4px; }
pre.result.good { background: #eaf7ea; }
pre.result.bad { background: #fde0e0; }
g.trace-edge { cursor: pointer; }
g.trace-edge.selected path { stroke-width: 6; stroke: #e0b000; }
g.trace-edge.selected polygon { stroke: #e0b000; fill: #e0b000; }
g.trace-edge.selected text { font-weight: bold; }
g.trace-end.selected polygon { stroke-width: 4; }
`;

/**
 * Selecting: a list entry `data-hop="f3"` and the SVG groups with class `hop-f3` share the
 * `selected` class. Clicking either side selects both and scrolls the list entry into view.
 */
export const REPORT_SCRIPT = `
(function () {
  function select(hop) {
    var marked = document.querySelectorAll('.selected');
    for (var i = 0; i < marked.length; i++) marked[i].classList.remove('selected');
    var item = document.querySelector('li.hop[data-hop="' + hop + '"]');
    if (item) { item.classList.add('selected'); item.scrollIntoView({ block: 'nearest' }); }
    var parts = document.querySelectorAll('#picture g.hop-' + hop);
    for (var j = 0; j < parts.length; j++) parts[j].classList.add('selected');
  }
  var items = document.querySelectorAll('li.hop');
  for (var i = 0; i < items.length; i++) {
    items[i].addEventListener('click', function (e) { select(e.currentTarget.getAttribute('data-hop')); });
    items[i].addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') select(e.currentTarget.getAttribute('data-hop')); });
  }
  var edges = document.querySelectorAll('#picture g.trace-edge, #picture g.trace-end');
  for (var k = 0; k < edges.length; k++) {
    edges[k].addEventListener('click', function (e) {
      var m = /(?:^|\\s)hop-([fr]\\d+)/.exec(e.currentTarget.getAttribute('class') || '');
      if (m) select(m[1]);
    });
  }
})();
`;
