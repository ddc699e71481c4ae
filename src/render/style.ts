/**
 * Terminal styling that respects NO_COLOR and non-TTY output (https://no-color.org): renderers
 * take a Style, and the CLI decides whether it colours.
 */

/** Named styles used across renderers. */
export interface Style {
  readonly bold: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly good: (s: string) => string;
  readonly bad: (s: string) => string;
  readonly note: (s: string) => string;
  readonly accent: (s: string) => string;
}

const id = (s: string): string => s;

/** No colours at all (pipes, files, NO_COLOR). */
export const PLAIN: Style = { bold: id, dim: id, good: id, bad: id, note: id, accent: id };

const sgr = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;

/** ANSI colours for a terminal. */
export const ANSI: Style = { bold: sgr(1, 22), dim: sgr(2, 22), good: sgr(32, 39), bad: sgr(31, 39), note: sgr(33, 39), accent: sgr(36, 39) };

/** Colour only on a TTY and when NO_COLOR is unset (FORCE_COLOR forces it). */
export function chooseStyle(isTTY: boolean, env: Readonly<Record<string, string | undefined>>): Style {
  if (env['FORCE_COLOR'] !== undefined && env['FORCE_COLOR'] !== '0') return ANSI;
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return PLAIN;
  return isTTY ? ANSI : PLAIN;
}
