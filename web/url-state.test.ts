import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_STATE, type PlaygroundState, decodeState, encodeState } from './url-state.js';

describe('the URL fragment', () => {
  it('is short for a built-in scenario and the default query', async () => {
    expect(await encodeState(DEFAULT_STATE)).toBe('scenario=default&src=pod-a&dst=service-b&seed=1');
  });
  it('an empty fragment opens the README trace on the built-in scenario', async () => {
    expect(await decodeState('')).toEqual(DEFAULT_STATE);
  });
  it('round-trips any state, edited YAML included', async () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 400 });
    const state = fc.record({
      yaml: fc.option(text, { nil: undefined }),
      src: fc.string({ maxLength: 20 }),
      dst: fc.string({ maxLength: 20 }),
      port: fc.string({ maxLength: 6 }),
      protocol: fc.constantFrom('', 'tcp', 'udp', 'icmp'),
      size: fc.constantFrom('', '1500', '9000'),
      df: fc.boolean(),
      seed: fc.nat(),
      view: fc.constantFrom('text' as const, 'picture' as const, 'show' as const),
      show: fc.string({ maxLength: 20 }),
      section: fc.constantFrom('all', 'route'),
    });
    await fc.assert(
      fc.asyncProperty(state, async (s) => {
        const input: PlaygroundState = { ...(s.yaml === undefined ? { scenario: 'no-endpoints' } : { yaml: s.yaml }), src: s.src, dst: s.dst, port: s.port, protocol: s.protocol, size: s.size, df: s.df, seed: s.seed, view: s.view, show: s.show, section: s.section };
        const back = await decodeState(`#${await encodeState(input)}`);
        const want = s.view === 'show' ? input : { ...input, show: DEFAULT_STATE.show, section: DEFAULT_STATE.section };
        expect(back).toEqual(want);
      }),
      { numRuns: 150 },
    );
  });
  it('a damaged YAML payload falls back to the built-in scenario', async () => {
    const s = await decodeState('#yaml=%%%not-base64&src=a&dst=b');
    expect(s.yaml).toBeUndefined();
    expect(s.scenario).toBe('default');
    expect(s.src).toBe('a');
  });
});
