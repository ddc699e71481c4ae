/**
 * The playground page: the scenario editor on the left, the trace on the right, all computed in
 * the browser by the same core as the CLI. The URL fragment holds the scenario and the query,
 * so a link reproduces what was seen (url-state.ts).
 */
import { type ShowChoice, SHOW_CHOICES, showText } from '../src/app/show.js';
import { traceRunReport } from '../src/app/trace.js';
import { formatDiagnostics } from '../src/render/diagnostics.js';
import { scenarioJsonSchema } from '../src/scenario/schema.js';
import { BUILTIN_SCENARIOS, type BuiltinScenario } from './builtins.js';
import { type ScenarioEditor, mountEditor } from './editor.js';
import type { SchemaNode } from './completion.js';
import { type Query, type Scenario, type TraceOutcome, endpointNames, loadScenarioText, showNames, traceQuery } from './session.js';
import { type PlaygroundState, decodeState, encodeState } from './url-state.js';

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`the page has no #${id}`);
  return el as T;
};

const ui = {
  menu: $<HTMLSelectElement>('scenario'),
  src: $<HTMLInputElement>('src'),
  dst: $<HTMLInputElement>('dst'),
  port: $<HTMLInputElement>('port'),
  protocol: $<HTMLSelectElement>('protocol'),
  size: $<HTMLInputElement>('size'),
  df: $<HTMLInputElement>('df'),
  seed: $<HTMLInputElement>('seed'),
  run: $<HTMLButtonElement>('run'),
  share: $<HTMLButtonElement>('share'),
  shared: $<HTMLSpanElement>('shared'),
  problems: $<HTMLPreElement>('problems'),
  result: $<HTMLDivElement>('result'),
  text: $<HTMLPreElement>('trace-text'),
  report: $<HTMLIFrameElement>('report'),
  showName: $<HTMLSelectElement>('show-name'),
  showSection: $<HTMLSelectElement>('show-section'),
  showText: $<HTMLPreElement>('show-text'),
  tabs: [...document.querySelectorAll<HTMLButtonElement>('[data-view]')],
  sources: $<HTMLDataListElement>('sources'),
  destinations: $<HTMLDataListElement>('destinations'),
};

let view: PlaygroundState['view'] = 'text';
let scenario: Scenario | undefined;
let traced: TraceOutcome | undefined;
let reportFor: TraceOutcome | undefined;

function builtinByName(name: string | undefined): BuiltinScenario {
  return BUILTIN_SCENARIOS.find((b) => b.name === name) ?? (BUILTIN_SCENARIOS[0] as BuiltinScenario);
}

function query(): Query {
  const seed = Number(ui.seed.value);
  return { src: ui.src.value, dst: ui.dst.value, port: ui.port.value, protocol: ui.protocol.value, size: ui.size.value, df: ui.df.checked, seed: Number.isSafeInteger(seed) && seed >= 0 ? seed : 1 };
}

/** The state to put in the URL: a built-in by name while its text is unedited. */
function currentState(editor: ScenarioEditor): PlaygroundState {
  const q = query();
  const builtin = BUILTIN_SCENARIOS.find((b) => b.name === ui.menu.value);
  const text = editor.text();
  return {
    ...(builtin !== undefined && builtin.text === text ? { scenario: builtin.name } : { yaml: text }),
    src: q.src,
    dst: q.dst,
    port: q.port,
    protocol: q.protocol,
    size: q.size,
    df: q.df,
    seed: q.seed,
    view,
    show: ui.showName.value,
    section: ui.showSection.value,
  };
}

function fillOptions(list: HTMLDataListElement | HTMLSelectElement, names: readonly string[], keep?: string): void {
  list.replaceChildren(...names.map((n) => Object.assign(document.createElement('option'), { value: n, textContent: n })));
  if (keep !== undefined && list instanceof HTMLSelectElement && names.includes(keep)) list.value = keep;
}

/** Loads the editor's text and shows its problems; the names in the pickers follow the scenario. */
function rebuild(editor: ScenarioEditor): void {
  const path = BUILTIN_SCENARIOS.find((b) => b.name === ui.menu.value)?.path ?? 'scenario.yaml';
  scenario = loadScenarioText(path, editor.text(), query().seed);
  editor.showDiagnostics(path, scenario.diagnostics);
  const text = scenario.text;
  ui.problems.textContent = formatDiagnostics(scenario.diagnostics, () => text);
  ui.problems.hidden = scenario.diagnostics.length === 0;
  if (scenario.built !== undefined) {
    const names = endpointNames(scenario.built);
    fillOptions(ui.sources, names.sources);
    fillOptions(ui.destinations, names.destinations);
    fillOptions(ui.showName, showNames(scenario.built), ui.showName.value);
  }
}

