/**
 * Layer `render/html`: self-contained HTML pages (inline SVG, CSS and script, nothing fetched).
 * Reads traces, touches no file; the CLI writes the page.
 */
export { type TraceReportInput, traceReportHtml } from './trace-report.js';
export { type MatrixPageInput, type MatrixPageTrace, matrixPageHtml } from './matrix-page.js';
