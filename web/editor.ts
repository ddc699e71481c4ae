/**
 * The scenario editor: CodeMirror 6 with YAML highlighting, completion from netsim's JSON
 * Schema, and the loader's diagnostics inline at their line:col with the CLI's codes.
 */
import { autocompletion, closeBrackets, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { yaml } from '@codemirror/lang-yaml';
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { type Diagnostic as CmDiagnostic, lintGutter, linter, setDiagnostics } from '@codemirror/lint';
import { EditorState, type Text } from '@codemirror/state';
import { EditorView, drawSelection, highlightActiveLine, keymap, lineNumbers } from '@codemirror/view';
import type { Diagnostic } from '../src/diag/diagnostic.js';
import { type SchemaNode, completeScenario } from './completion.js';

/** The editor and how the page talks to it. */
export interface ScenarioEditor {
  readonly view: EditorView;
  text(): string;
  setText(text: string): void;
  /** Shows the loader's diagnostics (those of `path`) inline. */
  showDiagnostics(path: string, diags: readonly Diagnostic[]): void;
}

/** Mounts the editor in `parent`; `onChange` runs after each edit. */
export function mountEditor(parent: HTMLElement, text: string, schema: SchemaNode, onChange: (text: string) => void): ScenarioEditor {
  const complete = (ctx: CompletionContext): CompletionResult | null => {
    const found = completeScenario(schema, ctx.state.doc.toString(), ctx.pos);
    if (found === undefined || (found.from === ctx.pos && !ctx.explicit && found.options.length > 40)) return null;
    return { from: found.from, options: found.options.map((o) => ({ label: o.label, type: o.type, apply: o.apply, ...(o.detail !== undefined ? { detail: o.detail } : {}) })), validFor: /^[\w./-]*$/ };
  };
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: text,
      extensions: [
        lineNumbers(),
        history(),
        drawSelection(),
        highlightActiveLine(),
        indentOnInput(),
        bracketMatching(),
        closeBrackets(),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        yaml(),
        EditorView.lineWrapping,
        lintGutter(),
        // The page lints after each build; this empty source only keeps the lint panel wired.
        linter(() => [], { delay: 1e9 }),
        autocompletion({ override: [complete] }),
        keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) onChange(u.state.doc.toString());
        }),
        EditorView.theme({ '&': { height: '100%' }, '.cm-scroller': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', fontSize: '13px' } }),
      ],
    }),
  });
  return {
    view,
    text: () => view.state.doc.toString(),
    setText: (t) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: t } }),
    showDiagnostics: (path, diags) => view.dispatch(setDiagnostics(view.state, toCm(view.state.doc, path, diags))),
  };
}

/** Loader diagnostics → CodeMirror's: a line:col becomes an offset; the code leads the message. */
export function toCm(doc: Text, path: string, diags: readonly Diagnostic[]): CmDiagnostic[] {
  return diags.flatMap((d) => {
    if (d.pos !== undefined && d.pos.file !== path) return [];
    const lineNo = Math.min(Math.max(d.pos?.line ?? 1, 1), doc.lines);
    const line = doc.line(lineNo);
    const from = Math.min(line.from + Math.max((d.pos?.col ?? 1) - 1, 0), line.to);
    const to = Math.max(from, wordEnd(line.text, from - line.from) + line.from);
    return [{ from, to, severity: d.severity, source: d.code, message: `${d.code}: ${d.message}` }];
  });
}

/** The end of the token starting at `col` (at least one character where the line has one). */
function wordEnd(text: string, col: number): number {
  const m = /^[^\s,:{}[\]]+/.exec(text.slice(col));
  return col + (m?.[0].length ?? Math.min(1, text.length - col));
}
