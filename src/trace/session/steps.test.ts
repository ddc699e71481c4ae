import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_WAIT, parseDuration, parseStep, stepText } from './steps.js';

describe('parseStep', () => {
  it.each([
    ['again', { kind: 'again' }],
    ['send', { kind: 'send' }],
    ['reply', { kind: 'reply' }],
    ['retransmit', { kind: 'retransmit' }],
    ['wait 130s', { kind: 'wait', seconds: 130, text: '130s' }],
    ['  wait   5d ', { kind: 'wait', seconds: 432000, text: '5d' }],
    ['wait 1h30m', { kind: 'wait', seconds: 5400, text: '1h30m' }],
    ['wait 45', { kind: 'wait', seconds: 45, text: '45' }],
    ['from pod-c to service-b', { kind: 'connect', src: 'pod-c', dst: 'service-b' }],
    ['to 10.96.0.2:80', { kind: 'connect', dst: '10.96.0.2:80' }],
    ['delete pod default/b-2', { kind: 'delete-pod', pod: 'default/b-2' }],
  ])('%s', (text, want) => {
    expect(parseStep(text)).toEqual(want);
  });

  it.each([
    ['', 1, 'an empty step'],
    ['wiat 10s', 1, 'unknown step "wiat"'],
    ['again now', 7, 'takes nothing after it'],
    ['wait', 5, 'needs a duration'],
    ['wait 10x', 6, 'is not a duration'],
    ['wait 1h 30m', 9, 'not 1h 30m'],
    ['wait 11000d', 6, 'at most ten years'],
    ['from a', 7, 'want "from a to DST"'],
    ['from a into b', 8, 'got "into"'],
    ['from a to', 10, 'needs a destination'],
    ['from a to b c', 13, 'nothing after DST'],
    ['to', 3, 'needs a destination'],
    ['delete service web', 8, 'deletes pods only'],
    ['delete pod', 11, 'needs a pod name'],
    ['delete pod a b', 14, 'takes one pod'],
  ])('%j is refused at column %i', (text, col, words) => {
    const r = parseStep(text);
    expect(r).toMatchObject({ col });
    expect('problem' in r ? r.problem : '').toContain(words);
  });

  it('reads back what stepText writes, for every step', () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9./:-]{0,20}$/);
    const step = fc.oneof(
      fc.constantFrom('again', 'send', 'reply', 'retransmit'),
      fc.integer({ min: 0, max: MAX_WAIT }).map((n) => `wait ${n}s`),
      fc.tuple(name, name).map(([a, b]) => `from ${a} to ${b}`),
      name.map((b) => `to ${b}`),
      name.map((p) => `delete pod ${p}`),
    );
    fc.assert(
      fc.property(step, (text) => {
        const parsed = parseStep(text);
        expect('problem' in parsed).toBe(false);
        if (!('problem' in parsed)) expect(stepText(parsed)).toBe(text);
      }),
    );
  });
});

describe('parseDuration', () => {
  it('adds the units up and refuses anything else', () => {
    expect(parseDuration('2m')).toBe(120);
    expect(parseDuration('1d1h1m1s')).toBe(90061);
    expect(parseDuration('1.5s')).toBeUndefined();
    expect(parseDuration('-3s')).toBeUndefined();
    expect(parseDuration('s')).toBeUndefined();
  });
});