/** Traces the query and refreshes the pane in view. */
async function retrace(editor: ScenarioEditor): Promise<void> {
  const built = scenario?.built;
  traced = built === undefined ? { problem: 'the scenario has errors (see the editor)' } : traceQuery(built, query());
  if ('problem' in traced) {
    ui.result.textContent = traced.problem;
    ui.result.className = 'result bad';
    ui.text.textContent = '';
  } else {
    const ending = traced.run.trips[0]?.forward.ending;
    ui.result.textContent = ending === undefined ? '' : `${ending.disposition}`;
    ui.result.className = ending?.disposition === 'DELIVERED' || ending?.disposition === 'EXITS_NETWORK' ? 'result good' : 'result bad';
    ui.text.textContent = traced.text;
  }
  await refreshView();
  history.replaceState(null, '', `#${await encodeState(currentState(editor))}`);
}

async function refreshView(): Promise<void> {
  for (const t of ui.tabs) t.classList.toggle('active', t.dataset['view'] === view);
  for (const pane of document.querySelectorAll<HTMLElement>('[data-pane]')) pane.hidden = pane.dataset['pane'] !== view;
  const built = scenario?.built;
  if (view === 'picture' && built !== undefined && traced !== undefined && 'run' in traced && reportFor !== traced) {
    reportFor = traced;
    ui.report.srcdoc = await traceRunReport(built, traced.run);
  }
  if (view === 'show' && built !== undefined) {
    const shown = showText(built, ui.showName.value, ui.showSection.value as ShowChoice);
    ui.showText.textContent = 'problem' in shown ? shown.problem : shown.text;
  }
}

async function start(): Promise<void> {
  const state = await decodeState(location.hash);
  const builtin = builtinByName(state.scenario);
  fillOptions(ui.menu, BUILTIN_SCENARIOS.map((b) => b.name));
  for (const [i, b] of BUILTIN_SCENARIOS.entries()) (ui.menu.options[i] as HTMLOptionElement).textContent = b.label;
  ui.menu.value = state.yaml === undefined ? builtin.name : '';
  fillOptions(ui.showSection, ['all', ...SHOW_CHOICES.filter((c) => c !== 'all')], state.section);
  Object.assign(ui.src, { value: state.src });
  Object.assign(ui.dst, { value: state.dst });
  Object.assign(ui.port, { value: state.port });
  ui.protocol.value = state.protocol;
  ui.size.value = state.size;
  ui.df.checked = state.df;
  ui.seed.value = String(state.seed);
  view = state.view;

  let timer: ReturnType<typeof setTimeout> | undefined;
  const editor = mountEditor($('editor'), state.yaml ?? builtin.text, scenarioJsonSchema() as SchemaNode, () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      rebuild(editor);
      void retrace(editor);
    }, 250);
  });
  rebuild(editor);
  if (scenario?.built !== undefined) fillOptions(ui.showName, showNames(scenario.built), state.show);

  ui.menu.addEventListener('change', () => {
    const b = builtinByName(ui.menu.value);
    ui.src.value = b.src;
    ui.dst.value = b.dst;
    ui.port.value = '';
    ui.size.value = b.size ?? '';
    editor.setText(b.text);
  });
  const go = (): void => void retrace(editor);
  ui.run.addEventListener('click', go);
  for (const f of [ui.src, ui.dst, ui.port, ui.size, ui.seed]) f.addEventListener('keydown', (e) => e.key === 'Enter' && go());
  for (const f of [ui.protocol, ui.df, ui.showName, ui.showSection]) f.addEventListener('change', go);
  ui.seed.addEventListener('change', () => {
    rebuild(editor);
    go();
  });
  for (const t of ui.tabs) {
    t.addEventListener('click', () => {
      view = (t.dataset['view'] as PlaygroundState['view'] | undefined) ?? 'text';
      go();
    });
  }
  ui.share.addEventListener('click', async () => {
    const url = `${location.origin}${location.pathname}#${await encodeState(currentState(editor))}`;
    history.replaceState(null, '', url);
    await navigator.clipboard?.writeText(url).catch(() => undefined);
    ui.shared.textContent = 'link copied';
    setTimeout(() => (ui.shared.textContent = ''), 2000);
  });
  await retrace(editor);
  document.body.dataset['ready'] = 'true';
}

void start();
