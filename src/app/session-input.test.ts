import { describe, expect, it } from 'vitest';
import { parseSessionFile, parseThenSteps } from './session-input.js';

describe('parseThenSteps', () => {
  it('keeps the order and names each --then', () => {
    const r = parseThenSteps(['again', 'wait 2m']);
    expect(r).toEqual({ steps: [
      { step: { kind: 'again' }, pos: { file: '--then[1]', line: 1, col: 1 } },
      { step: { kind: 'wait', seconds: 120, text: '2m' }, pos: { file: '--then[2]', line: 1, col: 1 } },
    ] });
  });

  it('reports every bad step with SESSION_BAD_STEP at its column', () => {
    const r = parseThenSteps(['again', 'wait 2x', 'jump']);
    expect('diagnostics' in r ? r.diagnostics.map((d) => [d.code, d.pos]) : []).toEqual([
      ['SESSION_BAD_STEP', { file: '--then[2]', line: 1, col: 6 }],
      ['SESSION_BAD_STEP', { file: '--then[3]', line: 1, col: 1 }],
    ]);
  });
});

describe('parseSessionFile', () => {
  it('reads a YAML list of steps, each located at its line and column', () => {
    const r = parseSessionFile('s.yaml', '# a session\n- again\n- "wait 130s"\n-   delete pod default/b-2\n');
    expect('steps' in r ? r.steps.map((s) => [s.step.kind, s.pos.line, s.pos.col]) : r).toEqual([
      ['again', 2, 3],
      ['wait', 3, 4],
      ['delete-pod', 4, 5],
    ]);
  });

  it('points at the word at fault, inside quotes too', () => {
    const r = parseSessionFile('s.yaml', '- again\n- "wait 10 x"\n- wait 1q\n');
    expect('diagnostics' in r ? r.diagnostics.map((d) => `${d.code} ${d.pos?.line}:${d.pos?.col}`) : r).toEqual(['SESSION_BAD_STEP 2:12', 'SESSION_BAD_STEP 3:8']);
  });

  it.each([
    ['steps: [again]\n', 'SESSION_NOT_A_LIST', 1, 1],
    ['- again\n- {wait: 10s}\n', 'SESSION_NOT_A_LIST', 2, 3],
    ['- again\n- 130\n', 'SESSION_NOT_A_LIST', 2, 3],
    ['[]\n', 'SESSION_NOT_A_LIST', 1, 1],
    ['- again\n- "wait\n', 'SESSION_YAML_SYNTAX', 2, 3],
  ])('%j: %s at %i:%i', (text, code, line, col) => {
    const r = parseSessionFile('s.yaml', text);
    expect('diagnostics' in r ? r.diagnostics[0] : r).toMatchObject({ code, pos: { file: 's.yaml', line, col } });
  });
});
