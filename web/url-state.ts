/**
 * The playground's state in the URL fragment, so a link reproduces exactly what someone saw:
 * the scenario (a built-in by name, or the edited YAML deflated and base64url-encoded), the
 * trace query, and what the right-hand pane shows. Nothing leaves the browser: a fragment is
 * never sent to a server.
 *
 * `#scenario=default&src=pod-a&dst=service-b&seed=1` or `#yaml=<deflate-raw, base64url>&src=…`
 */

/** What a link carries. */
export interface PlaygroundState {
  /** A built-in scenario's name, when the text is that scenario unedited. */
  readonly scenario?: string;
  /** The scenario's YAML when it was edited (or is not a built-in). */
  readonly yaml?: string;
  readonly src: string;
  readonly dst: string;
  readonly port: string;
  readonly protocol: string;
  /** `--size`: the IP packet's length, or '' for the default. */
  readonly size: string;
  /** `--df` (true) or `--no-df`. */
  readonly df: boolean;
  readonly seed: number;
  /** The pane shown: the trace's text, its picture, or `show` of a namespace. */
  readonly view: 'text' | 'picture' | 'show';
  /** `show`'s namespace and section. */
  readonly show: string;
  readonly section: string;
}

/** What the page opens with: the README's first command on the built-in scenario. */
export const DEFAULT_STATE: PlaygroundState = { scenario: 'default', src: 'pod-a', dst: 'service-b', port: '', protocol: '', size: '', df: true, seed: 1, view: 'text', show: 'node-1', section: 'all' };

const VIEWS = ['text', 'picture', 'show'] as const;

/** The fragment (without `#`) for `state`. */
export async function encodeState(state: PlaygroundState): Promise<string> {
  const p = new URLSearchParams();
  if (state.yaml !== undefined) p.set('yaml', await deflate(state.yaml));
  else p.set('scenario', state.scenario ?? 'default');
  p.set('src', state.src);
  p.set('dst', state.dst);
  if (state.port !== '') p.set('port', state.port);
  if (state.protocol !== '') p.set('protocol', state.protocol);
  if (state.size !== '') p.set('size', state.size);
  if (!state.df) p.set('df', '0');
  p.set('seed', String(state.seed));
  if (state.view !== 'text') p.set('view', state.view);
  if (state.view === 'show') {
    p.set('show', state.show);
    p.set('section', state.section);
  }
  return p.toString();
}

/** The state a fragment describes; missing or unreadable parts take the defaults. */
export async function decodeState(fragment: string): Promise<PlaygroundState> {
  const p = new URLSearchParams(fragment.replace(/^#/, ''));
  const packed = p.get('yaml');
  let yaml: string | undefined;
  if (packed !== null) yaml = await inflate(packed).catch(() => undefined);
  const seed = Number(p.get('seed') ?? DEFAULT_STATE.seed);
  const view = VIEWS.find((v) => v === p.get('view')) ?? 'text';
  const scenario = p.get('scenario') ?? (yaml === undefined ? DEFAULT_STATE.scenario : undefined);
  return {
    ...(scenario !== undefined ? { scenario } : {}),
    ...(yaml !== undefined ? { yaml } : {}),
    src: p.get('src') ?? DEFAULT_STATE.src,
    dst: p.get('dst') ?? DEFAULT_STATE.dst,
    port: p.get('port') ?? '',
    protocol: p.get('protocol') ?? '',
    size: p.get('size') ?? '',
    df: p.get('df') !== '0',
    seed: Number.isSafeInteger(seed) && seed >= 0 ? seed : DEFAULT_STATE.seed,
    view,
    show: p.get('show') ?? DEFAULT_STATE.show,
    section: p.get('section') ?? DEFAULT_STATE.section,
  };
}

/** UTF-8 → deflate-raw → base64url (CompressionStream: in every current browser and Node ≥ 18). */
async function deflate(text: string): Promise<string> {
  const stream = new Blob([new TextEncoder().encode(text)]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

async function inflate(packed: string): Promise<string> {
  const bin = atob(packed.replaceAll('-', '+').replaceAll('_', '/'));
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  return new TextDecoder('utf-8', { fatal: true }).decode(await new Response(stream).arrayBuffer());
}
